"""The v0.0.44 ``job_desc_msg`` as Slurm 22.05's command-line tools take it.

slurmrestd hands a job description to slurmctld as a struct; slurmrestpy has
sbatch, salloc and ``scontrol update`` say the same thing. This module is
the map between the two, kept as data:

- ``SUBMIT``: each field (or group of fields that make one option) -> the
  sbatch/salloc option that carries it, the function that writes its value,
  and which of the two tools have the option;
- ``UPDATE``: each field -> the ``scontrol update job`` key and its writer;
- ``UNSUPPORTED``: fields no 22.05 tool can set, with the reason, answered
  400 naming the field rather than dropped.

Fields the handler carries itself (``script``, ``environment``,
``current_working_directory``) are named in ``CARRIED``. A field unknown to the description is not an error
(slurmrestd ignores it too) but is reported back as a warning.

Every value becomes one argument vector element (``--job-name=<value>``):
nothing is quoted, because no shell ever reads it.

Conventions the writers keep, as slurmrestd reads a description:

- a ``*_no_val_struct`` counts when ``set`` is not false and it has a
  ``number``, or when it is ``infinite``;
- an absent field, ``null``, ``""`` and ``[]`` mean "not given" on
  submission; on update an empty string clears the field (``Comment=``);
- times (``begin_time``, ``deadline``) are UNIX times; the tools read local
  time ``YYYY-MM-DDTHH:MM:SS``, written in the server's time zone, which is
  the one the tools run in.
"""

from __future__ import annotations

import os.path
import signal as signals
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from server.slurm.command import SlurmError
from server.slurm.errno import by_name

SBATCH = "sbatch"
SALLOC = "salloc"
BOTH = frozenset({SBATCH, SALLOC})


class FieldError(Exception):
    """A field whose value no tool can take, said with the field's name."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def bad_field(path: str, message: str) -> SlurmError:
    """The 400 of a field in slurmrestd's envelope, naming the field."""
    known = by_name("ESLURM_REST_FAIL_PARSING")
    return SlurmError(f"Invalid {path!r}: {message}", number=known.number if known else None,
                      source=path, status=400)


# -- what a value is -------------------------------------------------------


def given(value) -> bool:
    """Is a field present with something in it (submission)?"""
    if value is None or value == "" or value == [] or value == {}:
        return False
    if _is_no_val(value):
        return bool(value.get("infinite")) or (value.get("set") is not False and "number" in value)
    return True


def _is_no_val(value) -> bool:
    return isinstance(value, dict) and bool(value.keys() & {"set", "infinite", "number"}) and \
        value.keys() <= {"set", "infinite", "number"}


def no_val(value, name: str, *, infinite: str | None = None) -> str | None:
    """A *_no_val_struct (or a plain number) as the tools write it; None when unset."""
    if isinstance(value, bool):
        raise FieldError(name, f"expected a number, got {value!r}")
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, dict):
        raise FieldError(name, f"expected a number or {{set, infinite, number}}, got {value!r}")
    if value.get("infinite"):
        if infinite is None:
            raise FieldError(name, "cannot be infinite")
        return infinite
    if value.get("set") is False or "number" not in value:
        return None
    return str(value["number"])


def local_time(epoch) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(int(epoch)))


def minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


# -- writers: one field value -> the text of an option --------------------
# Each takes the value and the field name (for messages) and returns the
# option's text, or None when the value asks for nothing.


def text(value, name):
    if not isinstance(value, str):
        raise FieldError(name, f"expected a string, got {value!r}")
    return value


