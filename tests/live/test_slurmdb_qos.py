"""/slurmdb/v0.0.44/qos/ and /qos/{qos} against the live cluster: QOS of our
own (t-qos-<random>) are created, read, changed and deleted; every response
is validated against SchedMD's description. QOS normal is only read."""

import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.live.checked_api import checked_api_fixture
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"
api = checked_api_fixture()  # every answer is validated against SchedMD's description


def reference():
    return reference_as_meant("v0.0.44")


@pytest.fixture
def names(cluster):
    """Unique QOS names for one test; whatever of them exists at the end is deleted."""
    tag = uuid.uuid4().hex[:8]
    made = [f"t-qos-{tag}-{i}" for i in range(3)]
    yield made
    for name in made:
        cluster.run("sacctmgr", "-i", "delete", "qos", "where", f"name={name}", check=False)


def sacctmgr_qos(cluster, name, fields):
    out = cluster.run("sacctmgr", "-n", "-P", "show", "qos", f"names={name}", f"format={fields}").stdout
    return out.strip()


def post(api, auth, qos, user=ADMIN):
    response = api.post(f"{API}/qos/", json={"qos": qos}, headers=auth(user))
    validate_response(reference(), "post", f"{API}/qos/", response.json(), status=response.status_code)
    return response


def get_one(api, auth, name, user=ADMIN):
    response = api.get(f"{API}/qos/{name}", headers=auth(user))
    assert response.status_code == 200, response.text
    validate_response(reference(), "get", f"{API}/qos/{{qos}}", response.json())
    return response.json()


