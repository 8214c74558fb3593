"""server/slurm/errno.py: Slurm's error numbers, texts and HTTP statuses.

The stderr texts under tests/data/slurm-22.05/stderr/ were printed by the
Slurm 22.05.8 tools of the local cluster (capture-errno-ping-sdiag.sh says how
each was provoked).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server.slurm import errno
from server.slurm.errno import by_name, by_number, from_message, http_status

STDERR = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "stderr"


# --- the tables ---------------------------------------------------------------

def test_numbers_and_names_are_unique_within_each_table():
    for table in (errno.SLURM_22_05, errno.SLURM_LATER):
        numbers = [e.number for e in table]
        names = [e.name for e in table]
        assert len(numbers) == len(set(numbers))
        assert len(names) == len(set(names))


def test_a_name_means_one_number_in_both_tables():
    # Names do not move between numbers; numbers may get a new name.
    later = {e.name: e.number for e in errno.SLURM_LATER}
    for e in errno.SLURM_22_05:
        if e.name in later:
            assert later[e.name] == e.number, e.name


def test_later_table_only_holds_what_22_05_lacks_or_says_otherwise():
    old = {e.number: e for e in errno.SLURM_22_05}
    for e in errno.SLURM_LATER:
        if e.number in old:
            assert (old[e.number].name, old[e.number].message) != (e.name, e.message)


# Numbers whose 22.05 meaning differs from the current Slurm source's: each
# one was looked at, and the later meaning is what a newer Slurm prints.
CHANGED_SINCE_22_05 = {
    2007: ("ESLURM_ERROR_ON_DESC_TO_RECORD_COPY", "ESLURM_MAX_JOB_COUNT"),
    2040: ("ESLURM_TASKDIST_ARBITRARY_UNSUPPORTED", "ESLURM_LICENSES_UNAVAILABLE"),
    2041: ("ESLURM_TASKDIST_REQUIRES_OVERCOMMIT", "ESLURM_TAKEOVER_NO_HEARTBEAT"),
    2063: ("ESLURM_INVALID_BLOCK_STATE", "ESLURM_MISSING_WORK_DIR"),
    2064: ("ESLURM_INVALID_BLOCK_LAYOUT", "ESLURM_STEPS_DRAINED"),
    2114: ("ESLURM_BATCH_CONSTRAINT", "ESLURM_BATCH_CONSTRAINT"),
    4027: ("ESLURMD_JOB_NOTRUNNING", "ESLURMD_STEP_NOTRUNNING"),
    6001: ("ESLURM_AUTH_FOPEN_ERROR", "ESLURM_AUTH_EXPIRED"),
    9205: ("ESLURM_DATA_TOO_LARGE", "ESLURM_DATA_TOO_LARGE"),
}


def test_the_numbers_that_changed_since_22_05_are_exactly_the_known_ones():
    old = {e.number for e in errno.SLURM_22_05}
    overlapping = {e.number for e in errno.SLURM_LATER if e.number in old}
    assert overlapping == set(CHANGED_SINCE_22_05)
    for number, (then, now) in CHANGED_SINCE_22_05.items():
        assert by_number(number).name == then
        assert by_number(number, later=True).name == now


@pytest.mark.parametrize(
    "number, name, message",
    [
        (-1, "SLURM_ERROR", "Unspecified error"),
        (0, "SLURM_SUCCESS", "No error"),
        (1001, "SLURM_COMMUNICATIONS_CONNECTION_ERROR", "Communication connection failure"),
        (1007, "SLURM_PROTOCOL_AUTHENTICATION_ERROR", "Protocol authentication error"),
        (1800, "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR",
         "Unable to contact slurm controller (connect failure)"),
        (1900, "SLURM_NO_CHANGE_IN_DATA", "Data has not changed since time specified"),
        (2000, "ESLURM_INVALID_PARTITION_NAME", "Invalid partition name specified"),
        (2002, "ESLURM_ACCESS_DENIED", "Access/permission denied"),
        (2010, "ESLURM_USER_ID_MISSING", "Invalid user id"),
        (2017, "ESLURM_INVALID_JOB_ID", "Invalid job id specified"),
        (2045, "ESLURM_INVALID_ACCOUNT",
         "Invalid account or account/partition combination specified"),
        (2048, "ESLURM_INVALID_LICENSES", "Invalid license specification"),
        (2053, "ESLURM_RESERVATION_INVALID", "Requested reservation is invalid"),
        (2066, "ESLURM_INVALID_QOS", "Invalid qos specification"),
        (2134, "ESLURM_INSUFFICIENT_GRES", "Insufficient GRES available in allocation"),
        (3000, "ESPANK_ERROR", "Generic error"),
        (4002, "ESLURMD_KILL_JOB_ALREADY_COMPLETE", "Unknown error 4002"),
        (5004, "SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT", "Socket timed out on send/recv operation"),
        (5005, "SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT", "Zero Bytes were transmitted or received"),
        (6000, "ESLURM_AUTH_CRED_INVALID", "Invalid authentication credential"),
        (7000, "ESLURM_DB_CONNECTION", "Unable to connect to database"),
        (9000, "ESLURM_REST_INVALID_QUERY", "Query empty or not RFC7320 compliant"),
        (9204, "ESLURM_DATA_UNKNOWN_MIME_TYPE", "MIME type is unknown to any loaded plugins"),
        (10000, "ESLURM_CONTAINER_NOT_CONFIGURED", "Container support is not configured"),
    ],
)
def test_22_05_entries(number, name, message):
    e = by_number(number)
    assert (e.number, e.name, e.message, e.slurm) == (number, name, message, "22.05")
    assert by_name(name) == e


def test_later_entries():
    assert by_number(6001, later=True).name == "ESLURM_AUTH_EXPIRED"
    assert by_name("ESLURM_AUTH_EXPIRED").number == 6001
    assert by_name("ESLURM_REST_UNKNOWN_URL").number == 9006
    assert by_name("ESLURM_URL_INVALID_PATH").number == 11008
    assert by_name("ESLURM_HTTP_UNKNOWN_ACCEPT_MIME_TYPE").number == 12019
    # not in 22.05: by_number falls back to the later table
    assert by_number(1804).name == "SLURMCTLD_COMMUNICATIONS_BACKOFF"
    assert by_number(2165).message == "Invalid user ID"


def test_unknown_numbers_and_names():
    assert by_number(1999) is None
    assert by_number(2097) is not None  # later only
    assert by_number(2097, later=False).slurm == "later"
    assert by_name("ESLURM_JWT_EXPIRED") is None
    assert by_name("") is None


# --- from_message: what the 22.05 tools printed --------------------------------

RECORDED = {
    # file under stderr/: (number, name)
    "scontrol-show-job-invalid": (2017, "ESLURM_INVALID_JOB_ID"),
    "scontrol-show-job-non-numeric": (2017, "ESLURM_INVALID_JOB_ID"),
    "squeue-job-invalid": (2017, "ESLURM_INVALID_JOB_ID"),
    "scancel-invalid-job-verbose": (2017, "ESLURM_INVALID_JOB_ID"),
    "scontrol-hold-invalid-job": (2017, "ESLURM_INVALID_JOB_ID"),
    "scancel-other-users-job": (2002, "ESLURM_ACCESS_DENIED"),
    # scontrol prints its own "Invalid user id for job N"; slurmctld logged
    # "_slurm_rpc_update_job: JobId=N uid=1002: Invalid user id"
    "scontrol-update-other-users-job": (2010, "ESLURM_USER_ID_MISSING"),
    "sbatch-uid-not-token-user": (2010, "ESLURM_USER_ID_MISSING"),
    "sbatch-invalid-partition": (2000, "ESLURM_INVALID_PARTITION_NAME"),
    "sbatch-invalid-account": (2045, "ESLURM_INVALID_ACCOUNT"),
    "sbatch-invalid-qos": (2066, "ESLURM_INVALID_QOS"),
    # a bad or expired token: slurmctld drops the connection
    "squeue-jwt-garbage": (5005, "SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT"),
    "squeue-jwt-expired": (5005, "SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT"),
    "sdiag-jwt-expired": (5005, "SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT"),
    # slurmdbd: the last line is the failure sacct reports
    "sacct-jwt-garbage": (-1, "SLURM_ERROR"),
    "squeue-controller-unreachable": (1800, "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR"),
    "sdiag-controller-unreachable": (1800, "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR"),
    "scancel-controller-unreachable": (1800, "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR"),
}


def test_every_recorded_file_is_covered():
    assert {p.stem for p in STDERR.glob("*.txt")} == set(RECORDED)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_from_message_on_recorded_stderr(name):
    text = (STDERR / f"{name}.txt").read_text()
    found = from_message(text)
    assert found is not None, text
    assert (found.number, found.name) == RECORDED[name]


@pytest.mark.parametrize(
    "line, number",
    [
        ("slurm_load_jobs error: Invalid job id specified", 2017),
        ("scancel: error: Kill job error on job id 1: Access/permission denied", 2002),
        ("Zero Bytes were transmitted or received", 5005),
        ("slurm_load_partitions: Unable to contact slurm controller (send failure)", 1801),
        # a text that contains another: the longer one wins
        ("error: No suitable topology unit found for segment", 7204),
        ("error: No suitable topology unit found", 7203),
        # case matters: "Invalid user ID" is a later, different error
        ("error: Invalid user ID", 2165),
        ("error: Invalid user id", 2010),
        # newer Slurm's texts are known too
        ("sbatch: error: Batch job submission failed: MaxJobCount limit reached", 2007),
        ("srun: error: Unable to create job record, try again", 2007),
        ("sbatch: error: Job --batch option is invalid or not a subset of --constraint", 2114),
    ],
)
def test_from_message_lines(line, number):
    assert from_message(line).number == number


def test_from_message_prefers_the_22_05_meaning_of_a_shared_text():
    found = from_message("slurmstepd: error: Job step not running")
    assert (found.number, found.slurm) == (4027, "22.05")


def test_from_message_takes_the_last_line_that_names_an_error():
    text = (
        "sbatch: error: invalid partition specified: nosuch\n"
        "sbatch: error: Batch job submission failed: Invalid partition name specified\n"
    )
    assert from_message(text).number == 2000
    text = "slurm_load_jobs error: Invalid job id specified\nsome trailing note\n"
    assert from_message(text).number == 2017


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Node nosuch not found",
        "Partition nosuch not found",
        "Reservation nosuch not found",
        "sacct: error: Sending PersistInit msg: No error",
    ],
)
def test_from_message_without_a_known_error(text):
    # scontrol's "not found" lines carry no Slurm error text at all, and
    # SLURM_SUCCESS's "No error" is never taken for an error
    assert from_message(text) is None


# --- http_status: slurmrestd's http_status_errors -----------------------------

@pytest.mark.parametrize(
    "name, status",
    [
        ("SLURM_NO_CHANGE_IN_DATA", 304),
        ("ESLURM_REST_INVALID_QUERY", 422),
        ("ESLURM_REST_FAIL_PARSING", 400),
        ("ESLURM_REST_INVALID_JOBS_DESC", 400),
        ("ESLURM_DATA_UNKNOWN_MIME_TYPE", 415),
        ("ESLURM_INVALID_JOB_ID", 404),
        ("ESLURM_REST_UNKNOWN_URL", 404),
        ("ESLURM_URL_INVALID_PATH", 404),
        ("SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT", 502),
        ("SLURM_COMMUNICATIONS_CONNECTION_ERROR", 502),
        ("SLURM_COMMUNICATIONS_SEND_ERROR", 502),
        ("SLURM_COMMUNICATIONS_RECEIVE_ERROR", 502),
        ("SLURM_COMMUNICATIONS_SHUTDOWN_ERROR", 502),
        ("SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR", 502),
        ("SLURMCTLD_COMMUNICATIONS_SEND_ERROR", 502),
        ("SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR", 502),
        ("SLURMCTLD_COMMUNICATIONS_SHUTDOWN_ERROR", 502),
        ("SLURMCTLD_COMMUNICATIONS_BACKOFF", 502),
        ("ESLURM_DB_CONNECTION", 502),
        ("ESLURM_PROTOCOL_INCOMPLETE_PACKET", 502),
        ("SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT", 504),
        ("SLURM_PROTOCOL_AUTHENTICATION_ERROR", 511),
        ("ESLURM_HTTP_INVALID_CONTENT_LENGTH", 400),
        ("ESLURM_HTTP_CONTENT_LENGTH_TOO_LARGE", 413),
        ("ESLURM_HTTP_POST_MISSING_CONTENT_LENGTH", 411),
        ("ESLURM_HTTP_INVALID_CONTENT_ENCODING", 406),
        ("ESLURM_HTTP_UNSUPPORTED_EXPECT", 417),
        ("ESLURM_HTTP_UNSUPPORTED_KEEP_ALIVE", 406),
        ("ESLURM_HTTP_INVALID_METHOD", 405),
        ("ESLURM_HTTP_UNSUPPORTED_UPGRADE", 406),
        ("ESLURM_HTTP_INVALID_TRANSFER_ENCODING", 406),
        ("ESLURM_AUTH_CRED_INVALID", 401),
        ("ESLURM_AUTH_EXPIRED", 401),
        ("ESLURM_AUTH_UNABLE_TO_GENERATE_TOKEN", 401),
        ("ESLURM_HTTP_UNEXPECTED_BODY", 400),
        ("ESLURM_HTTP_UNKNOWN_ACCEPT_MIME_TYPE", 415),
        ("ESLURM_REST_UNKNOWN_URL_METHOD", 405),
    ],
)
def test_http_status_of_listed_errors(name, status):
    assert http_status(by_name(name).number) == status


@pytest.mark.parametrize(
    "name",
    [
        "SLURM_ERROR",
        "ESLURM_ACCESS_DENIED",
        "ESLURM_USER_ID_MISSING",
        "ESLURM_INVALID_PARTITION_NAME",
        "SLURMCTLD_COMMUNICATIONS_HARD_DROP",
        "ESLURM_REST_EMPTY_RESULT",
    ],
)
def test_http_status_of_other_errors_is_500(name):
    assert http_status(by_name(name).number) == 500


def test_http_status_of_unknown_numbers_and_success():
    assert http_status(123456) == 500
    assert http_status(0) == 200