def integer(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(name, f"expected an integer, got {value!r}")
    return str(value)


def csv(value, name):
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError(name, f"expected a list of strings, got {value!r}")
    return ",".join(value)


def minutes(value, name):
    return no_val(value, name, infinite="UNLIMITED")


def megabytes(value, name):
    return no_val(value, name)


def count(value, name):
    return no_val(value, name)


def epoch(value, name):
    number = no_val(value, name)
    return None if number is None else local_time(int(number))


def delay(value, name):
    return minutes_seconds(int(integer(value, name)))


def flag_if_true(value, name):
    if not isinstance(value, bool):
        raise FieldError(name, f"expected true or false, got {value!r}")
    return "" if value else None


def yes_no(value, name):
    return "yes" if flag_if_true(value, name) is not None else "no"


def one_zero(value, name):
    return "1" if flag_if_true(value, name) is not None else "0"


def enum_list(table: dict[str, str | None]) -> Callable:
    """A list of enum names -> the comma-separated words of the tool (None:
    the name asks for nothing)."""

    def write(value, name):
        if not isinstance(value, list):
            raise FieldError(name, f"expected a list, got {value!r}")
        words = []
        for item in value:
            if item not in table:
                raise FieldError(name, f"{item!r} cannot be expressed with Slurm {_RELEASE}")
            if table[item] is not None:
                words.append(table[item])
        return ",".join(words) if words else None

    return write


def gres(option_for: str | None = None) -> Callable:
    """A TRES list (``gres/gpu:2``, ``gres:gpu:tesla:2``, ``gres/gpu=2``) ->
    the gres form the tools take (``gpu:2``). With ``option_for`` set (a
    gres name), every item must be of that gres and only its count/type is
    kept: ``--gpus=tesla:2``."""

    def write(value, name):
        items = []
        for item in text(value, name).split(","):
            item = item.strip()
            if not item:
                continue
            for prefix in ("gres/", "gres:"):
                if item.startswith(prefix):
                    item = item[len(prefix):]
                    break
            item = item.replace("=", ":")
            gres_name, _, rest = item.partition(":")
            if option_for is not None:
                if gres_name != option_for:
                    raise FieldError(name, f"only {option_for} can be expressed with Slurm "
                                           f"{_RELEASE}, not {gres_name!r}")
                if not rest:
                    raise FieldError(name, f"{item!r} has no count")
                items.append(rest)
            else:
                items.append(item)
        return ",".join(items) if items else None

    return write


_RELEASE = "22.05"


# -- rules -----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One field -> ``--flag=<written value>`` (``--flag`` alone when the
    writer returns ""). ``tools``: who has the option."""

    name: str
    flag: str
    write: Callable = text
    tools: frozenset = BOTH

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.name,)

    def render(self, desc: dict, tool: str) -> list[str]:
        written = self.write(desc[self.name], self.name)
        if written is None:
            return []
        if tool not in self.tools:
            raise FieldError(self.name, f"{tool} has no option for it")
        return [self.flag if written == "" else f"{self.flag}={written}"]


@dataclass(frozen=True)
class Mapped:
    """One field whose each value (or each item of a list) picks fixed options."""

    name: str
    choices: dict[Any, tuple[str, ...]]
    tools: frozenset = BOTH

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.name,)

    def render(self, desc: dict, tool: str | None) -> list[str]:
        if tool is not None and tool not in self.tools:
            raise FieldError(self.name, f"{tool} has no option for it")
        value = desc[self.name]
        options: list[str] = []
        for item in value if isinstance(value, list) else [value]:
            key = item if isinstance(item, (str, bool, int)) else repr(item)
            if key not in self.choices:
                raise FieldError(self.name, f"{item!r} cannot be expressed with Slurm {_RELEASE}")
            options.extend(self.choices[key])
        return options


@dataclass(frozen=True)
class Group:
    """Several fields that one option carries together (``--nodes=min-max``)."""

    names: tuple[str, ...]
    build: Callable[[dict], list[str]]
    tools: frozenset = BOTH

    @property
    def fields(self) -> tuple[str, ...]:
        return self.names

    def render(self, desc: dict, tool: str | None) -> list[str]:
        if tool is not None and tool not in self.tools:
            first = next((n for n in self.names if given(desc.get(n))), self.names[0])
            raise FieldError(first, f"{tool} has no option for it")
        return self.build(desc)


# -- groups ---------------------------------------------------------------


def _nodes(desc: dict) -> list[str]:
    nodes = desc.get("nodes")
    low, high = desc.get("minimum_nodes"), desc.get("maximum_nodes")
    if given(nodes):
        if given(low) or given(high):
            raise FieldError("nodes", "give either nodes or minimum_nodes/maximum_nodes, not both")
        return [f"--nodes={text(nodes, 'nodes')}"]
    if given(low) and given(high):
        return [f"--nodes={integer(low, 'minimum_nodes')}-{integer(high, 'maximum_nodes')}"]
    if given(low):
        return [f"--nodes={integer(low, 'minimum_nodes')}"]
    return [f"--nodes=1-{integer(high, 'maximum_nodes')}"]


def _signal_number(value, name: str) -> int:
    """A signal given by number, name (SIGUSR1) or short name (USR1)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, str):
        word = value.strip().upper()
        found = getattr(signals.Signals, word if word.startswith("SIG") else f"SIG{word}", None)
        if found is None:
            raise FieldError(name, f"{value!r} is not a signal")
        number = int(found)
    else:
        raise FieldError(name, f"expected a signal name or number, got {value!r}")
    if not 0 < number < 65:
        raise FieldError(name, f"{value!r} is not a signal")
    return number


