"""Advance reservations of v0.0.44 against the live cluster: create, read,
update (POST of an existing name), lists, delete, refusals; every response
validated against SchedMD's description.

Every reservation here starts two years ahead: slurmctld plans at most a
year ahead for a job without a time limit, so none of them keeps anyone's
job off a node. Each test names its own (t-resv-<random>) and removes it."""

import time
import uuid

import pytest

from conftest import ADMIN, ALICE, API
from tests.schemas import reference_as_meant, validate_response

ONE = f"{API}/reservation/{{reservation_name}}"
LIST = f"{API}/reservations/"
POST_ONE = f"{API}/reservation"
START = int(time.time()) + 2 * 366 * 86400 - (int(time.time()) % 60)


def number(n):
    return {"set": True, "infinite": False, "number": n}


def reference():
    return reference_as_meant("v0.0.44")


def check(response, method, template, status=200):
    assert response.status_code == status, response.text
    body = response.json()
    validate_response(reference(), method, template, body, status=status)
    return body


@pytest.fixture
def names(cluster):
    """Unique reservation names; whatever of them exists at the end is deleted."""
    made = []

    def new(tag="x"):
        made.append(f"t-resv-{tag}-{uuid.uuid4().hex[:8]}")
        return made[-1]

    yield new
    shown = cluster.run("scontrol", "-o", "show", "reservation").stdout
    for name in made:
        if f"ReservationName={name} " in shown:
            cluster.run("scontrol", "delete", f"ReservationName={name}", check=False)


def exists(cluster, name):
    return f"ReservationName={name} " in cluster.run("scontrol", "-o", "show", "reservation").stdout


def desc(name, offset_days=0, **extra):
    """A reservation description; a property given as None is left out."""
    full = {"name": name, "start_time": number(START + offset_days * 86400), "duration": number(60),
            "node_list": ["n3"], "users": ["root"], **extra}
    return {key: value for key, value in full.items() if value is not None}


def get_one(api, auth, name, user=ADMIN):
    body = check(api.get(f"{API}/reservation/{name}", headers=auth(user)), "get", ONE)
    [found] = body["reservations"]
    return found


def test_create_read_update_delete(api, auth, cluster, names):
    name = names("crud")
    created = check(api.post(POST_ONE, json=desc(name, flags=["MAINT"]), headers=auth(ADMIN)),
                    "post", POST_ONE)
    assert created["reservations"] == [desc(name, flags=["MAINT"])]
    assert created["warnings"] == []  # as slurmrestd: a success warns of nothing
    assert exists(cluster, name)

    found = get_one(api, auth, name)
    assert found["start_time"] == number(START)
    assert found["end_time"] == number(START + 3600)
    assert found["node_list"] == "n3" and found["node_count"] == 1
    assert found["users"] == "root"
    assert set(found["flags"]) == {"MAINT", "SPEC_NODES"}
    assert found["core_count"] == 2 and found["tres"] == "cpu=2"

    # POST of an existing name updates it
    change = {"name": name, "duration": number(120), "users": ["root", "srp_alice"],
              "flags": ["NO_MAINT", "PURGE_COMP"], "purge_completed": {"time": number(300)},
              "max_start_delay": number(600)}
    updated = check(api.post(POST_ONE, json=change, headers=auth(ADMIN)), "post", POST_ONE)
    assert updated["warnings"] == []
    found = get_one(api, auth, name)
    assert found["end_time"] == number(START + 7200)
    assert found["users"] == "root,srp_alice"
    assert "MAINT" not in found["flags"] and "PURGE_COMP" in found["flags"]
    assert found["purge_completed"]["time"] == number(300)
    assert found["max_start_delay"] == 600

    listing = check(api.get(LIST, headers=auth(ALICE)), "get", LIST)
    assert name in [r["name"] for r in listing["reservations"]]

    check(api.delete(f"{API}/reservation/{name}", headers=auth(ADMIN)), "delete", ONE)
    assert not exists(cluster, name)


def test_a_partition_without_nodes_reserves_the_whole_partition(api, auth, cluster, names):
    name = names("part")
    body = desc(name, 4, node_list=[], partition="debug", users=["srp_bob"])
    answer = check(api.post(POST_ONE, json=body, headers=auth(ADMIN)), "post", POST_ONE)
    assert answer["warnings"] == []
    found = get_one(api, auth, name)
    assert found["partition"] == "debug" and found["node_count"] == 3
    assert "PART_NODES" in found["flags"]


def test_a_license_only_reservation_with_accounts(api, auth, cluster, names):
    name = names("lic")
    body = {"name": name, "start_time": number(START + 3 * 86400), "end_time": {"infinite": True},
            "licenses": ["matlab:1"], "accounts": ["research"], "flags": ["ANY_NODES"]}
    check(api.post(POST_ONE, json=body, headers=auth(ADMIN)), "post", POST_ONE)
    found = get_one(api, auth, name)
    assert found["licenses"] == "matlab:1" and found["accounts"] == "research"
    assert found["flags"] == ["ANY_NODES"] and found["node_list"] == ""
    assert found["end_time"]["number"] - found["start_time"]["number"] == 365 * 86400  # UNLIMITED


def test_a_list_creates_and_updates(api, auth, cluster, names):
    first, second = names("list"), names("list")
    check(api.post(POST_ONE, json=desc(first, 10), headers=auth(ADMIN)), "post", POST_ONE)
    body = {"reservations": [{"name": first, "duration": number(30)},
                             desc(second, 11, node_list=None, node_count=number(1),
                                  partition="debug", users=["srp_bob"])]}
    answer = check(api.post(LIST, json=body, headers=auth(ADMIN)), "post", LIST)
    assert answer["reservations"] == body["reservations"]
    assert get_one(api, auth, first)["end_time"] == number(START + 10 * 86400 + 1800)
    made = get_one(api, auth, second)
    assert made["node_count"] == 1 and made["partition"] == "debug" and made["users"] == "srp_bob"


