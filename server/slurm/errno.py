"""Slurm's error numbers as data, and how slurmrestd answers them over HTTP.

Slurm's C API reports failures as numbers (``slurm_errno.h``) whose text
``slurm_strerror()`` prints; the command-line tools put that text on stderr
(``slurm_load_jobs error: Invalid job id specified``). A server that runs the
tools gets only the text back, so this module goes both ways: number -> name
and text, and a stderr line -> the error whose text it contains.

Two tables:

``SLURM_22_05``
    every number Slurm 22.05 knows, with the text exactly as its
    ``slurm_strerror()`` prints it. Checked one by one against the
    ``slurm_strerror`` of Debian 12's libslurm 22.05.8 (every number from -1
    to 99999 was asked; a number without a text prints ``Unknown error N``,
    which is what ESLURMD_KILL_JOB_ALREADY_COMPLETE and
    ESLURM_AUTH_UNABLE_TO_SIGN print). Names from 22.05's ``slurm_errno.h``.

``SLURM_LATER``
    numbers added after 22.05, and the numbers whose name or text changed
    since, as the current Slurm source has them (``slurm/slurm_errno.h``,
    ``src/common/slurm_errno.c``). Those that changed meaning:

    ====  =====================================  ==============================
    no.   22.05                                  later
    ====  =====================================  ==============================
    2007  ESLURM_ERROR_ON_DESC_TO_RECORD_COPY    ESLURM_MAX_JOB_COUNT
    2040  ESLURM_TASKDIST_ARBITRARY_UNSUPPORTED  ESLURM_LICENSES_UNAVAILABLE
    2041  ESLURM_TASKDIST_REQUIRES_OVERCOMMIT    ESLURM_TAKEOVER_NO_HEARTBEAT
    2063  ESLURM_INVALID_BLOCK_STATE             ESLURM_MISSING_WORK_DIR
    2064  ESLURM_INVALID_BLOCK_LAYOUT            ESLURM_STEPS_DRAINED
    4027  ESLURMD_JOB_NOTRUNNING                 ESLURMD_STEP_NOTRUNNING (same text)
    6001  ESLURM_AUTH_FOPEN_ERROR                ESLURM_AUTH_EXPIRED
    ====  =====================================  ==============================

    and two texts changed: 2114 (``--constraints`` -> ``--constraint``),
    9205 (``DATA too large`` -> ``Data too large``). Numbers 2065, 2079, 2103,
    4000, 4005/4006, 4011-4013, 4015, 4017-4019, 4024, 4100-4102, 5000-5002,
    6002, 6003, 6005, 6006 and 8001 exist in 22.05 only. The text of 9006
    (ESLURM_REST_UNKNOWN_URL, retired from the header since) is the body a
    real slurmrestd 25.11 sent for an unknown URL.

There are no ESLURM_JWT_* numbers in any Slurm: a bad or expired token makes
slurmctld drop the connection, and the tools report
SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT ("Zero Bytes were transmitted or
received").

Lookups prefer the 22.05 meaning, since the numbers come from the tools of
the Slurm that runs; ``by_number(n, later=True)`` asks for the current one.
``http_status`` is slurmrestd's own table (``http_status_errors`` of
``src/common/http.c``, the file slurmrestd's HTTP code uses), which is keyed by
the current names, hence the current numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SlurmErrno",
    "SLURM_22_05",
    "SLURM_LATER",
    "ERRORS",
    "by_number",
    "by_name",
    "from_message",
    "http_status",
]


@dataclass(frozen=True)
class SlurmErrno:
    number: int
    name: str
    message: str
    # "22.05": as Slurm 22.05 has it; "later": added or changed after 22.05
    slurm: str = "22.05"


# (number, name, text of slurm_strerror) of Slurm 22.05.8
_TABLE_22_05: tuple[tuple[int, str, str], ...] = (
    (-1, "SLURM_ERROR", "Unspecified error"),
    (0, "SLURM_SUCCESS", "No error"),
    (1000, "SLURM_UNEXPECTED_MSG_ERROR", "Unexpected message received"),
    (1001, "SLURM_COMMUNICATIONS_CONNECTION_ERROR", "Communication connection failure"),
    (1002, "SLURM_COMMUNICATIONS_SEND_ERROR", "Message send failure"),
    (1003, "SLURM_COMMUNICATIONS_RECEIVE_ERROR", "Message receive failure"),
    (1004, "SLURM_COMMUNICATIONS_SHUTDOWN_ERROR", "Communication shutdown failure"),
    (1005, "SLURM_PROTOCOL_VERSION_ERROR",
     "Incompatible versions of client and server code"),
    (1006, "SLURM_PROTOCOL_IO_STREAM_VERSION_ERROR", "I/O stream version number error"),
    (1007, "SLURM_PROTOCOL_AUTHENTICATION_ERROR", "Protocol authentication error"),
    (1008, "SLURM_PROTOCOL_INSANE_MSG_LENGTH", "Insane message length"),
    (1009, "SLURM_MPI_PLUGIN_NAME_INVALID", "Invalid MPI plugin name"),
    (1010, "SLURM_MPI_PLUGIN_PRELAUNCH_SETUP_FAILED",
     "MPI plugin's pre-launch setup failed"),
    (1011, "SLURM_PLUGIN_NAME_INVALID", "Plugin initialization failed"),
    (1012, "SLURM_UNKNOWN_FORWARD_ADDR", "Can't find an address, check slurm.conf"),
    (1013, "SLURM_COMMUNICATIONS_MISSING_SOCKET_ERROR",
     "Unexpected missing socket error"),
    (1800, "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR",
     "Unable to contact slurm controller (connect failure)"),
    (1801, "SLURMCTLD_COMMUNICATIONS_SEND_ERROR",
     "Unable to contact slurm controller (send failure)"),
    (1802, "SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR",
     "Unable to contact slurm controller (receive failure)"),
    (1803, "SLURMCTLD_COMMUNICATIONS_SHUTDOWN_ERROR",
     "Unable to contact slurm controller (shutdown failure)"),
    (1900, "SLURM_NO_CHANGE_IN_DATA", "Data has not changed since time specified"),
    (2000, "ESLURM_INVALID_PARTITION_NAME", "Invalid partition name specified"),
    (2001, "ESLURM_DEFAULT_PARTITION_NOT_SET",
     "No partition specified or system default partition"),
    (2002, "ESLURM_ACCESS_DENIED", "Access/permission denied"),
    (2003, "ESLURM_JOB_MISSING_REQUIRED_PARTITION_GROUP",
     "User's group not permitted to use this partition"),
    (2004, "ESLURM_REQUESTED_NODES_NOT_IN_PARTITION",
     "Requested nodes not in this partition"),
    (2005, "ESLURM_TOO_MANY_REQUESTED_CPUS",
     "More processors requested than permitted"),
    (2006, "ESLURM_INVALID_NODE_COUNT", "Node count specification invalid"),
    (2007, "ESLURM_ERROR_ON_DESC_TO_RECORD_COPY",
     "Unable to create job record, try again"),
    (2008, "ESLURM_JOB_MISSING_SIZE_SPECIFICATION",
     "Job size specification needs to be provided"),
    (2009, "ESLURM_JOB_SCRIPT_MISSING", "Job script not specified"),
    (2010, "ESLURM_USER_ID_MISSING", "Invalid user id"),
    (2011, "ESLURM_DUPLICATE_JOB_ID", "Duplicate job id"),
    (2012, "ESLURM_PATHNAME_TOO_LONG",
     "Pathname of a file, directory or other parameter too long"),
    (2013, "ESLURM_NOT_TOP_PRIORITY",
     "Immediate execution impossible, insufficient priority"),
    (2014, "ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE",
     "Requested node configuration is not available"),
    (2015, "ESLURM_REQUESTED_PART_CONFIG_UNAVAILABLE",
     "Requested partition configuration not available now"),
    (2016, "ESLURM_NODES_BUSY", "Requested nodes are busy"),
    (2017, "ESLURM_INVALID_JOB_ID", "Invalid job id specified"),
    (2018, "ESLURM_INVALID_NODE_NAME", "Invalid node name specified"),
    (2019, "ESLURM_WRITING_TO_FILE", "I/O error writing script/environment to file"),
    (2020, "ESLURM_TRANSITION_STATE_NO_UPDATE",
     "Job can not be altered now, try again later"),
    (2021, "ESLURM_ALREADY_DONE", "Job/step already completing or completed"),
    (2022, "ESLURM_INTERCONNECT_FAILURE", "Error configuring interconnect"),
    (2023, "ESLURM_BAD_DIST", "Task distribution specification invalid"),
    (2024, "ESLURM_JOB_PENDING", "Job is pending execution"),
    (2025, "ESLURM_BAD_TASK_COUNT", "Task count specification invalid"),
    (2026, "ESLURM_INVALID_JOB_CREDENTIAL", "Error generating job credential"),
    (2027, "ESLURM_IN_STANDBY_MODE", "Slurm backup controller in standby mode"),
    (2028, "ESLURM_INVALID_NODE_STATE", "Invalid node state specified"),
    (2029, "ESLURM_INVALID_FEATURE", "Invalid feature specification"),
    (2030, "ESLURM_INVALID_AUTHTYPE_CHANGE",
     "AuthType change requires restart of all Slurm daemons and commands to take effect"),
    (2031, "ESLURM_ACTIVE_FEATURE_NOT_SUBSET",
     "Active features not subset of available features"),
    (2032, "ESLURM_INVALID_SCHEDTYPE_CHANGE",
     "SchedulerType change requires restart of the slurmctld daemon to take effect"),
    (2033, "ESLURM_INVALID_SELECTTYPE_CHANGE",
     "SelectType change requires restart of the slurmctld daemon to take effect"),
    (2034, "ESLURM_INVALID_SWITCHTYPE_CHANGE",
     "SwitchType change requires restart of all Slurm daemons and jobs to take effect"),
    (2035, "ESLURM_FRAGMENTATION",
     "Immediate execution impossible, resources too fragmented for allocation"),
    (2036, "ESLURM_NOT_SUPPORTED", "Requested operation not supported on this system"),
    (2037, "ESLURM_DISABLED", "Requested operation is presently disabled"),
    (2038, "ESLURM_DEPENDENCY", "Job dependency problem"),
    (2039, "ESLURM_BATCH_ONLY", "Only batch jobs are accepted or processed"),
    (2040, "ESLURM_TASKDIST_ARBITRARY_UNSUPPORTED",
     "Current SwitchType does not permit arbitrary task distribution"),
    (2041, "ESLURM_TASKDIST_REQUIRES_OVERCOMMIT",
     "Requested more tasks than available processors"),
    (2042, "ESLURM_JOB_HELD", "Job is in held state, pending scheduler release"),
    (2043, "ESLURM_INVALID_CRED_TYPE_CHANGE",
     "CredType change requires restart of all Slurm daemons to take effect"),
    (2044, "ESLURM_INVALID_TASK_MEMORY", "Memory required by task is not available"),
    (2045, "ESLURM_INVALID_ACCOUNT",
     "Invalid account or account/partition combination specified"),
    (2046, "ESLURM_INVALID_PARENT_ACCOUNT", "Invalid parent account specified"),
    (2047, "ESLURM_SAME_PARENT_ACCOUNT",
     "Account already child of parent account specified"),
    (2048, "ESLURM_INVALID_LICENSES", "Invalid license specification"),
    (2049, "ESLURM_NEED_RESTART",
     "The node configuration changes that were made require restart of the slurmctld daemon to take effect"),
    (2050, "ESLURM_ACCOUNTING_POLICY",
     "Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)"),
    (2051, "ESLURM_INVALID_TIME_LIMIT",
     "Requested time limit is invalid (missing or exceeds some limit)"),
    (2052, "ESLURM_RESERVATION_ACCESS", "Access denied to requested reservation"),
    (2053, "ESLURM_RESERVATION_INVALID", "Requested reservation is invalid"),
    (2054, "ESLURM_INVALID_TIME_VALUE", "Invalid time specified"),
    (2055, "ESLURM_RESERVATION_BUSY", "Requested reservation is in use"),
    (2056, "ESLURM_RESERVATION_NOT_USABLE", "Requested reservation not usable now"),
    (2057, "ESLURM_INVALID_WCKEY", "Invalid wckey specification"),
    (2058, "ESLURM_RESERVATION_OVERLAP",
     "Requested reservation overlaps with another reservation"),
    (2059, "ESLURM_PORTS_BUSY", "Required ports are in use"),
    (2060, "ESLURM_PORTS_INVALID", "Requires more ports than can be reserved"),
    (2061, "ESLURM_PROLOG_RUNNING", "PrologSlurmctld is still running"),
    (2062, "ESLURM_NO_STEPS", "Job steps can not be run on this cluster"),
    (2063, "ESLURM_INVALID_BLOCK_STATE", "Invalid block state specified"),
    (2064, "ESLURM_INVALID_BLOCK_LAYOUT",
     "Functionality not available with current block layout mode"),
    (2065, "ESLURM_INVALID_BLOCK_NAME", "Invalid block name specified"),
    (2066, "ESLURM_INVALID_QOS", "Invalid qos specification"),
    (2067, "ESLURM_QOS_PREEMPTION_LOOP", "QOS Preemption loop detected"),
    (2068, "ESLURM_NODE_NOT_AVAIL",
     "Required node not available (down, drained or reserved)"),
    (2069, "ESLURM_INVALID_CPU_COUNT", "CPU count specification invalid"),
    (2070, "ESLURM_PARTITION_NOT_AVAIL",
     "Required partition not available (inactive or drain)"),
    (2071, "ESLURM_CIRCULAR_DEPENDENCY", "Circular job dependency"),
    (2072, "ESLURM_INVALID_GRES", "Invalid generic resource (gres) specification"),
    (2073, "ESLURM_JOB_NOT_PENDING", "Job is no longer pending execution"),
    (2074, "ESLURM_QOS_THRES",
     "Requested account has breached requested QOS usage threshold"),
    (2075, "ESLURM_PARTITION_IN_USE", "Partition is in use"),
    (2076, "ESLURM_STEP_LIMIT", "Step limit reached for this job"),
    (2077, "ESLURM_JOB_SUSPENDED",
     "Job is current suspended, requested operation disabled"),
    (2078, "ESLURM_CAN_NOT_START_IMMEDIATELY", "Job can not start immediately"),
    (2079, "ESLURM_INTERCONNECT_BUSY", "Switch resources currently not available"),
    (2080, "ESLURM_RESERVATION_EMPTY",
     "Reservation request lacks users, groups or accounts"),
    (2081, "ESLURM_INVALID_ARRAY", "Invalid job array specification"),
    (2082, "ESLURM_RESERVATION_NAME_DUP", "Duplicate reservation name"),
    (2083, "ESLURM_JOB_STARTED", "Job has already started"),
    (2084, "ESLURM_JOB_FINISHED", "Job has already finished"),
    (2085, "ESLURM_JOB_NOT_RUNNING", "Job is not running"),
    (2086, "ESLURM_JOB_NOT_PENDING_NOR_RUNNING", "Job is not pending nor running"),
    (2087, "ESLURM_JOB_NOT_SUSPENDED", "Job is not suspended"),
    (2088, "ESLURM_JOB_NOT_FINISHED", "Job is not finished"),
    (2089, "ESLURM_TRIGGER_DUP", "Duplicate event trigger"),
    (2090, "ESLURM_INTERNAL", "Slurm internal error, contact system administrator"),
    (2091, "ESLURM_INVALID_BURST_BUFFER_CHANGE",
     "BurstBufferType change requires restart of slurmctld daemon to take effect"),
    (2092, "ESLURM_BURST_BUFFER_PERMISSION", "Burst Buffer permission denied"),
    (2093, "ESLURM_BURST_BUFFER_LIMIT", "Burst Buffer resource limit exceeded"),
    (2094, "ESLURM_INVALID_BURST_BUFFER_REQUEST", "Burst Buffer request invalid"),
    (2095, "ESLURM_PRIO_RESET_FAIL",
     "Changes to job priority are not persistent, change nice instead"),
    (2096, "ESLURM_CANNOT_MODIFY_CRON_JOB",
     "Cannot modify scrontab jobs through scontrol"),
    (2099, "ESLURM_INVALID_MCS_LABEL", "Invalid mcs_label specified"),
    (2100, "ESLURM_BURST_BUFFER_WAIT", "Waiting for burst buffer"),
    (2101, "ESLURM_PARTITION_DOWN", "Partition in DOWN state"),
    (2102, "ESLURM_DUPLICATE_GRES", "Duplicate generic resource (gres) specification"),
    (2103, "ESLURM_JOB_SETTING_DB_INX",
     "Job update not available right now, the DB index is being set, try again in a bit"),
    (2104, "ESLURM_RSV_ALREADY_STARTED", "Reservation already started"),
    (2105, "ESLURM_SUBMISSIONS_DISABLED", "System submissions disabled"),
    (2106, "ESLURM_NOT_HET_JOB", "Job not heterogeneous job"),
    (2107, "ESLURM_NOT_HET_JOB_LEADER", "Job not heterogeneous job leader"),
    (2108, "ESLURM_NOT_WHOLE_HET_JOB",
     "Operation not permitted on individual component of heterogeneous job"),
    (2109, "ESLURM_CORE_RESERVATION_UPDATE",
     "Core-based reservation can not be updated"),
    (2110, "ESLURM_DUPLICATE_STEP_ID", "Duplicate job step id"),
    (2111, "ESLURM_INVALID_CORE_CNT",
     "Core count for reservation node list is not consistent!"),
    (2112, "ESLURM_X11_NOT_AVAIL", "X11 forwarding not available"),
    (2113, "ESLURM_GROUP_ID_MISSING", "Invalid group id"),
    (2114, "ESLURM_BATCH_CONSTRAINT",
     "Job --batch option is invalid or not a subset of --constraints"),
    (2115, "ESLURM_INVALID_TRES", "Invalid Trackable RESource (TRES) specification"),
    (2116, "ESLURM_INVALID_TRES_BILLING_WEIGHTS",
     "Invalid TRESBillingWeights specification"),
    (2117, "ESLURM_INVALID_JOB_DEFAULTS", "Invalid JobDefaults specification"),
    (2118, "ESLURM_RESERVATION_MAINT",
     "Job can not start due to maintenance reservation."),
    (2119, "ESLURM_INVALID_GRES_TYPE",
     "Invalid GRES specification (with and without type identification)"),
    (2120, "ESLURM_REBOOT_IN_PROGRESS", "Reboot already in progress"),
    (2121, "ESLURM_MULTI_KNL_CONSTRAINT",
     "Multiple KNL NUMA and/or MCDRAM constraints require use of a heterogeneous job"),
    (2122, "ESLURM_UNSUPPORTED_GRES",
     "Requested GRES option unsupported by configured SelectType plugin"),
    (2123, "ESLURM_INVALID_NICE", "Invalid --nice value"),
    (2124, "ESLURM_INVALID_TIME_MIN_LIMIT",
     "Invalid time-min specification (exceeds job's time or other limits)"),
    (2125, "ESLURM_DEFER",
     "Immediate execution impossible. Individual job submission scheduling attempts deferred"),
    (2126, "ESLURM_CONFIGLESS_DISABLED",
     "ConfigLess mode is disabled in slurm configuration."),
    (2127, "ESLURM_ENVIRONMENT_MISSING", "Environment is missing in job"),
    (2128, "ESLURM_RESERVATION_NO_SKIP",
     "Reservation given is not skipable, try deleting instead"),
    (2129, "ESLURM_RESERVATION_USER_GROUP",
     "Reservations can't have users and groups specified, only one or the other"),
    (2130, "ESLURM_PARTITION_ASSOC",
     "Multiple partition job request not supported when a partition is set in the association"),
    (2131, "ESLURM_IN_STANDBY_USE_BACKUP",
     "Controller is in standby mode, try a different controller"),
    (2132, "ESLURM_BAD_THREAD_PER_CORE",
     "Cannot request more threads per core than the job allocation"),
    (2133, "ESLURM_INVALID_PREFER", "Invalid preferred feature specification"),
    (2134, "ESLURM_INSUFFICIENT_GRES", "Insufficient GRES available in allocation"),
    (3000, "ESPANK_ERROR", "Generic error"),
    (3001, "ESPANK_BAD_ARG", "Bad argument"),
    (3002, "ESPANK_NOT_TASK", "Not in task context"),
    (3003, "ESPANK_ENV_EXISTS", "Environment variable exists"),
    (3004, "ESPANK_ENV_NOEXIST", "No such environment variable"),
    (3005, "ESPANK_NOSPACE", "Buffer too small"),
    (3006, "ESPANK_NOT_REMOTE", "Valid only in remote context"),
    (3007, "ESPANK_NOEXIST", "Id/PID does not exist on this node"),
    (3008, "ESPANK_NOT_EXECD", "Lookup by PID requested, but no tasks running"),
    (3009, "ESPANK_NOT_AVAIL", "Item not available from this callback"),
    (3010, "ESPANK_NOT_LOCAL", "Valid only in local or allocator context"),
    (4000, "ESLURMD_PIPE_ERROR_ON_TASK_SPAWN", "Pipe error on task spawn"),
    (4001, "ESLURMD_KILL_TASK_FAILED", "Kill task failed"),
    (4002, "ESLURMD_KILL_JOB_ALREADY_COMPLETE", "Unknown error 4002"),
    (4003, "ESLURMD_INVALID_ACCT_FREQ", "Invalid accounting frequency requested"),
    (4004, "ESLURMD_INVALID_JOB_CREDENTIAL", "Invalid job credential"),
    (4005, "ESLURMD_UID_NOT_FOUND", "User not found on host"),
    (4006, "ESLURMD_GID_NOT_FOUND", "Group ID not found on host"),
    (4007, "ESLURMD_CREDENTIAL_EXPIRED", "Job credential expired"),
    (4008, "ESLURMD_CREDENTIAL_REVOKED", "Job credential revoked"),
    (4009, "ESLURMD_CREDENTIAL_REPLAYED", "Job credential replayed"),
    (4010, "ESLURMD_CREATE_BATCH_DIR_ERROR",
     "Slurmd could not create a batch directory or file"),
    (4011, "ESLURMD_MODIFY_BATCH_DIR_ERROR",
     "Slurmd could not chown or chmod a batch directory"),
    (4012, "ESLURMD_CREATE_BATCH_SCRIPT_ERROR",
     "Slurmd could not create a batch script"),
    (4013, "ESLURMD_MODIFY_BATCH_SCRIPT_ERROR",
     "Slurmd could not chown or chmod a batch script"),
    (4014, "ESLURMD_SETUP_ENVIRONMENT_ERROR",
     "Slurmd could not set up environment for batch job"),
    (4015, "ESLURMD_SHARED_MEMORY_ERROR", "Slurmd shared memory error"),
    (4016, "ESLURMD_SET_UID_OR_GID_ERROR", "Slurmd could not set UID or GID"),
    (4017, "ESLURMD_SET_SID_ERROR", "Slurmd could not set session ID"),
    (4018, "ESLURMD_CANNOT_SPAWN_IO_THREAD", "Slurmd could not spawn I/O thread"),
    (4019, "ESLURMD_FORK_FAILED", "Slurmd could not fork job"),
    (4020, "ESLURMD_EXECVE_FAILED", "Slurmd could not execve job"),
    (4021, "ESLURMD_IO_ERROR", "Slurmd could not connect IO"),
    (4022, "ESLURMD_PROLOG_FAILED", "Job prolog failed"),
    (4023, "ESLURMD_EPILOG_FAILED", "Job epilog failed"),
    (4024, "ESLURMD_SESSION_KILLED", "Session manager killed"),
    (4025, "ESLURMD_TOOMANYSTEPS", "Too many job steps on node"),
    (4026, "ESLURMD_STEP_EXISTS", "Job step already exists"),
    (4027, "ESLURMD_JOB_NOTRUNNING", "Job step not running"),
    (4028, "ESLURMD_STEP_SUSPENDED", "Job step is suspended"),
    (4029, "ESLURMD_STEP_NOTSUSPENDED", "Job step is not currently suspended"),
    (4030, "ESLURMD_INVALID_SOCKET_NAME_LEN",
     "Unix socket name exceeded maximum length"),
    (4031, "ESLURMD_CONTAINER_RUNTIME_INVALID",
     "Container runtime not configured or invalid"),
    (4032, "ESLURMD_CPU_BIND_ERROR", "Unable to satisfy cpu bind request"),
    (4033, "ESLURMD_CPU_LAYOUT_ERROR", "Unable to layout tasks on given cpus"),
    (4100, "ESCRIPT_CHDIR_FAILED", "unable to change directory to work directory"),
    (4101, "ESCRIPT_OPEN_OUTPUT_FAILED", "could not open output file"),
    (4102, "ESCRIPT_NON_ZERO_RETURN", "Script terminated with non-zero exit code"),
    (5000, "SLURM_PROTOCOL_SOCKET_IMPL_ZERO_RECV_LENGTH",
     "Received zero length message"),
    (5001, "SLURM_PROTOCOL_SOCKET_IMPL_NEGATIVE_RECV_LENGTH",
     "Received message length < 0"),
    (5002, "SLURM_PROTOCOL_SOCKET_IMPL_NOT_ALL_DATA_SENT",
     "Failed to send entire message"),
    (5003, "ESLURM_PROTOCOL_INCOMPLETE_PACKET",
     "Header lengths are longer than data received"),
    (5004, "SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT",
     "Socket timed out on send/recv operation"),
    (5005, "SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT",
     "Zero Bytes were transmitted or received"),
    (6000, "ESLURM_AUTH_CRED_INVALID", "Invalid authentication credential"),
    (6001, "ESLURM_AUTH_FOPEN_ERROR", "Failed to open authentication public key"),
    (6002, "ESLURM_AUTH_NET_ERROR", "Failed to connect to authentication agent"),
    (6003, "ESLURM_AUTH_UNABLE_TO_SIGN", "Unknown error 6003"),
    (6004, "ESLURM_AUTH_BADARG", "Bad argument to plugin function"),
    (6005, "ESLURM_AUTH_MEMORY", "Memory management error"),
    (6006, "ESLURM_AUTH_INVALID", "Authentication credential invalid"),
    (6007, "ESLURM_AUTH_UNPACK", "Cannot unpack credential"),
    (6008, "ESLURM_AUTH_SKIP", "Authentication does not apply to request"),
    (7000, "ESLURM_DB_CONNECTION", "Unable to connect to database"),
    (7001, "ESLURM_JOBS_RUNNING_ON_ASSOC",
     "Job(s) active, cancel job(s) before remove"),
    (7002, "ESLURM_CLUSTER_DELETED", "Cluster deleted, commit/rollback immediately"),
    (7003, "ESLURM_ONE_CHANGE", "Can only change one at a time"),
    (7004, "ESLURM_BAD_NAME", "Unacceptable name given. (No '.' in name allowed)"),
    (7005, "ESLURM_OVER_ALLOCATE", "You can not allocate more than 100% of a resource"),
    (7006, "ESLURM_RESULT_TOO_LARGE", "Query result exceeds size limit"),
    (7007, "ESLURM_DB_QUERY_TOO_WIDE", "Too wide of a date range in query"),
    (7008, "ESLURM_DB_CONNECTION_INVALID", "Database connection reference is invalid"),
    (7009, "ESLURM_NO_REMOVE_DEFAULT_ACCOUNT",
     "You can not remove the default account of a user"),
    (7100, "ESLURM_FED_CLUSTER_MAX_CNT", "Too many clusters in federation"),
    (7101, "ESLURM_FED_CLUSTER_MULTIPLE_ASSIGNMENT",
     "Clusters can only be assigned to one federation"),
    (7102, "ESLURM_INVALID_CLUSTER_FEATURE", "Invalid cluster feature specification"),
    (7103, "ESLURM_JOB_NOT_FEDERATED", "Not a valid federated job"),
    (7104, "ESLURM_INVALID_CLUSTER_NAME", "Invalid cluster name"),
    (7105, "ESLURM_FED_JOB_LOCK", "Job locked by another sibling"),
    (7106, "ESLURM_FED_NO_VALID_CLUSTERS", "No eligible clusters for federated job"),
    (8000, "ESLURM_MISSING_TIME_LIMIT",
     "Time limit specification required, but not provided"),
    (8001, "ESLURM_INVALID_KNL", "Invalid KNL configuration (MCDRAM or NUMA option)"),
    (8002, "ESLURM_PLUGIN_INVALID", "Plugin has invalid format or unable to be loaded"),
    (8003, "ESLURM_PLUGIN_INCOMPLETE", "Plugin missing required symbol or function"),
    (9000, "ESLURM_REST_INVALID_QUERY", "Query empty or not RFC7320 compliant"),
    (9001, "ESLURM_REST_FAIL_PARSING", "Failure during parsing"),
    (9002, "ESLURM_REST_INVALID_JOBS_DESC",
     "Jobs description entry not found, empty or not dictionary or list"),
    (9003, "ESLURM_REST_EMPTY_RESULT", "Nothing found with query"),
    (9200, "ESLURM_DATA_PATH_NOT_FOUND", "Unable to resolve path"),
    (9201, "ESLURM_DATA_PTR_NULL", "Data pointer is NULL"),
    (9202, "ESLURM_DATA_CONV_FAILED", "Unable to convert Data type"),
    (9203, "ESLURM_DATA_REGEX_COMPILE", "Unable to compile regex"),
    (9204, "ESLURM_DATA_UNKNOWN_MIME_TYPE",
     "MIME type is unknown to any loaded plugins"),
    (9205, "ESLURM_DATA_TOO_LARGE", "DATA too large to handle"),
    (10000, "ESLURM_CONTAINER_NOT_CONFIGURED", "Container support is not configured"),

)

# (number, name, text) added or changed after 22.05 (current Slurm source)
_TABLE_LATER: tuple[tuple[int, str, str], ...] = (
    (1014, "SLURM_COMMUNICATIONS_INVALID_INCOMING_FD",
     "Unable to process incoming file descriptor"),
    (1015, "SLURM_COMMUNICATIONS_INVALID_OUTGOING_FD",
     "Unable to process outgoing file descriptor"),
    (1016, "SLURM_COMMUNICATIONS_INVALID_FD",
     "Unable to process incoming and outgoing file descriptors"),
    (1017, "SLURM_BLOCKED_ON_READ", "Read would block"),
    (1018, "SLURM_BLOCKED_ON_WRITE", "Write would block"),
    (1019, "SLURM_COMMUNICATIONS_REJECTED", "Connection rejected by handler"),
    (1020, "SLURM_COMMUNICATIONS_QUIESCE_TIMEOUT",
     "Connection forced closed by quiesce timeout"),
    (1021, "SLURM_COMMUNICATIONS_CONNECT_TIMEOUT", "Connection timed out establishing"),
    (1022, "SLURM_COMMUNICATIONS_WRITE_TIMEOUT", "Connection timed out writing"),
    (1023, "SLURM_COMMUNICATIONS_READ_TIMEOUT", "Connection timed out reading"),
    (1024, "SLURM_COMMUNICATIONS_DELAYED_ERROR",
     "Kernel reported delayed socket error after successful write(), client side likely closed"),
    (1025, "SLURM_SHUTTING_DOWN",
     "Process is shutting down and closing all communications"),
    (1804, "SLURMCTLD_COMMUNICATIONS_BACKOFF",
     "Rate limit exceeded, please retry momentarily"),
    (1805, "SLURMCTLD_COMMUNICATIONS_HARD_DROP",
     "Rate limit exceeded, please retry later"),
    (2007, "ESLURM_MAX_JOB_COUNT", "MaxJobCount limit reached"),
    (2040, "ESLURM_LICENSES_UNAVAILABLE", "Licenses currently unavailable"),
    (2041, "ESLURM_TAKEOVER_NO_HEARTBEAT",
     "Unable to takeover, heartbeat file is missing"),
    (2063, "ESLURM_MISSING_WORK_DIR",
     "Job cannot be submitted without the current working directory specified."),
    (2064, "ESLURM_STEPS_DRAINED", "No running or pending steps in the job"),
    (2097, "ESLURM_INVALID_NAMESPACE_CHANGE",
     "NamespaceType change requires restart of all Slurm daemons and commands to take effect"),
    (2098, "ESLURM_CANNOT_CANCEL_CRON_JOB",
     "Cannot cancel scrontab jobs without --cron flag."),
    (2114, "ESLURM_BATCH_CONSTRAINT",
     "Job --batch option is invalid or not a subset of --constraint"),
    (2135, "ESLURM_INVALID_CONTAINER_ID", "Invalid container id specified"),
    (2136, "ESLURM_EMPTY_JOB_ID", "JobID must not be an empty string"),
    (2137, "ESLURM_INVALID_JOB_ID_ZERO", "JobID can not be zero"),
    (2138, "ESLURM_INVALID_JOB_ID_NEGATIVE", "JobID can not be a negative number"),
    (2139, "ESLURM_INVALID_JOB_ID_TOO_LARGE", "JobID larger than acceptable range"),
    (2140, "ESLURM_INVALID_JOB_ID_NON_NUMERIC",
     "JobID includes unexpected non-numeric characters"),
    (2141, "ESLURM_EMPTY_JOB_ARRAY_ID", "Job Array ID must not be an empty string"),
    (2142, "ESLURM_INVALID_JOB_ARRAY_ID_NEGATIVE",
     "Job Array ID can not be a negative number"),
    (2143, "ESLURM_INVALID_JOB_ARRAY_ID_TOO_LARGE",
     "Job Array ID larger than acceptable range"),
    (2144, "ESLURM_INVALID_JOB_ARRAY_ID_NON_NUMERIC",
     "Job Array ID includes unexpected non-numeric characters"),
    (2146, "ESLURM_EMPTY_HET_JOB_COMP", "HetJob component must not be an empty string"),
    (2147, "ESLURM_INVALID_HET_JOB_COMP_NEGATIVE",
     "HetJob component can not be a negative number"),
    (2148, "ESLURM_INVALID_HET_JOB_COMP_TOO_LARGE",
     "HetJob component larger than acceptable range"),
    (2150, "ESLURM_EMPTY_STEP_ID", "StepID must not be an empty string"),
    (2151, "ESLURM_INVALID_STEP_ID_NEGATIVE", "StepID can not be a negative number"),
    (2152, "ESLURM_INVALID_STEP_ID_TOO_LARGE", "StepID larger than acceptable range"),
    (2153, "ESLURM_INVALID_STEP_ID_NON_NUMERIC",
     "StepID includes unexpected non-numeric characters"),
    (2154, "ESLURM_EMPTY_HET_STEP", "HetStep component must not be an empty string"),
    (2155, "ESLURM_INVALID_HET_STEP_ZERO", "HetStep component can not be zero"),
    (2156, "ESLURM_INVALID_HET_STEP_NEGATIVE",
     "HetStep component can not be a negative number"),
    (2157, "ESLURM_INVALID_HET_STEP_TOO_LARGE",
     "HetStep component larger than acceptable range"),
    (2158, "ESLURM_INVALID_HET_STEP_NON_NUMERIC",
     "HetStep component includes unexpected non-numeric characters"),
    (2159, "ESLURM_INVALID_HET_STEP_JOB", "HetJob can not Het step id"),
    (2160, "ESLURM_JOB_TIMEOUT_KILLED", "Job killed due hitting max wall clock limit"),
    (2161, "ESLURM_JOB_NODE_FAIL_KILLED", "Job killed due node failure"),
    (2162, "ESLURM_EMPTY_LIST", "Empty list"),
    (2163, "ESLURM_GROUP_ID_INVALID", "Invalid group ID"),
    (2164, "ESLURM_GROUP_ID_UNKNOWN", "Unable to resolve group ID to group name"),
    (2165, "ESLURM_USER_ID_INVALID", "Invalid user ID"),
    (2166, "ESLURM_USER_ID_UNKNOWN", "Unable to resolve user ID to user name"),
    (2167, "ESLURM_INVALID_ASSOC", "Invalid or unknown association"),
    (2168, "ESLURM_NODE_ALREADY_EXISTS", "Node already exists in the node table"),
    (2169, "ESLURM_NODE_TABLE_FULL", "Unable to add node, node table is full"),
    (2170, "ESLURM_INVALID_RELATIVE_QOS",
     "Invalid QOS specification, relative QOS can only be used in a single partition per cluster."),
    (2171, "ESLURM_INVALID_EXTRA", "Invalid extra constraints specification"),
    (2172, "ESLURM_JOB_SIGNAL_FAILED", "Cannot signal job"),
    (2173, "ESLURM_SIGNAL_JOBS_INVALID",
     "Invalid signal jobs request, at least one job id or filter is required."),
    (2174, "ESLURM_RES_CORES_PER_GPU_UNIQUE",
     "RestrictedCoresPerGPU: Not enough unique cores per GPU"),
    (2175, "ESLURM_RES_CORES_PER_GPU_TOPO",
     "RestrictedCoresPerGPU: Missing core topology for GPUs"),
    (2176, "ESLURM_RES_CORES_PER_GPU_NO",
     "RestrictedCoresPerGPU: No GPUs configured on node"),
    (2177, "ESLURM_MAX_POWERED_NODES", "Max powered up nodes reached"),
    (2178, "ESLURM_REQUESTED_TOPO_CONFIG_UNAVAILABLE",
     "Requested topology configuration is not available"),
    (2179, "ESLURM_PREEMPTION_REQUIRED",
     "Preemption is required but is disabled on this system"),
    (2180, "ESLURM_INVALID_NODE_STATE_TRANSITION", "Invalid node state transition"),
    (2181, "ESLURM_INVALID_JOB_STATE", "Invalid job state"),
    (2185, "ESLURM_INVALID_SLUID", "SLUID is invalid"),
    (2186, "ESLURM_EXTERN_ONLY", "Requested operation requires extern step"),
    (2187, "ESLURM_INVALID_POWER_ACTION", "Invalid power action"),
    (2188, "ESLURM_STEP_QUEUED", "Step queued as pending"),
    (2189, "ESLURM_INVALID_EXTERNAL_JOB", "Invalid configuration for external job"),
    (2190, "ESLURM_FILE_UNREADABLE", "Unable to load file for reading"),
    (3011, "ESPANK_NODE_FAILURE", "Spank plugin failure, node failed"),
    (3012, "ESPANK_JOB_FAILURE", "Spank plugin failure, job failed"),
    (4027, "ESLURMD_STEP_NOTRUNNING", "Job step not running"),
    (4035, "ESLURMD_STEPD_PROXY_FAILED", "Unable to proxy slurmstepd message"),
    (6001, "ESLURM_AUTH_EXPIRED", "Authentication credential expired"),
    (6009, "ESLURM_AUTH_UNABLE_TO_GENERATE_TOKEN", "Token Generation failed."),
    (6010, "ESLURM_AUTH_NOBODY",
     "Rejecting authentication of user nobody or group nobody"),
    (6011, "ESLURM_AUTH_SOCKET_INVALID_PEER",
     "Unable to query kernel for socket peer credential"),
    (7010, "ESLURM_BAD_SQL",
     "There is something internally wrong with the SQL needed for this. Please consult the slurmdbd log for more info."),
    (7011, "ESLURM_NO_REMOVE_DEFAULT_QOS",
     "This request would make it so some associations would not have access to their default qos."),
    (7012, "ESLURM_COORD_NO_INCREASE_JOB_LIMIT",
     "Coordinators can not increase job limits beyond the parent ones"),
    (7013, "ESLURM_NO_RPC_STATS", "No RPC stats are available"),
    (7014, "ESLURM_INVALID_SHARED_POOL_ALLOWED",
     "Invalid value for Allowed field when SharedPool enabled, must be 0 or 100% (without Absolute) or Count (with Absolute)."),
    (7201, "ESLURM_TOPO_REQ_NODES_NOT_AVAIL",
     "Required nodes lack available resources"),
    (7202, "ESLURM_TOPO_REQ_NODES_NO_MATCH_TOPO", "Required nodes do not fit topology"),
    (7203, "ESLURM_TOPO_NO_FIT", "No suitable topology unit found"),
    (7204, "ESLURM_TOPO_SEGMENT_NO_FIT", "No suitable topology unit found for segment"),
    (7205, "ESLURM_TOPO_INSUFFICIENT_RESOURCES",
     "Insufficient resources in topology unit"),
    (7206, "ESLURM_TOPO_WEIGHT_NO_FIT",
     "Weight-based selection could not satisfy request within topology unit"),
    (7207, "ESLURM_TOPO_MAX_NODE_LIMIT",
     "Exceeded maximum node limit during topology allocation"),
    (7208, "ESLURM_TOPO_EMPTY_NODE_MAP", "No available nodes in topology"),
    (7400, "ESLURM_LUA_INVALID_STATE", "Invalid or NULL Lua state pointer"),
    (7401, "ESLURM_LUA_INVALID_SYNTAX",
     "Lua script loading failed due to invalid syntax"),
    (7402, "ESLURM_LUA_FUNC_NOT_FOUND", "Requested Lua function not found"),
    (7403, "ESLURM_LUA_FUNC_INVALID_RC",
     "Lua function returned nil or table instead of numeric result"),
    (7404, "ESLURM_LUA_FUNC_FAILED",
     "Lua function execution failed for unknown reasons"),
    (7405, "ESLURM_LUA_FUNC_FAILED_RUNTIME_ERROR",
     "Lua function execution failed due to runtime error"),
    (7406, "ESLURM_LUA_FUNC_FAILED_ENOMEM",
     "Lua function execution failed due to memory allocation failure. Either not enough memory for Lua script's variables or memory allocation request for a variable was way too large."),
    (7407, "ESLURM_LUA_FUNC_FAILED_GARBAGE_COLLECTOR",
     "Lua function execution failed due to unknown failure in Lua's garbage collector"),
    (7408, "ESLURM_LUA_INVALID_CONVERSION_TYPE",
     "Unknown or unparsable Lua type found at top of Lua stack"),
    (8004, "ESLURM_PLUGIN_NOT_LOADED",
     "Required plugin type not loaded or initialized"),
    (8005, "ESLURM_PLUGIN_NOTFOUND", "Plugin file not found"),
    (8006, "ESLURM_PLUGIN_ACCESS_ERROR", "Plugin access denied"),
    (8007, "ESLURM_PLUGIN_DLOPEN_FAILED", "Dlopen of plugin file failed"),
    (8008, "ESLURM_PLUGIN_INIT_FAILED", "Plugin init() callback failed"),
    (8009, "ESLURM_PLUGIN_MISSING_NAME", "Plugin name/type/version symbol missing"),
    (8010, "ESLURM_PLUGIN_BAD_VERSION", "Incompatible plugin version"),
    (9004, "ESLURM_REST_MISSING_UID", "Missing UNIX user in the system"),
    (9005, "ESLURM_REST_MISSING_GID", "Missing UNIX group in the system"),
    (9006, "ESLURM_REST_UNKNOWN_URL",
     "Unable to find requested URL endpoint. Please query the '/openapi/v3' endpoint or visit 'https://slurm.schedmd.com/rest_api.html' for the OpenAPI specification which includes a list of all possible slurmrestd endpoints."),
    (9007, "ESLURM_REST_UNKNOWN_URL_METHOD",
     "Requested HTTP query method is not supported at URL endpoint. Please query the '/openapi/v3' endpoint or visit 'https://slurm.schedmd.com/rest_api.html' for the OpenAPI specification which includes a list of all possible slurmrestd endpoints."),
    (9008, "ESLURM_REST_AUTH_FAIL", "Authentication failure"),
    (9009, "ESLURM_REST_BAD_REQUEST", "Query requirements not met"),
    (9205, "ESLURM_DATA_TOO_LARGE", "Data too large to handle"),
    (9206, "ESLURM_DATA_FLAGS_INVALID_TYPE", "Data parser expects flags to be a list"),
    (9207, "ESLURM_DATA_FLAGS_INVALID", "Data parser unable to parse invalid flag"),
    (9208, "ESLURM_DATA_EXPECTED_LIST", "Data parser expected a list"),
    (9209, "ESLURM_DATA_EXPECTED_DICT", "Data parser expected a dictionary or object"),
    (9210, "ESLURM_DATA_AMBIGUOUS_MODIFY",
     "Request matched more than one object to modify. Modifications must only apply to a single object. Try adding more properties to make update match a unique object."),
    (9211, "ESLURM_DATA_AMBIGUOUS_QUERY",
     "Request matched more than one object to query. Request is limited to query of a single matching object."),
    (9212, "ESLURM_DATA_PARSE_NOTHING", "Request to parse empty string rejected"),
    (9213, "ESLURM_DATA_INVALID_PARSER", "Invalid parser requested"),
    (9214, "ESLURM_DATA_PARSING_DEPTH",
     "Parsing tree too deep. Possible cyclic parsing detected"),
    (9215, "ESLURM_DATA_PARSER_INVALID_STATE",
     "Parser went into an invalid state. Possible library issue."),
    (9216, "ESLURM_DATA_PARSE_BAD_INPUT", "Request to parse invalid data"),
    (9300, "ESLURM_UTF_INVALID_CODE", "Invalid or reserved UTF code point"),
    (9301, "ESLURM_UTF8_INVALID_READ", "Unable to read invalid UTF-8 character"),
    (9302, "ESLURM_UTF8_READ_ILLEGAL_TERMINATION",
     "Unable to read UTF-8 multibyte character before string termination"),
    (9303, "ESLURM_UTF8_INVALID_BYTE_2",
     "Invalid second byte of UTF-8 multibyte character"),
    (9304, "ESLURM_UTF8_INVALID_BYTE_3",
     "Invalid third byte of UTF-8 multibyte character"),
    (9305, "ESLURM_UTF8_INVALID_BYTE_4",
     "Invalid fourth byte of UTF-8 multibyte character"),
    (9306, "ESLURM_UTF_RESERVED_CODE", "Rejecting reserved UTF code"),
    (9307, "ESLURM_UTF16_SURROGATE_CODE", "Rejecting UTF-16 surrogate code"),
    (9308, "ESLURM_UTF_PRIVATE_CODE", "Rejecting private use only UTF code"),
    (9309, "ESLURM_UTF_NONCHARACTER_CODE", "Rejecting noncharacter UTF code"),
    (9310, "ESLURM_UTF_NULL_CODE", "Rejecting U+0 code for null character"),
    (9311, "ESLURM_UTF16BE_SCHEMA", "UTF-16BE encoding schema is unsupported"),
    (9312, "ESLURM_UTF16LE_SCHEMA", "UTF-16LE encoding schema is unsupported"),
    (9313, "ESLURM_UTF32BE_SCHEMA", "UTF-32BE encoding schema is unsupported"),
    (9314, "ESLURM_UTF32LE_SCHEMA", "UTF-32LE encoding schema is unsupported"),
    (11000, "ESLURM_URL_UNKNOWN_SCHEME", "Unknown URL scheme"),
    (11001, "ESLURM_URL_EMPTY", "URL string is empty"),
    (11002, "ESLURM_URL_NON_NULL_TERMINATOR", "Invalid non-NULL terminated URL"),
    (11003, "ESLURM_URL_INVALID_FORMATING", "Invalid format for URL format"),
    (11004, "ESLURM_URL_INVALID_SCHEME", "Invalid or unknown URL scheme"),
    (11005, "ESLURM_URL_UNSUPPORTED_SCHEME", "URL scheme not supported"),
    (11006, "ESLURM_URL_INVALID_HOST", "Invalid or unknown URL host"),
    (11007, "ESLURM_URL_INVALID_PORT", "Invalid or unknown URL port"),
    (11008, "ESLURM_URL_INVALID_PATH", "Invalid or unknown URL path"),
    (11009, "ESLURM_URL_INVALID_QUERY", "Invalid or unknown URL query"),
    (11010, "ESLURM_URL_INVALID_FRAGMENT", "Invalid or unknown URL fragment"),
    (11011, "ESLURM_URL_UNSUPPORTED_FORMAT", "URL format not supported"),
    (12000, "ESLURM_HTTP_PARSING_FAILURE", "Unspecified error during HTTP parsing"),
    (12001, "ESLURM_HTTP_UNEXPECTED_URL", "Unexpected duplicate URL"),
    (12002, "ESLURM_HTTP_EMPTY_HEADER", "Invalid empty HTTP header"),
    (12003, "ESLURM_HTTP_INVALID_STATUS_CODE", "Invalid HTTP status code"),
    (12004, "ESLURM_HTTP_INVALID_METHOD", "Invalid HTTP method"),
    (12005, "ESLURM_HTTP_MISSING_LF", "Missing an expected LF character"),
    (12006, "ESLURM_HTTP_INVALID_CHARACTER",
     "Unexpected character added or missing in HTTP"),
    (12007, "ESLURM_HTTP_INVALID_CONTENT_LENGTH",
     "Unexpected character or unparsable number in HTTP Content-Length header"),
    (12008, "ESLURM_HTTP_INVALID_TRANSFER_ENCODING",
     "Invalid HTTP Tranfser-Encoding header"),
    (12009, "ESLURM_HTTP_UNSUPPORTED_CHUNK_ENCODING",
     "HTTP Chunked Transfer-Encoding not supported"),
    (12010, "ESLURM_HTTP_UNEXPECTED_REQUEST", "Received unexpected HTTP Request"),
    (12011, "ESLURM_HTTP_UNSUPPORTED_VERSION",
     "Only HTTP version 1.1 requests are supported"),
    (12012, "ESLURM_HTTP_UNSUPPORTED_UPGRADE",
     "HTTP protocol upgrading is not supported."),
    (12013, "ESLURM_HTTP_INVALID_CONTENT_ENCODING",
     "Invalid or unsupported HTTP Content-Encoding header"),
    (12014, "ESLURM_HTTP_UNSUPPORTED_EXPECT",
     "Invalid or unsupported HTTP Content-Encoding header"),
    (12015, "ESLURM_HTTP_UNSUPPORTED_KEEP_ALIVE",
     "Invalid or unsupported HTTP Keep-Alive header"),
    (12016, "ESLURM_HTTP_CONTENT_LENGTH_TOO_LARGE",
     "HTTP Content-Length header too large to process"),
    (12017, "ESLURM_HTTP_POST_MISSING_CONTENT_LENGTH",
     "HTTP Content-Length header required for POST method requests"),
    (12018, "ESLURM_HTTP_UNEXPECTED_BODY",
     "Unexpected HTTP body provided when URL Query provided"),
    (12019, "ESLURM_HTTP_UNKNOWN_ACCEPT_MIME_TYPE",
     "HTTP Accept header content type is unknown or unsupported"),
    (12020, "ESLURM_HTTP_MISSING_CR", "Missing an expected CR character"),
    (13000, "ESLURM_TLS_REQUIRED", "TLS missing but required for connection"),

)

SLURM_22_05: tuple[SlurmErrno, ...] = tuple(
    SlurmErrno(n, name, text, "22.05") for n, name, text in _TABLE_22_05
)
SLURM_LATER: tuple[SlurmErrno, ...] = tuple(
    SlurmErrno(n, name, text, "later") for n, name, text in _TABLE_LATER
)
ERRORS: tuple[SlurmErrno, ...] = SLURM_22_05 + SLURM_LATER

_BY_NUMBER_22_05 = {e.number: e for e in SLURM_22_05}
_BY_NUMBER_LATER = {e.number: e for e in SLURM_LATER}
_BY_NAME: dict[str, SlurmErrno] = {}
for _e in ERRORS:  # 22.05 first: a name in both tables gives its 22.05 entry
    _BY_NAME.setdefault(_e.name, _e)
del _e


def by_number(number: int, *, later: bool = False) -> SlurmErrno | None:
    """The error with this number: its 22.05 meaning, unless ``later``."""
    first, second = (
        (_BY_NUMBER_LATER, _BY_NUMBER_22_05)
        if later
        else (_BY_NUMBER_22_05, _BY_NUMBER_LATER)
    )
    return first.get(number) or second.get(number)


def by_name(name: str) -> SlurmErrno | None:
    """The error with this symbolic name (``ESLURM_INVALID_JOB_ID``)."""
    return _BY_NAME.get(name)


# Texts worth looking for in a line: not SLURM_SUCCESS's "No error", which
# Slurm prints after failures that left errno unset ("Sending PersistInit
# msg: No error"). Longest first, so that a text that contains another
# ("No suitable topology unit found for segment") wins over it.
_MATCHABLE = sorted(
    (e for e in ERRORS if e.number != 0),
    key=lambda e: (-len(e.message), e.slurm != "22.05", e.number),
)


def _match_line(line: str) -> SlurmErrno | None:
    best: SlurmErrno | None = None
    best_end = -1
    for e in _MATCHABLE:
        if best is not None and len(e.message) < len(best.message):
            break
        pos = line.rfind(e.message)
        if pos < 0:
            continue
        end = pos + len(e.message)
        if best is None or end > best_end:
            best, best_end = e, end
    return best


# What the client commands print, in their own words, when slurmdbd does not
# answer; slurmrestd answers the same with ESLURM_DB_CONNECTION (502).
_DBD_UNREACHABLE = ("Sending PersistInit msg: Connection refused",
                    "Problem talking to the database: Connection refused")


def from_message(text: str) -> SlurmErrno | None:
    """The Slurm error whose ``slurm_strerror`` text appears in ``text``.

    ``text`` is a line a command printed on stderr, or all of its stderr: the
    last line that carries a known text decides, since the tools print the
    error that made them fail last (``sbatch: error: invalid partition
    specified: x`` then ``sbatch: error: Batch job submission failed: Invalid
    partition name specified``). Within a line the longest known text wins.
    Matching is case-sensitive, as the texts are fixed strings ("Invalid user
    id" is 2010, "Invalid user ID" a later 2165).
    """
    for line in reversed(text.splitlines()):
        found = _match_line(line)
        if found is not None:
            return found
    if any(words in text for words in _DBD_UNREACHABLE):
        return by_name("ESLURM_DB_CONNECTION")
    return None


# slurmrestd's http_status_errors table, by name. Every other error is
# answered 500 (HTTP_STATUS_CODE_SRVERR_INTERNAL).
_HTTP_STATUS_BY_NAME: dict[str, int] = {
    "SLURM_NO_CHANGE_IN_DATA": 304,
    "ESLURM_REST_INVALID_QUERY": 422,
    "ESLURM_REST_FAIL_PARSING": 400,
    "ESLURM_REST_INVALID_JOBS_DESC": 400,
    "ESLURM_DATA_UNKNOWN_MIME_TYPE": 415,
    "ESLURM_INVALID_JOB_ID": 404,
    "ESLURM_REST_UNKNOWN_URL": 404,
    "ESLURM_URL_INVALID_PATH": 404,
    "SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT": 502,
    "SLURM_COMMUNICATIONS_CONNECTION_ERROR": 502,
    "SLURM_COMMUNICATIONS_SEND_ERROR": 502,
    "SLURM_COMMUNICATIONS_RECEIVE_ERROR": 502,
    "SLURM_COMMUNICATIONS_SHUTDOWN_ERROR": 502,
    "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR": 502,
    "SLURMCTLD_COMMUNICATIONS_SEND_ERROR": 502,
    "SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR": 502,
    "SLURMCTLD_COMMUNICATIONS_SHUTDOWN_ERROR": 502,
    "SLURMCTLD_COMMUNICATIONS_BACKOFF": 502,
    "ESLURM_DB_CONNECTION": 502,
    "ESLURM_PROTOCOL_INCOMPLETE_PACKET": 502,
    "SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT": 504,
    "SLURM_PROTOCOL_AUTHENTICATION_ERROR": 511,
    "ESLURM_HTTP_INVALID_CONTENT_LENGTH": 400,
    "ESLURM_HTTP_CONTENT_LENGTH_TOO_LARGE": 413,
    "ESLURM_HTTP_POST_MISSING_CONTENT_LENGTH": 411,
    "ESLURM_HTTP_INVALID_CONTENT_ENCODING": 406,
    "ESLURM_HTTP_UNSUPPORTED_EXPECT": 417,
    "ESLURM_HTTP_UNSUPPORTED_KEEP_ALIVE": 406,
    "ESLURM_HTTP_INVALID_METHOD": 405,
    "ESLURM_HTTP_UNSUPPORTED_UPGRADE": 406,
    "ESLURM_HTTP_INVALID_TRANSFER_ENCODING": 406,
    "ESLURM_AUTH_CRED_INVALID": 401,
    "ESLURM_AUTH_EXPIRED": 401,
    "ESLURM_AUTH_UNABLE_TO_GENERATE_TOKEN": 401,
    "ESLURM_HTTP_UNEXPECTED_BODY": 400,
    "ESLURM_HTTP_UNKNOWN_ACCEPT_MIME_TYPE": 415,
    "ESLURM_REST_UNKNOWN_URL_METHOD": 405,
}


def _current_number(name: str) -> int:
    # slurmrestd is compiled against the current header: take the later
    # number of a name when there is one (ESLURM_AUTH_EXPIRED is 6001 there).
    for table in (SLURM_LATER, SLURM_22_05):
        for e in table:
            if e.name == name:
                return e.number
    raise KeyError(name)


_HTTP_STATUS_BY_NUMBER: dict[int, int] = {
    _current_number(name): status for name, status in _HTTP_STATUS_BY_NAME.items()
}


def http_status(number: int) -> int:
    """The HTTP status slurmrestd answers a failure with this number with.

    0 (SLURM_SUCCESS) is not a failure and gives 200; slurmrestd never asks
    its table about it.
    """
    if number == 0:
        return 200
    return _HTTP_STATUS_BY_NUMBER.get(number, 500)