def signal_number(value, name: str) -> int:
    return _signal_number(value, name)


# kill_warning_flags that --signal can say, as its prefix letters.
_WARNING_FLAG_LETTERS = {"BATCH_JOB": "B", "RESERVATION_JOB": "R"}


def _warning_signal(desc: dict) -> list[str]:
    flags = desc.get("kill_warning_flags") or []
    sig = desc.get("kill_warning_signal")
    delay_struct = desc.get("kill_warning_delay")
    if not given(sig):
        raise FieldError("kill_warning_signal", "kill_warning_flags and kill_warning_delay need a signal")
    letters = ""
    for item in flags:
        if item not in _WARNING_FLAG_LETTERS:
            raise FieldError("kill_warning_flags", f"{item!r} cannot be expressed with Slurm {_RELEASE}")
        letters += _WARNING_FLAG_LETTERS[item]
    value = str(_signal_number(sig, "kill_warning_signal"))
    if letters:
        value = f"{''.join(sorted(set(letters), reverse=True))}:{value}"
    seconds = no_val(delay_struct, "kill_warning_delay") if given(delay_struct) else None
    if seconds is not None:
        value += f"@{seconds}"
    return [f"--signal={value}"]


def _switches(desc: dict) -> list[str]:
    if not given(desc.get("required_switches")):
        raise FieldError("wait_for_switch", "needs required_switches")
    value = no_val(desc["required_switches"], "required_switches")
    if value is None:
        return []
    wait = desc.get("wait_for_switch")
    if given(wait):
        value += "@" + minutes_seconds(int(integer(wait, "wait_for_switch")))
    return [f"--switches={value}"]


_MEMORY_BINDING_TYPES = {"NONE": "none", "RANK": "rank", "LOCAL": "local", "PREFER": "prefer",
                         "MAP": "map_mem", "MASK": "mask_mem"}


def _memory_binding(desc: dict) -> list[str]:
    kinds = desc.get("memory_binding_type") or []
    words, verbose = [], False
    for kind in kinds:
        if kind == "VERBOSE":
            verbose = True
        elif kind in _MEMORY_BINDING_TYPES:
            words.append(_MEMORY_BINDING_TYPES[kind])
        else:
            raise FieldError("memory_binding_type", f"{kind!r} cannot be expressed with Slurm {_RELEASE}")
    binding = desc.get("memory_binding")
    if given(binding):
        if not any(w in ("map_mem", "mask_mem") for w in words):
            raise FieldError("memory_binding", "needs memory_binding_type MAP or MASK")
        words = [f"{w}:{binding}" if w in ("map_mem", "mask_mem") else w for w in words]
    if not words and not verbose:
        return []
    return ["--mem-bind=" + ",".join((["verbose"] if verbose else []) + words)]


def _priority(desc: dict) -> list[str]:
    # sbatch takes --priority=0 for "not given"; slurmctld holds a job whose
    # priority is 0, which is what --hold asks for.
    number = no_val(desc["priority"], "priority")
    if number is None:
        return []
    return ["--hold"] if number == "0" else [f"--priority={number}"]


def held(desc: dict) -> bool:
    """Does the description submit a held job (hold, or priority 0)?"""
    if desc.get("hold") is True:
        return True
    priority = desc.get("priority")
    return given(priority) and no_val(priority, "priority") == "0"


def _distribution(desc: dict) -> list[str]:
    method = desc.get("distribution")
    plane = desc.get("distribution_plane_size")
    size = no_val(plane, "distribution_plane_size") if given(plane) else None
    if not given(method):
        return [f"--distribution=plane={size}"] if size is not None else []
    method = text(method, "distribution")
    if size is not None:
        if not method.startswith("plane"):
            raise FieldError("distribution_plane_size", "applies to the plane distribution only")
        if "=" not in method:
            method = f"plane={size}" + method[len("plane"):]
    return [f"--distribution={method}"]


