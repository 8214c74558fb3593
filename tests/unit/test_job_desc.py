"""server.jobdesc: the v0.0.44 job_desc_msg as sbatch/salloc options and as
scontrol update keys, and the fields Slurm 22.05 cannot take."""

import time

import pytest

from server import jobdesc
from server.slurm.command import SlurmError
from server.specs import available_versions
from tests.schemas import load_spec, ours_path


# Fields of older versions that their map's body_retypes make v0.0.44's `shared`.
RETYPED_AWAY = {"exclusive", "oversubscribe"}


def job_desc_fields() -> set[str]:
    """Fields of job_desc_msg in any served version (the table serves all)."""
    fields = set()
    for version in available_versions():
        spec = load_spec(ours_path(version))
        fields |= set(spec["components"]["schemas"][f"{version}_job_desc_msg"]["properties"])
    return fields - RETYPED_AWAY


def options(desc, tool=jobdesc.SBATCH):
    return jobdesc.submit_options(desc, tool).options


def refused(desc, tool=jobdesc.SBATCH) -> SlurmError:
    with pytest.raises(SlurmError) as caught:
        jobdesc.submit_options(desc, tool)
    assert caught.value.status == 400
    assert caught.value.number == 9001  # ESLURM_REST_FAIL_PARSING
    return caught.value


# -- every field has a place ----------------------------------------------------


def test_every_field_of_job_desc_msg_is_mapped_carried_or_refused_with_a_reason():
    placed = (set(jobdesc._SUBMIT_FIELDS) | jobdesc.CARRIED | set(jobdesc.UNSUPPORTED)
              | jobdesc.IDENTITY_FIELDS)
    assert job_desc_fields() - placed == set()
    assert placed - job_desc_fields() == set(), "the table names fields the description does not have"


def test_no_field_is_both_mapped_and_refused():
    assert not set(jobdesc._SUBMIT_FIELDS) & set(jobdesc.UNSUPPORTED)
    assert all(reason for reason in jobdesc.UNSUPPORTED.values())


def test_every_field_scontrol_update_cannot_change_is_refused_by_name():
    for name in job_desc_fields():
        desc = {name: _sample(name)}
        try:
            jobdesc.update_keys(desc)
        except SlurmError as error:
            assert error.status == 400 and repr(name) in error.description, name
    # and the ones it can change give keys
    assert jobdesc.update_keys({"time_limit": {"set": True, "number": 5}}).options == ["TimeLimit=5"]


def _sample(name):
    """A value of the field's type, enough to reach the field's rule."""
    samples = {"time_limit": {"set": True, "number": 1}, "environment": ["A=b"], "shared": ["none"],
               "mail_type": ["END"], "flags": ["SPREAD_JOB"], "profile": ["TASK"],
               "excluded_nodes": ["n1"], "required_nodes": ["n1"], "hold": True, "argv": ["a"]}
    return samples.get(name, "x")


# -- submission ----------------------------------------------------------------


def test_a_typical_description_becomes_one_argument_per_option():
    desc = {
        "name": "a b'c\"$(id);\nü",
        "partition": "debug",
        "account": "research",
        "qos": "normal",
        "time_limit": {"set": True, "infinite": False, "number": 10},
        "time_minimum": {"set": True, "number": 5},
        "tasks": 2,
        "cpus_per_task": 1,
        "memory_per_node": {"set": True, "number": 100},
        "standard_output": "/tmp/out-%j",
        "hold": True,
        "licenses": "fluent:1",
        "comment": "hello, world",
    }
    assert options(desc) == [
        "--account=research", "--comment=hello, world", "--hold", "--licenses=fluent:1",
        "--job-name=a b'c\"$(id);\nü", "--ntasks=2", "--partition=debug", "--qos=normal",
        "--time=10", "--time-min=5", "--cpus-per-task=1", "--mem=100", "--output=/tmp/out-%j",
    ]


def test_empty_values_ask_for_nothing():
    assert options({"name": "", "excluded_nodes": [], "time_limit": {"set": False, "number": 0},
                    "hold": False, "contiguous": False, "x11": [], "argv": [], "crontab": {},
                    "power_flags": []}) == []


def test_priority_zero_is_a_held_job():
    # sbatch reads --priority=0 as "not given"; slurmctld holds a job of priority 0
    assert options({"priority": {"set": True, "number": 0}}) == ["--hold"]
    assert options({"priority": {"set": True, "number": 5}}) == ["--priority=5"]
    assert options({"priority": {"set": False, "number": 0}}) == []
    assert jobdesc.held({"priority": {"set": True, "number": 0}})
    assert jobdesc.held({"hold": True}) and not jobdesc.held({"hold": False})
    assert not jobdesc.held({"priority": {"set": True, "number": 5}})
    assert not jobdesc.held({"priority": {"set": False, "number": 0}})


