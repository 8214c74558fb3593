"""QOS: Slurm 22.05.8's `sacctmgr show qos` text (recorded from the live
cluster) into v0.0.44 `qos` objects, and v0.0.44 objects into sacctmgr
settings."""

import json
from pathlib import Path

import pytest

from server.convert import qos
from server.convert.sacctmgr_text import rows
from server.convert.sacctmgr_values import FieldError
from server.convert.tres import TresTable, from_row as tres_from_row
from server.slurm.commands.sacctmgr_qos import (SacctmgrAddQos, SacctmgrDeleteQos,
                                                SacctmgrModifyQos, SacctmgrShowQos)
from tests.schemas import RECORDED_DIR, reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"
RECORDED = RECORDED_DIR / "slurm-25.11" / "0.0.44"
API = "/slurmdb/v0.0.44"


def table():
    fields = [key for key, _ in SacctmgrShowQos().fields]
    assert fields[-1] == "description"  # free text last: a `|` in it stays in it
    return TresTable([tres_from_row(r) for r in rows((DATA / "tres" / "show-tres.txt").read_text(),
                                                     ["type", "name", "id"])])


def converted(name="show-qos.txt", warnings=None):
    text = (DATA / "qos" / name).read_text()
    fields = [key for key, _ in SacctmgrShowQos().fields]
    warn = (warnings.append if warnings is not None else lambda message: None)
    return {q["name"]: q for q in (qos.from_row(r, table(), warn=warn) for r in rows(text, fields))}


def no_val(number):
    return {"set": True, "infinite": False, "number": number}


UNSET = {"set": False, "infinite": True, "number": 0}


def test_the_command_asks_for_every_field_22_05_prints_for_a_qos():
    argv = SacctmgrShowQos(names=("a", "b"), ids=("4",), with_deleted=True).argv()
    assert argv[:5] == ["sacctmgr", "-n", "-P", "show", "qos"]
    assert argv[5:8] == ["names=a,b", "ids=4", "withdeleted"]
    formats = argv[-1].removeprefix("format=").split(",")
    assert len(formats) == len(set(formats)) == 35
    assert formats[0] == "Name" and formats[-1] == "Description"


def test_normal_is_what_slurmrestd_prints_for_it():
    # The same QOS on 22.05 here and 25.11 in SchedMD's recording.
    recorded = {q["name"]: q for q in json.loads((RECORDED / "slurm-qos.json").read_text())["qos"]}
    assert converted()["normal"] == recorded["normal"]


def test_every_limit():
    a = converted()["t-qos-capture-a"]
    limits = a["limits"]
    assert a["id"] == 9 and a["description"] == "every limit" and a["flags"] == []
    assert limits["grace_time"] == 30
    assert limits["max"]["active_jobs"] == {"accruing": no_val(3), "count": no_val(5)}
    assert limits["max"]["jobs"] == {"count": no_val(10),
                                     "active_jobs": {"per": {"account": no_val(3), "user": no_val(2)}},
                                     "per": {"account": no_val(6), "user": no_val(4)}}
    tres = limits["max"]["tres"]
    assert tres["total"] == [{"type": "cpu", "name": "", "id": 1, "count": 4},
                             {"type": "mem", "name": "", "id": 2, "count": 2048},
                             {"type": "billing", "name": "", "id": 5, "count": 7},
                             {"type": "fs", "name": "disk", "id": 6, "count": 5000}]
    assert [t["count"] for t in tres["minutes"]["total"]] == [600, 3072]
    assert [t["count"] for t in tres["minutes"]["per"]["qos"]] == [300]
    assert [t["count"] for t in tres["minutes"]["per"]["job"]] == [100]
    assert [t["count"] for t in tres["minutes"]["per"]["account"]] == [70]
    assert [t["count"] for t in tres["minutes"]["per"]["user"]] == [50]
    assert [(t["type"], t["count"]) for t in tres["per"]["account"]] == [("cpu", 4), ("mem", 1048576)]
    assert [(t["type"], t["count"]) for t in tres["per"]["job"]] == [("cpu", 2), ("node", 1)]
    assert [(t["type"], t["count"]) for t in tres["per"]["node"]] == [("cpu", 2), ("mem", 1500)]
    assert [(t["type"], t["count"]) for t in tres["per"]["user"]] == [("cpu", 3)]
    assert limits["max"]["wall_clock"] == {"per": {"qos": no_val(2 * 24 * 60), "job": no_val(90)}}
    assert limits["max"]["accruing"] == {"per": {"account": no_val(2), "user": no_val(1)}}
    assert limits["factor"] == no_val(2.0)
    assert limits["min"] == {"priority_threshold": no_val(5),
                             "tres": {"per": {"job": [{"type": "cpu", "name": "", "id": 1, "count": 1}]}}}
    assert a["preempt"] == {"list": ["normal", "t-qos-capture-b"], "mode": ["REQUEUE"],
                            "exempt_time": no_val(((2 * 24 + 3) * 60 + 4) * 60 + 5)}
    assert a["priority"] == no_val(10)
    assert a["usage_factor"] == no_val(1.5) and a["usage_threshold"] == no_val(0.25)