# -- the tables ------------------------------------------------------------

MAIL_TYPES = {"BEGIN": "BEGIN", "END": "END", "FAIL": "FAIL", "REQUEUE": "REQUEUE",
              "TIME=100%": "TIME_LIMIT", "TIME=90%": "TIME_LIMIT_90", "TIME=80%": "TIME_LIMIT_80",
              "TIME=50%": "TIME_LIMIT_50", "STAGE_OUT": "STAGE_OUT", "ARRAY_TASKS": "ARRAY_TASKS",
              "INVALID_DEPENDENCY": "INVALID_DEPEND"}
PROFILES = {"NOT_SET": None, "NONE": "none", "ENERGY": "energy", "LUSTRE": "lustre",
            "NETWORK": "network", "TASK": "task"}
OPEN_MODES = {"APPEND": "append", "TRUNCATE": "truncate"}

SUBMIT: tuple = (
    Option("account", "--account"),
    Option("account_gather_frequency", "--acctg-freq"),
    Option("array", "--array", tools=frozenset({SBATCH})),
    Option("batch_features", "--batch", tools=frozenset({SBATCH})),
    Option("begin_time", "--begin", epoch),
    Mapped("flags", {
        "KILL_INVALID_DEPENDENCY": ("--kill-on-invalid-dep=yes",),
        "NO_KILL_INVALID_DEPENDENCY": ("--kill-on-invalid-dep=no",),
        "GRES_BINDING_ENFORCED": ("--gres-flags=enforce-binding",),
        "GRES_BINDING_DISABLED": ("--gres-flags=disable-binding",),
        "SPREAD_JOB": ("--spread-job",),
        "PREFER_MINIMUM_NODE_COUNT": ("--use-min-nodes",),
    }),
    Option("burst_buffer", "--bb"),
    Option("clusters", "--clusters"),
    Option("cluster_constraint", "--cluster-constraint"),
    Option("comment", "--comment"),
    Option("contiguous", "--contiguous", flag_if_true),
    Option("container", "--container"),
    Option("core_specification", "--core-spec", integer),
    Option("thread_specification", "--thread-spec", integer),
    Option("cpu_frequency", "--cpu-freq"),
    Option("cpus_per_tres", "--cpus-per-gpu", gres("gpu")),
    Option("deadline", "--deadline", epoch),
    Option("delay_boot", "--delay-boot", delay),
    Option("dependency", "--dependency"),
    Option("excluded_nodes", "--exclude", csv),
    Option("constraints", "--constraint"),
    Option("prefer", "--prefer"),
    Option("hold", "--hold", flag_if_true),
    Option("immediate", "--immediate", flag_if_true, tools=frozenset({SALLOC})),
    Mapped("kill_on_node_fail", {True: ("--no-kill=off",), False: ("--no-kill",)}),
    Option("licenses", "--licenses"),
    Option("mail_type", "--mail-type", enum_list(MAIL_TYPES)),
    Option("mail_user", "--mail-user"),
    Option("mcs_label", "--mcs-label"),
    Group(("memory_binding", "memory_binding_type"), _memory_binding, frozenset({SBATCH})),
    Option("memory_per_tres", "--mem-per-gpu", gres("gpu")),
    Option("name", "--job-name"),
    Option("network", "--network", tools=frozenset({SBATCH})),
    Option("nice", "--nice", integer),
    Option("tasks", "--ntasks", integer),
    Option("open_mode", "--open-mode", enum_list(OPEN_MODES), tools=frozenset({SBATCH})),
    Option("overcommit", "--overcommit", flag_if_true),
    Option("partition", "--partition"),
    Group(("distribution", "distribution_plane_size"), _distribution),
    Group(("priority",), _priority),
    Option("profile", "--profile", enum_list(PROFILES)),
    Option("qos", "--qos"),
    Option("reboot", "--reboot", flag_if_true),
    Option("required_nodes", "--nodelist", csv),
    Mapped("requeue", {True: ("--requeue",), False: ("--no-requeue",)}, frozenset({SBATCH})),
    Option("reservation", "--reservation"),
    Mapped("shared", {"none": ("--exclusive",), "oversubscribe": ("--oversubscribe",),
                      "user": ("--exclusive=user",), "mcs": ("--exclusive=mcs",)}),
    Option("time_limit", "--time", minutes),
    Option("time_minimum", "--time-min", minutes),
    Option("tres_bind", "--gpu-bind", gres("gpu")),
    Option("tres_freq", "--gpu-freq", gres("gpu")),
    Option("tres_per_job", "--gpus", gres("gpu")),
    Option("tres_per_node", "--gres", gres()),
    Option("tres_per_socket", "--gpus-per-socket", gres("gpu")),
    Option("tres_per_task", "--gpus-per-task", gres("gpu")),
    Option("wait_all_nodes", "--wait-all-nodes", one_zero),
    Group(("kill_warning_flags", "kill_warning_signal", "kill_warning_delay"), _warning_signal),
    Option("cpus_per_task", "--cpus-per-task", integer),
    Group(("nodes", "minimum_nodes", "maximum_nodes"), _nodes),
    Option("sockets_per_node", "--sockets-per-node", integer),
    Option("cores_per_socket", "--cores-per-socket", integer),  # of v0.0.40 and v0.0.45
    Option("threads_per_core", "--threads-per-core", integer),
    Option("tasks_per_node", "--ntasks-per-node", integer),
    Option("tasks_per_socket", "--ntasks-per-socket", integer),
    Option("tasks_per_core", "--ntasks-per-core", integer),
    Option("ntasks_per_tres", "--ntasks-per-gpu", integer),
    Option("minimum_cpus_per_node", "--mincpus", integer),
    Option("memory_per_cpu", "--mem-per-cpu", megabytes),
    Option("memory_per_node", "--mem", megabytes),
    Option("temporary_disk_per_node", "--tmp", integer),
    Group(("required_switches", "wait_for_switch"), _switches),
    Option("standard_error", "--error", tools=frozenset({SBATCH})),
    Option("standard_input", "--input", tools=frozenset({SBATCH})),
    Option("standard_output", "--output", tools=frozenset({SBATCH})),
    Option("wckey", "--wckey"),
)