def test_no_val_structs():
    assert options({"time_limit": {"set": True, "infinite": True, "number": 0}}) == ["--time=UNLIMITED"]
    assert options({"time_limit": {"number": 7}}) == ["--time=7"]  # set left out: the number counts
    assert "cannot be infinite" in refused({"memory_per_cpu": {"infinite": True}}).description
    assert options({"memory_per_cpu": {"set": True, "number": 0}}) == ["--mem-per-cpu=0"]


def test_times_are_written_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert options({"begin_time": {"set": True, "number": 1893456000}}) == ["--begin=2030-01-01T00:00:00"]
        assert options({"deadline": 1893459661}) == ["--deadline=2030-01-01T01:01:01"]
        assert jobdesc.update_keys({"begin_time": {"set": True, "number": 1893456000}}).options == [
            "StartTime=2030-01-01T00:00:00"]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_node_counts():
    assert options({"nodes": "1-3"}) == ["--nodes=1-3"]
    assert options({"minimum_nodes": 2, "maximum_nodes": 3}) == ["--nodes=2-3"]
    assert options({"minimum_nodes": 2}) == ["--nodes=2"]
    assert options({"maximum_nodes": 2}) == ["--nodes=1-2"]
    assert "'job.nodes'" in refused({"nodes": "2", "minimum_nodes": 1}).description


def test_enum_lists():
    assert options({"mail_type": ["BEGIN", "TIME=90%", "INVALID_DEPENDENCY"], "mail_user": "a@b"}) == [
        "--mail-type=BEGIN,TIME_LIMIT_90,INVALID_DEPEND", "--mail-user=a@b"]
    assert options({"profile": ["NOT_SET"]}) == []
    assert options({"profile": ["ENERGY", "TASK"]}) == ["--profile=energy,task"]
    assert options({"open_mode": ["APPEND"]}) == ["--open-mode=append"]
    assert options({"shared": ["none"]}) == ["--exclusive"]
    assert options({"shared": ["user"]}) == ["--exclusive=user"]
    assert options({"shared": ["oversubscribe"]}) == ["--oversubscribe"]
    error = refused({"shared": ["topo"]})
    assert "'job.shared'" in error.description and "'topo'" in error.description


def test_job_flags_that_have_an_option_and_those_that_do_not():
    assert options({"flags": ["KILL_INVALID_DEPENDENCY", "SPREAD_JOB", "GRES_BINDING_ENFORCED"]}) == [
        "--kill-on-invalid-dep=yes", "--spread-job", "--gres-flags=enforce-binding"]
    error = refused({"flags": ["SPREAD_JOB", "TESTING_BACKFILL"]})
    assert "'job.flags'" in error.description and "TESTING_BACKFILL" in error.description


def test_booleans():
    assert options({"requeue": False, "kill_on_node_fail": False, "wait_all_nodes": True,
                    "contiguous": True, "overcommit": True, "reboot": False}) == [
        "--contiguous", "--no-kill", "--overcommit", "--no-requeue", "--wait-all-nodes=1"]
    assert options({"requeue": True, "kill_on_node_fail": True}) == ["--no-kill=off", "--requeue"]


def test_warning_signal_says_flags_signal_and_delay_in_one_option():
    assert options({"kill_warning_signal": "SIGUSR1", "kill_warning_flags": ["BATCH_JOB", "RESERVATION_JOB"],
                    "kill_warning_delay": {"set": True, "number": 90}}) == ["--signal=RB:10@90"]
    assert options({"kill_warning_signal": "TERM"}) == ["--signal=15"]
    assert "'job.kill_warning_signal'" in refused({"kill_warning_delay": {"set": True, "number": 5}}).description
    assert "'job.kill_warning_signal'" in refused({"kill_warning_signal": "NOPE"}).description


def test_gres_and_gpus():
    assert options({"tres_per_node": "gres/gpu:2,gres:foo:1"}) == ["--gres=gpu:2,foo:1"]
    assert options({"tres_per_job": "gres/gpu:tesla=2"}) == ["--gpus=tesla:2"]
    assert options({"tres_per_task": "gres/gpu:1", "cpus_per_tres": "gres/gpu:4"}) == [
        "--cpus-per-gpu=4", "--gpus-per-task=1"]
    assert "'job.tres_per_socket'" in refused({"tres_per_socket": "gres/foo:1"}).description