def test_every_flag_and_a_description_with_a_bar():
    b = converted()["t-qos-capture-b"]
    assert b["flags"] == ["PARTITION_MINIMUM_NODE", "PARTITION_MAXIMUM_NODE", "PARTITION_TIME_LIMIT",
                          "ENFORCE_USAGE_THRESHOLD", "NO_RESERVE", "REQUIRED_RESERVATION", "DENY_LIMIT",
                          "OVERRIDE_PARTITION_QOS", "NO_DECAY", "USAGE_FACTOR_SAFE"]
    assert b["description"] == "all the flags, gang|suspend"
    assert b["preempt"]["mode"] == ["SUSPEND", "GANG"]
    assert b["preempt"]["exempt_time"] == no_val(0)  # 0 is set: no minimum run time
    assert b["usage_factor"] == no_val(0.0)
    assert b["limits"]["max"]["wall_clock"]["per"]["job"] == UNSET


def test_a_mode_v0_0_44_cannot_say_is_left_out_with_a_warning():
    warnings = []
    c = converted(warnings=warnings)["t-qos-capture-c"]
    assert c["preempt"]["mode"] == ["CANCEL"]
    assert warnings == ["QOS t-qos-capture-c: preempt mode WITHIN has no v0.0.44 equivalent and is left out"]


def test_deleted_and_cleared():
    text = (DATA / "qos" / "show-qos.txt").read_text()
    fields = [key for key, _ in SacctmgrShowQos().fields]
    row = rows(text, fields)[1]
    assert qos.from_row(row, table(), deleted=True)["flags"][0] == "DELETED"
    cleared = converted("show-qos-cleared.txt")["t-qos-capture-a"]
    assert cleared["preempt"]["list"] == [] and cleared["flags"] == []
    assert cleared["limits"]["max"]["wall_clock"]["per"]["job"] == UNSET
    assert [t["type"] for t in cleared["limits"]["max"]["tres"]["total"]] == ["mem", "billing", "fs"]
    assert cleared["usage_factor"] == no_val(1.0)