# Fields the submitting handler carries itself: the script (standard input),
# the environment (an export file) and the working directory (--chdir, always
# given; see working_directory).
CARRIED = frozenset({"script", "environment", "current_working_directory"})

# Fields no Slurm 22.05 tool can set, and why.
UNSUPPORTED: dict[str, str] = {
    # of v0.0.41's and v0.0.45's job_desc_msg, not v0.0.44's
    "resv_mpi_ports": "only srun reserves MPI ports (--resv-ports); sbatch and salloc cannot",
    "container_type": "no sbatch or salloc option of this Slurm sets it",
    "memory_update_margin": "no sbatch or salloc option of this Slurm sets it",
    "memory_update_delay": "no sbatch or salloc option of this Slurm sets it",
    "admin_comment": "only administrators set it, and only on an existing job (POST /job/{job_id})",
    "allocation_node_list": "Slurm sets it from the host that submits",
    "allocation_node_port": "Slurm sets it from the submitting process",
    "argv": "sbatch reads the script from standard input here and so cannot pass it arguments",
    "container_id": "the option arrived after Slurm 22.05",
    "cpu_binding": "sbatch and salloc of Slurm 22.05 have no --cpu-bind",
    "cpu_binding_flags": "sbatch and salloc of Slurm 22.05 have no --cpu-bind",
    "crontab": "crontab jobs are made with scrontab, not through this operation",
    "end_time": "no submission option sets it",
    "rlimits": "sbatch propagates its own process limits, not given ones",
    "extra": "the option arrived after Slurm 22.05",
    "group_id": "the job gets the group of the authenticated user",
    "hetjob_group": "Slurm numbers the components itself",
    "job_id": "only slurmctld chooses job IDs on submission",
    "minimum_cpus": "sbatch and salloc have no option for a job's total minimum CPU count",
    "maximum_cpus": "sbatch and salloc have no option for a job's maximum CPU count",
    "minimum_boards_per_node": "sbatch and salloc have no option for it",
    "minimum_sockets_per_board": "sbatch and salloc have no option for it",
    "tasks_per_board": "sbatch and salloc have no option for it",
    "oom_kill_step": "the option arrived after Slurm 22.05",
    "reserve_ports": "sbatch and salloc of Slurm 22.05 have no --resv-ports",
    "power_flags": "Slurm 22.05 has no power flags for jobs",
    "selinux_context": "the option arrived after Slurm 22.05",
    "site_factor": "only administrators set it, and only on an existing job (POST /job/{job_id})",
    "spank_environment": "SPANK environment is taken from the submitting process",
    "step_id": "a job description names no step",
    "segment_size": "the option arrived after Slurm 22.05",
    "x11": "X11 forwarding needs an X display on the submitting host",
    "x11_magic_cookie": "X11 forwarding needs an X display on the submitting host",
    "x11_target_host": "X11 forwarding needs an X display on the submitting host",
    "x11_target_port": "X11 forwarding needs an X display on the submitting host",
}

