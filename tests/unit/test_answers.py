"""Shared answers (server/answers.py), ETag/304 and gzip, against the fake
current Slurm: each test changes what "Slurm" prints between requests, so
an answer served from the shared copy is told apart from a fresh one."""

import asyncio
import json
import time
from types import SimpleNamespace

import pytest
from starlette.responses import Response

from server import answers
from server.answers import Answers
from server.app import create_app
from server.slurm.runner import Identity
from server.config import Config
from tests.fakes.current_slurm import FAKE_BIN, headers, know_fake_users, recorded, write_slurm_conf

API = "/slurm/v0.0.44"
WINDOW = 2.0


@pytest.fixture
def slurm(tmp_path, monkeypatch):
    """(set_jobs, client): an app sharing answers for WINDOW seconds;
    set_jobs(name) makes squeue print one job of that name."""
    monkeypatch.setenv("PATH", f"{FAKE_BIN}:/usr/bin:/bin")
    know_fake_users(monkeypatch)
    conf = write_slurm_conf(tmp_path)
    monkeypatch.setenv("SLURM_CONF", str(conf))
    original = recorded("slurm-jobs.json")

    def set_jobs(name: str) -> None:
        job = {**original["jobs"][0], "name": name}
        (tmp_path / "squeue.json").write_text(json.dumps({**original, "jobs": [job]}))

    (tmp_path / "scontrol.txt").write_text("")
    app = create_app(Config(slurm_conf=str(conf), coalesce_seconds=WINDOW))
    with app.test_client() as client:
        yield set_jobs, client


def name(response) -> str:
    return response.json()["jobs"][0]["name"]


def test_one_users_reads_share_the_answer_within_the_window(slurm):
    set_jobs, client = slurm
    set_jobs("first")
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "first"
    set_jobs("second")
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "first"