def test_a_list_reports_which_failed_and_what_was_done(api, auth, cluster, names):
    good, bad = names("good"), names("bad")
    body = {"reservations": [desc(bad, 20, node_list=["t-node-nosuch"]), desc(good, 21)]}
    answer = check(api.post(LIST, json=body, headers=auth(ADMIN)), "post", LIST, status=500)
    [error] = answer["errors"]
    assert error["error_number"] == 2018  # ESLURM_INVALID_NODE_NAME
    assert error["description"].startswith(f"reservations[0] ({bad}): Error creating reservation {bad}")
    [note] = [w["description"] for w in answer["warnings"]]
    assert "1 of 2" in note
    assert exists(cluster, good) and not exists(cluster, bad)


@pytest.mark.parametrize("extra,field", [({"comment": "22.05 has no comments"}, "comment"),
                                         ({"flags": ["SPEC_NODES"]}, "flags")])
def test_a_list_slurm_cannot_express_changes_nothing(api, auth, cluster, names, extra, field):
    first, second = names("none"), names("none")
    body = {"reservations": [desc(first, 30), desc(second, 31, **extra)]}
    response = api.post(LIST, json=body, headers=auth(ADMIN))
    if field == "comment" and cluster.current:
        # reservations have comments since Slurm 23.02: the whole list is made
        # (v0.0.44 of 25.11 does not show the comment: scontrol does)
        check(response, "post", LIST)
        shown = cluster.run("scontrol", "-o", "show", "reservation", second).stdout
        assert exists(cluster, first) and f"Comment={extra['comment']}" in shown
        return
    answer = check(response, "post", LIST, status=400)
    [error] = answer["errors"]
    assert error["description"].startswith(f"reservations[1].{field}: ")
    assert not exists(cluster, first) and not exists(cluster, second)


def test_bad_descriptions_are_400_naming_the_field(api, auth, cluster, names):
    name = names("bad")
    for body, field in ((desc(name, users=None), "users"),
                        ({**desc(name), "name": ""}, "name"),
                        (desc(name, flags=["SPEC_NODES"]), "flags"),
                        (desc(name, start_time=None), "start_time")):
        answer = check(api.post(POST_ONE, json=body, headers=auth(ADMIN)), "post", POST_ONE, status=400)
        assert answer["errors"][0]["description"].startswith(f"{field}: ")
    assert not exists(cluster, name)
    # a body the description does not allow is refused by validation itself
    answer = check(api.post(POST_ONE, json={"name": name, "duration": "soon"}, headers=auth(ADMIN)),
                   "post", POST_ONE, status=400)
    assert "duration" in answer["errors"][0]["description"]


def test_an_unprivileged_user_cannot_create_update_or_delete(api, auth, cluster, names):
    mine, theirs = names("root"), names("alice")
    check(api.post(POST_ONE, json=desc(mine, 40), headers=auth(ADMIN)), "post", POST_ONE)

    answer = check(api.post(POST_ONE, json=desc(theirs, 41, users=[ALICE]), headers=auth(ALICE)),
                   "post", POST_ONE, status=500)
    [error] = answer["errors"]
    # slurmctld refuses non-operators with ESLURM_USER_ID_MISSING
    assert error["error_number"] == 2010 and error["error"] == "Invalid user id"
    assert not exists(cluster, theirs)

    answer = check(api.post(POST_ONE, json={"name": mine, "duration": number(5)}, headers=auth(ALICE)),
                   "post", POST_ONE, status=500)
    assert answer["errors"][0]["error_number"] == 2010
    assert get_one(api, auth, mine)["end_time"] == number(START + 40 * 86400 + 3600)

    answer = check(api.delete(f"{API}/reservation/{mine}", headers=auth(ALICE)), "delete", ONE, status=500)
    assert answer["errors"][0]["error_number"] == 2010
    assert exists(cluster, mine)


def test_unknown_reservation_names(api, auth, names):
    name = names("known")
    check(api.post(POST_ONE, json=desc(name, 50), headers=auth(ADMIN)), "post", POST_ONE)
    answer = check(api.get(f"{API}/reservation/t-resv-nosuch", headers=auth(ADMIN)), "get", ONE, status=422)
    [error] = answer["errors"]
    assert error["description"] == "Unable to find reservation t-resv-nosuch"
    assert error["error_number"] == 9000 and answer["reservations"] == []

    answer = check(api.delete(f"{API}/reservation/t-resv-nosuch", headers=auth(ADMIN)), "delete", ONE,
                   status=500)
    [error] = answer["errors"]
    assert error["error_number"] == 2053 and error["error"] == "Requested reservation is invalid"
    assert "t-resv-nosuch" in error["description"]


def test_a_name_is_found_without_regard_to_case(api, auth, names):
    name = names("case")
    check(api.post(POST_ONE, json=desc(name, 60), headers=auth(ADMIN)), "post", POST_ONE)
    assert get_one(api, auth, name.upper())["name"] == name
    # and POST of the same name in other case updates it
    check(api.post(POST_ONE, json={"name": name.upper(), "duration": number(15)}, headers=auth(ADMIN)),
          "post", POST_ONE)
    assert get_one(api, auth, name)["end_time"] == number(START + 60 * 86400 + 900)