# Fields checked against the caller rather than passed on.
IDENTITY_FIELDS = frozenset({"user_id"})


@dataclass
class Translation:
    """A job description as options, plus what the caller should be told."""

    options: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # fields not in the description


def submit_options(desc: dict, tool: str, *, where: str = "job") -> Translation:
    """The options of sbatch or salloc that say ``desc``, or SlurmError 400
    naming the first field that cannot be said. ``where``: the field's place
    in the request, for messages (``job``, ``jobs[1]``)."""
    known = _SUBMIT_FIELDS | CARRIED | UNSUPPORTED.keys() | IDENTITY_FIELDS
    out = Translation(unknown=sorted(k for k in desc if k not in known))
    present = {k for k, v in desc.items() if given(v)}
    for name in sorted(present & UNSUPPORTED.keys()):
        raise bad_field(f"{where}.{name}", f"cannot be expressed with Slurm {_RELEASE}: {UNSUPPORTED[name]}")
    try:
        for rule in SUBMIT:
            if not present & set(rule.fields):
                continue
            out.options.extend(rule.render(desc, tool))
    except FieldError as error:
        raise bad_field(f"{where}.{error.field}", error.message) from None
    return out


_SUBMIT_FIELDS = frozenset(name for rule in SUBMIT for name in rule.fields)


def working_directory(desc: dict, home: str) -> str:
    """The job's working directory: as given (a relative one taken from the
    user's home), else the user's home, as slurmrestd's clients expect."""
    cwd = desc.get("current_working_directory")
    if not given(cwd):
        return home
    return cwd if os.path.isabs(cwd) else os.path.join(home, cwd)


def environment_entries(desc: dict, where: str = "job") -> tuple[str, ...]:
    """``environment``, checked: NAME=value strings without NUL (a process
    environment cannot hold one), each value kept as sent (newlines, commas,
    quotes and all)."""
    entries = desc.get("environment")
    if not isinstance(entries, list):
        raise bad_field(f"{where}.environment", "expected a list of NAME=value strings")
    for position, entry in enumerate(entries):
        if not isinstance(entry, str):
            raise bad_field(f"{where}.environment", f"item {position} is not a string")
        name, equals, _ = entry.partition("=")
        if not equals or not name:
            raise bad_field(f"{where}.environment", f"item {position} ({entry[:40]!r}) is not NAME=value")
        if "\0" in entry:
            raise bad_field(f"{where}.environment", f"item {position} contains a NUL character")
    return tuple(entries)


# -- scontrol update ---------------------------------------------------------


def _update_nodes(desc: dict) -> list[str]:
    return ["NumNodes=" + _nodes(desc)[0].split("=", 1)[1]]


def _update_cpus(desc: dict) -> list[str]:
    low, high = desc.get("minimum_cpus"), desc.get("maximum_cpus")
    if given(low) and given(high):
        return [f"NumCPUs={integer(low, 'minimum_cpus')}-{integer(high, 'maximum_cpus')}"]
    if given(low):
        return [f"NumCPUs={integer(low, 'minimum_cpus')}"]
    raise FieldError("maximum_cpus", "needs minimum_cpus")


def _update_switches(desc: dict) -> list[str]:
    return ["Switches=" + option.split("=", 1)[1] for option in _switches(desc)]