def test_the_converted_records_are_valid_v0_0_44():
    body = {"qos": list(converted().values()), "meta": {}, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/qos/", body)


# -- writing ------------------------------------------------------------------


def test_a_read_record_written_back_as_an_add():
    a = converted()["t-qos-capture-a"]
    settings = qos.settings(a, table(), "qos[0]")
    assert settings[:4] == ["Description=every limit", "GraceTime=30", "PreemptMode=requeue",
                            "Preempt=normal,t-qos-capture-b"]
    assert "GrpTRES=cpu=4,mem=2048,billing=7,fs/disk=5000" in settings
    assert "MaxTRESPA=cpu=4,mem=1048576" in settings
    assert "GrpSubmitJobs=10" in settings and "MaxSubmitJobsPA=6" in settings
    assert "MaxWall=90" in settings and "GrpWall=2880" in settings  # minutes
    assert "PreemptExemptTime=2-03:04:05" in settings  # seconds, as a duration
    assert "MinPrioThres=5" in settings and "UsageThreshold=0.25" in settings
    assert "UsageFactor=1.5" in settings and "LimitFactor=2" in settings
    # Unset limits (infinite true) are cleared, which is what an add means by them.
    assert "GrpJobsAccrue=3" in settings and "Priority=10" in settings
    normal = qos.settings(converted()["normal"], table(), "qos[0]")
    assert "MaxWall=-1" in normal and "Priority=0" in normal and "Preempt=" not in " ".join(normal)


def test_what_is_left_out_changes_nothing():
    assert qos.settings({"name": "x"}, table(), "qos[0]") == []
    partial = {"limits": {"max": {"jobs": {"per": {"user": {"set": False, "infinite": False}}}}},
               "priority": {"set": True, "number": 7}}
    assert qos.settings(partial, table(), "qos[0]") == ["Priority=7"]


def test_flags():
    def flags(value, current=None):
        return qos.settings({"flags": value}, table(), "qos[0]", current=current)

    assert flags(["DENY_LIMIT", "NO_DECAY"]) == ["Flags=DenyOnLimit,NoDecay"]
    assert flags(["ADD", "NO_RESERVE"]) == ["Flags+=NoReserve"]
    assert flags(["REMOVE", "NO_RESERVE"]) == ["Flags-=NoReserve"]
    assert flags(["NOT_SET", "NO_RESERVE"]) == []
    assert flags([]) == []  # an add without flags
    assert flags([], current={"name": "x"}) == ["Flags=-1"]  # a modify to none
    assert flags(["DELETED"], current={"name": "x"}) == ["Flags=-1"]
    with pytest.raises(FieldError) as error:
        flags(["DENY_LIMIT", "PARTITION_QOS"])
    assert error.value.field == "qos[0].flags[1]"
    with pytest.raises(FieldError):
        flags(["RELATIVE"])


def test_preemption():
    def preempt(value, current=None):
        return qos.settings({"preempt": value}, table(), "qos[3]", current=current)

    assert preempt({"mode": ["DISABLED"]}) == ["PreemptMode=off"]
    assert preempt({"mode": ["GANG", "SUSPEND"]}) == ["PreemptMode=suspend,gang"]
    assert preempt({"list": [], "mode": ["CANCEL"]}) == ["PreemptMode=cancel"]
    assert preempt({"list": []}, current={"preempt": {"list": ["normal"]}}) == ["Preempt="]
    assert preempt({"exempt_time": {"set": True, "number": 90}}) == ["PreemptExemptTime=00:01:30"]
    assert preempt({"exempt_time": {"infinite": True}}) == ["PreemptExemptTime=-1"]
    for bad, field in (({"mode": ["DISABLED", "GANG"]}, "qos[3].preempt.mode"),
                       ({"mode": ["REQUEUE", "CANCEL"]}, "qos[3].preempt.mode"),
                       ({"mode": ["WITHIN"]}, "qos[3].preempt.mode[0]"),
                       ({"list": ["a,b"]}, "qos[3].preempt.list[0]")):
        with pytest.raises(FieldError) as error:
            preempt(bad)
        assert error.value.field == field


def test_tres_limits():
    def tres(items):
        return qos.settings({"limits": {"max": {"tres": {"per": {"job": items}}}}}, table(), "qos[0]")

    assert tres([{"type": "cpu", "count": 2}, {"id": 2, "count": 512}]) == ["MaxTRES=cpu=2,mem=512"]
    assert tres([{"type": "fs", "name": "disk", "count": -1}]) == ["MaxTRES=fs/disk=-1"]
    assert tres([]) == []
    for items, field in (([{"type": "gres", "name": "gpu", "count": 1}], "qos[0].limits.max.tres.per.job[0]"),
                         ([{"id": 77, "count": 1}], "qos[0].limits.max.tres.per.job[0].id"),
                         ([{"id": 1, "type": "mem", "count": 1}], "qos[0].limits.max.tres.per.job[0]"),
                         ([{"type": "cpu", "count": True}], "qos[0].limits.max.tres.per.job[0].count"),
                         ([{"type": "cpu", "count": -2}], "qos[0].limits.max.tres.per.job[0].count"),
                         ([{"type": "cpu", "count": 1}, {"id": 1, "count": 2}],
                          "qos[0].limits.max.tres.per.job[1]")):
        with pytest.raises(FieldError) as error:
            tres(items)
        assert error.value.field == field, items


def test_numbers_out_of_range_and_text_sacctmgr_would_change():
    for qos_object, field in (({"priority": {"set": True, "number": -3}}, "qos[0].priority"),
                              ({"priority": {"set": True, "number": 2 ** 32}}, "qos[0].priority"),
                              ({"priority": {"set": True, "number": 1.5}}, "qos[0].priority"),
                              ({"usage_factor": {"set": True, "number": -1.0}}, "qos[0].usage_factor"),
                              ({"limits": {"grace_time": -1}}, "qos[0].limits.grace_time"),
                              ({"description": 'say "hi"'}, "qos[0].description"),
                              ({"description": "two\nlines"}, "qos[0].description"),
                              ({"description": "a | bar"}, "qos[0].description")):  # a column of -P
        with pytest.raises(FieldError) as error:
            qos.settings(qos_object, table(), "qos[0]")
        assert error.value.field == field, qos_object
    assert qos.settings({"usage_factor": {"set": True, "number": 0.25}}, table(), "q") == ["UsageFactor=0.25"]
    assert qos.settings({"description": "spaces, commas; $(shell) & <marks>"}, table(), "q") == [
        "Description=spaces, commas; $(shell) & <marks>"]


def test_change_commands_are_argument_vectors():
    assert SacctmgrAddQos("t-a", ["Description=a b"]).argv() == [
        "sacctmgr", "-i", "add", "qos", "Name=t-a", "Description=a b"]
    assert SacctmgrModifyQos("t-a", ["Priority=3"]).argv() == [
        "sacctmgr", "-i", "modify", "qos", "where", "name=t-a", "set", "Priority=3"]
    assert SacctmgrDeleteQos("t-a").argv() == ["sacctmgr", "-i", "delete", "qos", "where", "name=t-a"]
    assert not SacctmgrAddQos("t-a", []).read_only and SacctmgrShowQos().read_only