def test_switches_delay_boot_distribution_and_memory_binding():
    assert options({"required_switches": {"set": True, "number": 2}, "wait_for_switch": 90}) == [
        "--switches=2@1:30"]
    assert options({"delay_boot": 150}) == ["--delay-boot=2:30"]
    assert options({"distribution": "plane", "distribution_plane_size": {"set": True, "number": 4}}) == [
        "--distribution=plane=4"]
    assert options({"distribution": "cyclic:block"}) == ["--distribution=cyclic:block"]
    assert options({"memory_binding_type": ["VERBOSE", "MAP"], "memory_binding": "0,1"}) == [
        "--mem-bind=verbose,map_mem:0,1"]


def test_options_one_tool_lacks_are_refused_naming_the_field():
    assert options({"array": "1-3"}) == ["--array=1-3"]
    assert "'job.array'" in refused({"array": "1-3"}, jobdesc.SALLOC).description
    assert "'job.standard_output'" in refused({"standard_output": "x"}, jobdesc.SALLOC).description
    assert options({"immediate": True}, jobdesc.SALLOC) == ["--immediate"]
    assert "'job.immediate'" in refused({"immediate": True}).description
    assert options({"immediate": False}) == []


@pytest.mark.parametrize("name", sorted(jobdesc.UNSUPPORTED))
def test_each_field_slurm_2205_cannot_take_is_refused_with_its_name_and_reason(name):
    error = refused({"name": "fine", name: _sample(name)})
    assert f"'job.{name}'" in error.description
    assert jobdesc.UNSUPPORTED[name] in error.description
    assert error.source == f"job.{name}"


def test_the_place_of_a_het_component_is_named():
    with pytest.raises(SlurmError) as caught:
        jobdesc.submit_options({"argv": ["x"]}, jobdesc.SBATCH, where="jobs[1]")
    assert "'jobs[1].argv'" in caught.value.description


def test_fields_unknown_to_the_description_are_reported_not_refused():
    translated = jobdesc.submit_options({"name": "x", "no_such_field": 1}, jobdesc.SBATCH)
    assert translated.options == ["--job-name=x"] and translated.unknown == ["no_such_field"]


def test_working_directory():
    assert jobdesc.working_directory({}, "/home/u") == "/home/u"
    assert jobdesc.working_directory({"current_working_directory": "/tmp"}, "/home/u") == "/tmp"
    assert jobdesc.working_directory({"current_working_directory": "run/1"}, "/home/u") == "/home/u/run/1"


def test_environment_entries_keep_every_character_of_every_value():
    entries = ["A=1", "B=x,y\nz 'q' \"d\" $(id) ü", "C=", "D=e=f"]
    assert jobdesc.environment_entries({"environment": entries}) == tuple(entries)


@pytest.mark.parametrize("bad", [["NOEQUALS"], ["=value"], ["A=\0"], [3]])
def test_environment_entries_that_are_not_name_value_are_refused(bad):
    with pytest.raises(SlurmError) as caught:
        jobdesc.environment_entries({"environment": bad}, "jobs[0]")
    assert caught.value.status == 400 and "'jobs[0].environment'" in caught.value.description


# -- scontrol update -------------------------------------------------------------


def test_update_keys():
    assert jobdesc.update_keys({
        "time_limit": {"set": True, "number": 3},
        "name": "new name; $(id)",
        "comment": "",
        "partition": "debug",
        "nice": 10,
        "requeue": False,
        "dependency": "afterok:1",
        "constraints": "a&b",
        "excluded_nodes": ["n1", "n2"],
        "minimum_nodes": 1, "maximum_nodes": 2,
    }).options == [
        "Comment=", "Dependency=afterok:1", "ExcNodeList=n1,n2", "Features=a&b", "TimeLimit=3",
        "JobName=new name; $(id)", "NumNodes=1-2", "Partition=debug", "Nice=10", "Requeue=0",
    ]


def test_update_refuses_what_scontrol_cannot_change_naming_it():
    for name, value in (("array", "1-3"), ("script", "#!/bin/sh"), ("environment", ["A=1"]),
                        ("standard_error", "/tmp/e"), ("user_id", "1001"), ("argv", ["a"])):
        with pytest.raises(SlurmError) as caught:
            jobdesc.update_keys({name: value})
        assert caught.value.status == 400 and f"'{name}'" in caught.value.description, name


def test_update_leaves_hold_and_job_id_to_the_handler_and_reports_unknown_fields():
    translated = jobdesc.update_keys({"hold": True, "job_id": 5, "what": 1})
    assert translated.options == [] and translated.unknown == ["what"]