@dataclass(frozen=True)
class Key:
    """One field -> ``Key=<written value>`` of ``scontrol update job``."""

    name: str
    key: str
    write: Callable = text

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.name,)

    def render(self, desc: dict, tool: str | None = None) -> list[str]:
        value = desc[self.name]
        if value == "" and self.write is text:
            return [f"{self.key}="]  # clears the field
        written = self.write(value, self.name)
        return [] if written is None else [f"{self.key}={written}"]


UPDATE: tuple = (
    Key("account", "Account"),
    Key("admin_comment", "AdminComment"),
    Key("burst_buffer", "BurstBuffer"),
    Key("clusters", "Clusters"),
    Key("cluster_constraint", "ClusterFeatures"),
    Key("comment", "Comment"),
    Key("contiguous", "Contiguous", yes_no),
    Key("core_specification", "CoreSpec", integer),
    Key("thread_specification", "ThreadSpec", integer),
    Key("cpus_per_task", "CPUsPerTask", integer),
    Key("deadline", "Deadline", epoch),
    Key("delay_boot", "DelayBoot", delay),
    Key("dependency", "Dependency"),
    Key("begin_time", "StartTime", epoch),
    Key("excluded_nodes", "ExcNodeList", csv),
    Key("constraints", "Features"),
    Key("prefer", "Prefer"),
    Key("tres_per_node", "Gres", gres()),
    Key("licenses", "Licenses"),
    Key("mail_type", "MailType", enum_list(MAIL_TYPES)),
    Key("mail_user", "MailUser"),
    Key("minimum_cpus_per_node", "MinCPUsNode", integer),
    Key("memory_per_cpu", "MinMemoryCPU", megabytes),
    Key("memory_per_node", "MinMemoryNode", megabytes),
    Key("temporary_disk_per_node", "MinTmpDiskNode", integer),
    Key("time_minimum", "TimeMin", minutes),
    Key("time_limit", "TimeLimit", minutes),
    Key("name", "JobName"),
    Group(("minimum_cpus", "maximum_cpus"), _update_cpus),
    Group(("nodes", "minimum_nodes", "maximum_nodes"), _update_nodes),
    Key("tasks", "NumTasks", integer),
    Mapped("shared", {"none": ("OverSubscribe=no",), "oversubscribe": ("OverSubscribe=yes",)}),
    Key("partition", "Partition"),
    Key("priority", "Priority", count),
    Key("nice", "Nice", integer),
    Key("qos", "QOS"),
    Key("reboot", "Reboot", yes_no),
    Key("required_nodes", "ReqNodeList", csv),
    Key("requeue", "Requeue", one_zero),
    Key("reservation", "ReservationName"),
    Key("site_factor", "SiteFactor", integer),
    Key("standard_output", "StdOut"),
    Group(("required_switches", "wait_for_switch"), _update_switches),
    Key("tasks_per_node", "TasksPerNode", integer),
    Key("wckey", "WCKey"),
    Key("current_working_directory", "WorkDir"),
)

# Handled by the update itself: hold/release are their own scontrol verbs,
# job_id is the one of the path (slurmrestd takes the path's too).
UPDATE_HANDLED = frozenset({"hold", "job_id"})


def update_keys(desc: dict) -> Translation:
    """The ``Key=value`` arguments of ``scontrol update`` that say ``desc``,
    or SlurmError 400 naming the first field scontrol cannot change."""
    covered = frozenset(name for rule in UPDATE for name in rule.fields)
    everything = _SUBMIT_FIELDS | CARRIED | UNSUPPORTED.keys() | IDENTITY_FIELDS | covered | UPDATE_HANDLED
    out = Translation(unknown=sorted(k for k in desc if k not in everything))
    # On update "" means "clear it", so a field counts when it is there at all.
    present = {k for k, v in desc.items() if v is not None and v != [] and
               not (_is_no_val(v) and not given(v))}
    for name in sorted(present - covered - UPDATE_HANDLED - set(out.unknown)):
        if name == "user_id":
            raise bad_field(name, "a job changes owner only through its administrator (scontrol)")
        raise bad_field(name, f"cannot be changed with scontrol update of Slurm {_RELEASE}")
    try:
        for rule in UPDATE:
            if not present & set(rule.fields):
                continue
            out.options.extend(rule.render(desc, None))
    except FieldError as error:
        raise bad_field(error.field, error.message) from None
    return out