def test_another_user_never_gets_the_shared_answer(slurm):
    set_jobs, client = slurm
    set_jobs("alice's")
    alice = client.get(f"{API}/jobs/", headers=headers("alice"))
    set_jobs("bob's")
    bob = client.get(f"{API}/jobs/", headers=headers("bob"))
    assert name(alice) == "alice's" and alice.json()["meta"]["client"]["user"] == "alice"
    assert name(bob) == "bob's" and bob.json()["meta"]["client"]["user"] == "bob"
    # Nor through a validator: alice's ETag is no 304 for bob.
    again = client.get(f"{API}/jobs/", headers={**headers("bob"), "If-None-Match": alice.headers["etag"]})
    assert again.status_code == 200 and name(again) == "bob's"
    zipped = client.get(f"{API}/jobs/", headers={**headers("bob"), "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and name(zipped) == "bob's"


def test_no_answer_is_older_than_the_window(slurm):
    set_jobs, client = slurm
    set_jobs("old")
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "old"
    set_jobs("new")
    time.sleep(WINDOW + 0.2)
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "new"


def test_an_answer_slower_than_the_window_is_shared_for_the_window_after_it_is_made(slurm, tmp_path):
    """At 10,000 jobs squeue runs longer than the window: counted from its
    start, its answer would be stale when made and no poll could share it."""
    set_jobs, client = slurm
    (tmp_path / "squeue.delay").write_text(str(WINDOW + 0.3))
    set_jobs("slow")
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "slow"
    set_jobs("next")
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "slow"
    (tmp_path / "squeue.delay").unlink()
    time.sleep(WINDOW + 0.2)
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "next"


def test_a_write_through_us_is_seen_by_the_next_read(slurm):
    set_jobs, client = slurm
    set_jobs("before")
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "before"
    set_jobs("after")
    changed = client.post(f"{API}/job/123", headers=headers("alice"), json={"comment": "after"})
    assert changed.status_code == 200, changed.text
    assert name(client.get(f"{API}/jobs/", headers=headers("alice"))) == "after"


def test_query_and_path_are_part_of_the_key(slurm):
    set_jobs, client = slurm
    set_jobs("plain")
    client.get(f"{API}/jobs/", headers=headers("alice"))
    set_jobs("with flags")
    flagged = client.get(f"{API}/jobs/?flags=DETAIL", headers=headers("alice"))
    assert name(flagged) == "with flags"


def test_each_request_gets_its_own_client_address(slurm):
    set_jobs, client = slurm
    set_jobs("x")
    first = client.get(f"{API}/jobs/", headers=headers("alice"))
    shared = client.get(f"{API}/jobs/", headers=headers("alice"))
    for response in (first, shared):
        assert response.json()["meta"]["client"]["source"] == "testclient:50000"
    assert b"srp-client-source-" not in shared.content


def test_etag_answers_304_without_a_body_until_the_answer_changes(slurm):
    set_jobs, client = slurm
    set_jobs("one")
    first = client.get(f"{API}/jobs/", headers=headers("alice"))
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    same = client.get(f"{API}/jobs/", headers={**headers("alice"), "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    set_jobs("two")
    time.sleep(WINDOW + 0.2)
    changed = client.get(f"{API}/jobs/", headers={**headers("alice"), "If-None-Match": etag})
    assert changed.status_code == 200 and name(changed) == "two" and changed.headers["etag"] != etag


def test_gzip_only_when_asked_and_it_is_the_same_answer(slurm):
    set_jobs, client = slurm
    set_jobs("zip")
    plain = client.get(f"{API}/jobs/", headers={**headers("alice"), "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for _ in range(2):  # made, then shared
        zipped = client.get(f"{API}/jobs/", headers={**headers("alice"), "Accept-Encoding": "br, gzip;q=0.5"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.content == plain.content  # the client undid the gzip
        assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    refused = client.get(f"{API}/jobs/", headers={**headers("alice"), "Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_yaml_and_errors_are_answered_per_request(slurm):
    set_jobs, client = slurm
    set_jobs("yaml")
    yaml_answer = client.get(f"{API}/jobs/", headers={**headers("alice"), "Accept": "application/yaml"})
    assert yaml_answer.status_code == 200 and b"testclient:50000" in yaml_answer.content
    missing = client.get(f"{API}/job/999999", headers=headers("alice"))
    assert missing.status_code >= 400 and missing.json()["meta"]["client"]["source"] == "testclient:50000"


class _Caller:
    """What Answers needs of a Call: the request, the caller, the data's age."""

    def __init__(self, user: str):
        from starlette.requests import Request

        self.request = Request({"type": "http", "method": "GET", "path": f"{API}/jobs/", "query_string": b"",
                                "headers": [], "client": ("127.0.0.1", 4000), "server": ("127.0.0.1", 6820)})
        self.identity = Identity(user)
        self.data_since = None
        self.source_placeholder = False


def counting_producer(runner=None):
    made = []

    async def produce(call, write=False):
        made.append(call.identity.user)
        number = len(made)
        await asyncio.sleep(0.05)
        if write:  # a write through us lands while this read is being made
            runner.writes += 1
        document = {"jobs": [number], "meta": {"client": {"source": answers.PLACEHOLDER}}}
        return Response(json.dumps(document), media_type="application/json")

    return made, produce


async def test_reads_in_flight_together_share_even_without_a_window():
    runner = SimpleNamespace(writes=0)
    shared = Answers(runner, seconds=0)
    made, produce = counting_producer()
    callers = [_Caller("alice") for _ in range(3)] + [_Caller("bob")]
    responses = await asyncio.gather(*(shared.serve(c, lambda c=c: produce(c)) for c in callers))
    assert sorted(made) == ["alice", "bob"]  # one answer made per user
    # The first is the handler's body; the shared ones are sent in parts.
    bodies = [json.loads(r.content if isinstance(r, answers.PartsResponse) else r.body) for r in responses]
    assert bodies[0] == bodies[1] == bodies[2] != bodies[3]
    assert all(b["meta"]["client"]["source"] == "127.0.0.1:4000" for b in bodies)
    # Done, and the window is 0: the next read makes its own.
    await shared.serve(_Caller("alice"), lambda: produce(callers[0]))
    assert len(made) == 3


async def test_a_write_while_an_answer_is_made_keeps_it_from_those_waiting():
    runner = SimpleNamespace(writes=0)
    shared = Answers(runner, seconds=60)
    made, produce = counting_producer(runner)
    first, waiting = _Caller("alice"), _Caller("alice")
    task = asyncio.ensure_future(shared.serve(first, lambda: produce(first, write=True)))
    await asyncio.sleep(0.01)
    await shared.serve(waiting, lambda: produce(waiting))
    await task
    assert made == ["alice", "alice"]  # the waiting read made its own answer


async def reads_in_turn(*users) -> tuple[Answers, list[str]]:
    """One read of /jobs/ per user named, one after the other: the answers
    kept, and the users whose read made its own."""
    shared = Answers(SimpleNamespace(writes=0), seconds=60)
    made, produce = counting_producer()
    for user in users:
        caller = _Caller(user)
        await shared.serve(caller, lambda caller=caller: produce(caller))
    return shared, made


async def test_answers_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(answers, "MAX_ANSWERS", 2)
    shared, _ = await reads_in_turn("u1", "u2", "u3")
    assert len(shared._entries) == 2
    assert [key[0] for key in shared._entries] == ["u2", "u3"]  # the oldest went first


async def test_the_newest_answer_is_kept_whatever_its_size(monkeypatch):
    """A 10,000-job list is 78 MB: were it dropped for its size, no poll
    could share it and each would write the whole list again."""
    monkeypatch.setattr(answers, "MAX_BYTES", 10)
    shared, made = await reads_in_turn("u1", "u2", "u2")
    assert [key[0] for key in shared._entries] == ["u2"]
    assert made == ["u1", "u2"]  # u2's second read was sent the first one's answer


@pytest.mark.parametrize("header, wanted", [
    ("gzip", True), ("br, gzip;q=0.5", True), ("*", True), ("gzip;q=0, *", False),
    ("identity", False), ("", False), ("x-gzip", True),
])
def test_accept_encoding(header, wanted):
    assert answers.accepts_gzip(header) is wanted


def job_id_of(response) -> int:
    return response.json()["jobs"][0]["job_id"]


def test_one_job_is_picked_from_the_job_list_converted_once(slurm, monkeypatch):
    from handlers.slurm import jobs

    conversions = []
    index = jobs.indexed
    monkeypatch.setattr(jobs, "indexed", lambda *args: conversions.append(1) or index(*args))
    set_jobs, client = slurm
    set_jobs("listed")
    listed = client.get(f"{API}/jobs/", headers=headers("alice"))
    job_id = job_id_of(listed)
    one = client.get(f"{API}/job/{job_id}", headers=headers("alice"))
    assert one.status_code == 200 and name(one) == "listed" and job_id_of(one) == job_id
    assert len(conversions) == 1  # the /job/ read used the list /jobs/ converted
    assert client.get(f"{API}/job/{job_id + 1000}", headers=headers("alice")).status_code != 200


def test_one_job_alone_is_asked_of_squeue_unless_the_whole_list_is_fresh(slurm, tmp_path):
    """At 10,000 jobs the whole list takes squeue 10 s, one job 0.04 s."""
    set_jobs, client = slurm
    set_jobs("one")
    job_id = recorded("slurm-jobs.json")["jobs"][0]["job_id"]
    alone = client.get(f"{API}/job/{job_id}", headers=headers("alice"))
    assert alone.status_code == 200 and job_id_of(alone) == job_id
    assert f"--jobs={job_id}" in (tmp_path / "squeue.argv").read_text().split("\n")
    (tmp_path / "squeue.argv").unlink()
    client.get(f"{API}/jobs/", headers=headers("alice"))
    assert "--jobs" not in (tmp_path / "squeue.argv").read_text()
    (tmp_path / "squeue.argv").unlink()
    picked = client.get(f"{API}/job/{job_id}?flags=ALL", headers=headers("alice"))  # a key of its own
    assert picked.status_code == 200 and job_id_of(picked) == job_id
    assert not (tmp_path / "squeue.argv").exists()  # picked from the fresh list: no squeue at all


def test_one_job_after_a_write_through_us_is_fresh(slurm):
    set_jobs, client = slurm
    set_jobs("before")
    job_id = job_id_of(client.get(f"{API}/jobs/", headers=headers("alice")))
    assert name(client.get(f"{API}/job/{job_id}", headers=headers("alice"))) == "before"
    set_jobs("after")
    changed = client.post(f"{API}/job/{job_id}", headers=headers("alice"), json={"comment": "after"})
    assert changed.status_code == 200, changed.text
    assert name(client.get(f"{API}/job/{job_id}", headers=headers("alice"))) == "after"


def test_one_job_is_never_picked_from_another_users_list(slurm):
    set_jobs, client = slurm
    set_jobs("alice's")
    job_id = job_id_of(client.get(f"{API}/jobs/", headers=headers("alice")))
    set_jobs("bob's")
    bob = client.get(f"{API}/job/{job_id}", headers=headers("bob"))
    assert name(bob) == "bob's" and bob.json()["meta"]["client"]["user"] == "bob"


def test_a_large_shared_answer_is_sent_whole_in_slices(slurm, monkeypatch):
    monkeypatch.setattr(answers.PartsResponse, "SLICE", 64)  # many slices even for one job
    set_jobs, client = slurm
    set_jobs("sliced")
    plain = {**headers("alice"), "Accept-Encoding": "identity"}
    first = client.get(f"{API}/jobs/", headers=plain)
    shared = client.get(f"{API}/jobs/", headers=plain)
    assert shared.content == first.content and name(shared) == "sliced"
    assert int(shared.headers["content-length"]) == len(shared.content)