def test_create_read_change_and_delete(api, auth, cluster, names):
    main, victim, _ = names
    response = post(api, auth, [
        {"name": main, "description": "slurmrestpy live test",
         "priority": {"set": True, "number": 25},
         "flags": ["DENY_LIMIT", "NO_RESERVE"],
         "usage_factor": {"set": True, "number": 1.5},
         "preempt": {"list": [victim], "mode": ["REQUEUE"], "exempt_time": {"set": True, "number": 120}},
         "limits": {"grace_time": 45,
                    "max": {"tres": {"per": {"job": [{"type": "cpu", "count": 2},
                                                     {"type": "mem", "count": 2048}]}},
                            "wall_clock": {"per": {"job": {"set": True, "number": 90}}},
                            "jobs": {"per": {"user": {"set": True, "number": 4}}}}}},
        {"name": victim},  # added first: main's preempt list names it
    ])
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    # What slurmdbd has, in sacctmgr's words
    assert sacctmgr_qos(cluster, main, "Priority,Flags,Preempt,PreemptMode,PreemptExemptTime,GraceTime,"
                                       "MaxTRES,MaxWall,MaxSubmitPU,UsageFactor") == (
        f"25|DenyOnLimit,NoReserve|{victim}|requeue|00:02:00|00:00:45|cpu=2,mem=2G|01:30:00|4|1.500000")

    [qos] = get_one(api, auth, main)["qos"]
    assert qos["name"] == main and qos["description"] == "slurmrestpy live test"
    assert qos["priority"] == {"set": True, "infinite": False, "number": 25}
    assert qos["flags"] == ["NO_RESERVE", "DENY_LIMIT"]
    assert qos["preempt"] == {"list": [victim], "mode": ["REQUEUE"],
                              "exempt_time": {"set": True, "infinite": False, "number": 120}}
    assert qos["limits"]["grace_time"] == 45
    assert [(t["type"], t["id"], t["count"]) for t in qos["limits"]["max"]["tres"]["per"]["job"]] == [
        ("cpu", 1, 2), ("mem", 2, 2048)]
    assert qos["limits"]["max"]["wall_clock"]["per"]["job"]["number"] == 90
    assert qos["limits"]["max"]["jobs"]["per"]["user"]["number"] == 4
    assert qos["usage_factor"]["number"] == 1.5

    # An update by id: what is given changes, what is left out stays.
    response = post(api, auth, [{"id": qos["id"], "priority": {"set": True, "number": 30},
                                 "flags": [], "preempt": {"list": []},
                                 "limits": {"max": {"tres": {"per": {"job": [{"type": "cpu", "count": -1}]}},
                                                    "wall_clock": {"per": {"job": {"infinite": True}}}}}}])
    assert response.status_code == 200, response.text
    [changed] = get_one(api, auth, main)["qos"]
    assert changed["priority"]["number"] == 30 and changed["flags"] == []
    assert changed["preempt"]["list"] == [] and changed["preempt"]["mode"] == ["REQUEUE"]
    assert [t["type"] for t in changed["limits"]["max"]["tres"]["per"]["job"]] == ["mem"]
    assert changed["limits"]["max"]["wall_clock"]["per"]["job"] == {"set": False, "infinite": True, "number": 0}
    assert changed["limits"]["grace_time"] == 45 and changed["description"] == "slurmrestpy live test"

    # Posting what GET gave changes nothing.
    assert post(api, auth, [changed]).status_code == 200
    assert get_one(api, auth, main)["qos"] == [changed]

    response = api.delete(f"{API}/qos/{main}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "delete", f"{API}/qos/{{qos}}", body)
    assert body["removed_qos"] == [main]
    assert sacctmgr_qos(cluster, main, "Name") == ""


def test_a_limit_on_memory_is_slurmdbds_mem(api, auth, cluster, names):
    # slurmrestd answers 200 here and stores no limit at all; we store it
    limits = {"max": {"tres": {"per": {"job": [{"type": "memory", "count": 2048},
                                                 {"type": "cpu", "count": 4}]}}}}
    response = post(api, auth, [{"name": names[0], "limits": limits}])
    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == []
    assert sacctmgr_qos(cluster, names[0], "MaxTRES") == "cpu=4,mem=2G"


def test_list_and_its_filters(api, auth, cluster, names):
    main = names[0]
    assert post(api, auth, [{"name": main, "preempt": {"mode": ["CANCEL"]}}]).status_code == 200
    response = api.get(f"{API}/qos/", headers=auth(ALICE))  # anyone may list QOS
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/qos/", body)
    listed = {q["name"] for q in body["qos"]}
    shown = set(cluster.run("sacctmgr", "-n", "-P", "show", "qos", "format=Name").stdout.split())
    assert {"normal", main} <= listed and listed == shown
    normal = next(q for q in body["qos"] if q["name"] == "normal")
    assert normal["id"] == 1 and normal["preempt"]["mode"] == ["DISABLED"]

    def names_of(**params):
        found = api.get(f"{API}/qos/", params=params, headers=auth(ADMIN))
        assert found.status_code == 200, found.text
        validate_response(reference(), "get", f"{API}/qos/", found.json())
        return [q["name"] for q in found.json()["qos"]]

    assert names_of(name=f"normal,{main}") == ["normal", main]
    assert names_of(name=main, preempt_mode="CANCEL") == [main]
    assert names_of(name=main, preempt_mode="GANG") == []
    assert names_of(id="1") == ["normal"]
    assert names_of(description="Normal QOS default") == ["normal"]
    # The parameter whose name has spaces, as a generated client sends it.
    assert main in names_of(**{"Include deleted QOS": "true", "name": main})
    assert names_of(name=main, format="whatever") == [main]


def test_an_unprivileged_user_cannot_add_change_or_delete(api, auth, cluster, names):
    main = names[0]
    response = post(api, auth, [{"name": main}], user=ALICE)
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["error_number"] == 2002 and error["error"] == "Access/permission denied"
    assert main in error["description"]
    assert sacctmgr_qos(cluster, main, "Name") == ""

    assert post(api, auth, [{"name": main}]).status_code == 200
    response = post(api, auth, [{"name": main, "priority": {"set": True, "number": 9}}], user=ALICE)
    assert response.status_code == 500 and response.json()["errors"][0]["error_number"] == 2002
    response = api.delete(f"{API}/qos/{main}", headers=auth(ALICE))
    assert response.status_code == 500
    validate_response(reference(), "delete", f"{API}/qos/{{qos}}", response.json(), status=500)
    assert response.json()["removed_qos"] == []
    assert sacctmgr_qos(cluster, main, "Name,Priority") == f"{main}|0"


def test_unknown_qos(api, auth, names):
    body = get_one(api, auth, names[0])
    assert body["qos"] == [] and body["errors"] == []
    assert body["warnings"] == [{"description": "slurmdb_qos_get() found nothing", "source": "_op_handler_qos"}]
    response = api.delete(f"{API}/qos/{names[0]}", headers=auth(ADMIN))
    assert response.status_code == 200
    validate_response(reference(), "delete", f"{API}/qos/{{qos}}", response.json())
    assert response.json()["removed_qos"] == [] and response.json()["warnings"]
    # A name no QOS can have is not passed on as something else.
    assert get_one(api, auth, "normal,t-x")["qos"] == []


def test_bad_input_names_the_field_and_changes_nothing(api, auth, cluster, names):
    first, second, _ = names
    cases = [
        ([{"name": first}, {"name": second, "flags": ["RELATIVE"]}], 400, "qos[1].flags[0]"),
        ([{"name": first}, {"name": second, "limits": {"max": {"tres": {"total": [
            {"type": "gres", "name": "gpu", "count": 1}]}}}}], 400, "qos[1].limits.max.tres.total[0]"),
        ([{"name": first, "preempt": {"list": ["t-qos-no-such"]}}], 400, "qos[0].preempt.list[0]"),
        ([{"name": first}, {"name": "bad name"}], 400, "qos[1].name"),
        ([{"name": first, "description": 'say "hi"'}], 400, "qos[0].description"),
        ([{"name": first, "priority": {"set": True, "number": -5}}], 400, "qos[0].priority"),
        ([{"name": first}, {"id": 99999999, "priority": {"set": True, "number": 1}}], 422, "qos[1]"),
        ([{"description": "nameless"}], 422, "qos[0]"),
    ]
    for qos, status, field in cases:
        response = post(api, auth, qos)
        assert response.status_code == status, (qos, response.text)
        [error] = response.json()["errors"]
        assert error["description"].startswith(field), (field, error)
        assert "\n" not in error["description"]
        assert sacctmgr_qos(cluster, first, "Name") == "", qos  # nothing half-done
    response = api.post(f"{API}/qos/", json={"qos": [{"name": first, "priority": 5}]}, headers=auth(ADMIN))
    assert response.status_code == 400 and "priority" in response.json()["errors"][0]["description"]
