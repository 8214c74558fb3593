"""The reservation handlers' decisions, with Slurm played by a stand-in:
create or update, what a list does when Slurm refuses one of its items,
what is refused before Slurm is asked, and slurmrestd's answers for names it
does not find. Then the pass-through of a Slurm printing v0.0.44 itself
(fake 25.11 client, the recorded 25.11 reservations response)."""

import asyncio
import copy
import json

import pytest

from handlers.slurm import reservations as handlers
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_reservations import (
    ScontrolCreateReservation,
    ScontrolDeleteReservation,
    ScontrolShowReservations,
    ScontrolUpdateReservation,
)
from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers, recorded
API = "/slurm/v0.0.44"

UNSET = {"set": False, "infinite": False, "number": 0}
START = 1900000000


def number(n):
    return {"set": True, "infinite": False, "number": n}


class Slurm22:
    version = (22, 5, 8)

    def prints(self, command, data_parser):
        return False


class FakeCall:
    """What a handler needs of server.call.Call; Slurm's answers by command."""

    version = "v0.0.44"

    def __init__(self, existing=(), refuse=()):
        self.slurm = Slurm22()
        self.existing = list(existing)
        self.refuse = dict(refuse)  # reservation name -> SlurmError
        self.ran = []
        self.warnings = []

    async def run(self, command):
        self.ran.append(command)
        if isinstance(command, ScontrolShowReservations):
            return [{"name": name} for name in self.existing]
        name = getattr(command, "name", None)
        if name in self.refuse:
            raise self.refuse[name]
        if isinstance(command, ScontrolCreateReservation):
            self.existing.append(name)
        return name

    def warn(self, description, source="slurmrestpy"):
        self.warnings.append({"description": description, "source": source})

    def respond(self, body, status=200):
        return {"status": status, "body": body, "errors": [], "warnings": self.warnings}

    def fail(self, error, *more):
        return {"status": error.status, "body": None,
                "errors": [e.entry() for e in (error, *more)], "warnings": self.warnings}

    def writes(self):
        return [c for c in self.ran if not c.read_only]


def run(coro):
    return asyncio.run(coro)


def desc(name, **extra):
    return {"name": name, "start_time": number(START), "duration": number(60),
            "node_list": ["n1"], "users": ["root"], **extra}


def refused(number_, text="Invalid node name specified"):
    return SlurmError(f"Error creating reservation: {text}", number=number_, source="scontrol create reservation")


def test_post_creates_a_new_name_and_updates_an_existing_one():
    call = FakeCall(existing=["T-Resv-A"])
    answer = run(handlers.post_reservation(call, body=desc("t-resv-b")))
    assert answer["status"] == 200 and answer["body"] == {"reservations": [desc("t-resv-b")]}
    [create] = call.writes()
    assert isinstance(create, ScontrolCreateReservation)
    assert create.arguments[0] == "ReservationName=t-resv-b"

    call = FakeCall(existing=["T-Resv-A"])
    answer = run(handlers.post_reservation(call, body={"name": "t-resv-a", "duration": number(30)}))
    assert answer["status"] == 200
    [update] = call.writes()
    # found without regard to case, and named as slurmctld spells it
    assert isinstance(update, ScontrolUpdateReservation)
    assert update.arguments == ["ReservationName=T-Resv-A", "Duration=30"]


def test_post_without_a_name_or_with_what_slurm_lacks_asks_slurm_nothing():
    for body, where in (({"duration": number(5)}, "name"),
                        (desc("t-resv-c", comment="x"), "comment"),
                        (desc("t-resv-c", users=None), "users")):
        call = FakeCall()
        with pytest.raises(SlurmError) as raised:
            run(handlers.post_reservation(call, body=body))
        assert raised.value.status == 400
        assert raised.value.description.startswith(f"{where}: ")
        assert call.writes() == []


def test_a_refusal_of_slurms_is_the_answer():
    call = FakeCall(refuse={"t-resv-d": refused(2018)})
    with pytest.raises(SlurmError) as raised:
        run(handlers.post_reservation(call, body=desc("t-resv-d")))
    assert raised.value.number == 2018 and raised.value.status == 500


def test_a_list_is_checked_whole_before_anything_runs():
    call = FakeCall()
    body = {"reservations": [desc("t-resv-e"), desc("t-resv-f", flags=["SPEC_NODES"])]}
    with pytest.raises(SlurmError) as raised:
        run(handlers.post_reservations(call, body=body))
    assert raised.value.status == 400
    assert raised.value.description.startswith("reservations[1].flags: SPEC_NODES")
    assert call.writes() == []


def test_a_list_naming_one_reservation_twice_is_refused():
    call = FakeCall()
    body = {"reservations": [desc("t-resv-g"), {"name": "T-RESV-G", "duration": number(5)}]}
    with pytest.raises(SlurmError) as raised:
        run(handlers.post_reservations(call, body=body))
    assert "reservations[1].name" in raised.value.description and "reservations[0]" in raised.value.description
    assert call.writes() == []


def test_a_list_reports_each_refusal_and_counts_the_changes_made():
    call = FakeCall(existing=["t-resv-h"], refuse={"t-resv-j": refused(2018)})
    body = {"reservations": [{"name": "t-resv-h", "users": ["srp_bob"]}, desc("t-resv-j"), desc("t-resv-k")]}
    answer = run(handlers.post_reservations(call, body=body))
    assert answer["status"] == 500
    [error] = answer["errors"]
    assert error["error_number"] == 2018
    assert error["description"].startswith("reservations[1] (t-resv-j): Error creating reservation")
    [note] = [w["description"] for w in answer["warnings"]]
    assert "2 of 3" in note
    # the one after the refused one was still applied, as slurmrestd does
    assert [type(c).__name__ for c in call.writes()] == [
        "ScontrolUpdateReservation", "ScontrolCreateReservation", "ScontrolCreateReservation"]


def test_a_list_that_all_applies():
    call = FakeCall()
    body = {"reservations": [desc("t-resv-l"), desc("t-resv-m", licenses=["fluent:1"])]}
    answer = run(handlers.post_reservations(call, body=body))
    assert answer["status"] == 200
    assert answer["body"] == body
    # a success carries no warning, as in slurmrestd (clients check for none)
    assert not answer.get("warnings")


def test_an_empty_list_and_no_list():
    call = FakeCall()
    answer = run(handlers.post_reservations(call, body={"reservations": []}))
    assert answer["status"] == 200 and answer["body"] == {"reservations": []}
    assert "No reservation descriptions" in answer["warnings"][0]["description"]
    with pytest.raises(SlurmError) as raised:
        run(handlers.post_reservations(FakeCall(), body={}))
    assert raised.value.status == 400


def test_get_one_answers_as_slurmrestd_for_names_it_does_not_find():
    call = FakeCall(existing=["t-resv-n"])
    with pytest.raises(SlurmError) as raised:
        run(handlers.get_reservation(call, "t-resv-nosuch"))
    assert raised.value.number == 9000 and raised.value.status == 422
    assert raised.value.description == "Unable to find reservation t-resv-nosuch"
    # with no reservation at all slurmrestd reports a failed load numbered 0
    with pytest.raises(SlurmError) as raised:
        run(handlers.get_reservation(FakeCall(), "t-resv-nosuch"))
    assert raised.value.number == 0 and raised.value.status == 200
    assert raised.value.description == "Unable to query reservations"
    answer = run(handlers.get_reservation(call, "T-RESV-N"))
    assert answer["body"]["reservations"] == [{"name": "t-resv-n"}]


def test_delete_runs_scontrol_delete():
    call = FakeCall()
    answer = run(handlers.delete_reservation(call, "t-resv-o"))
    assert answer["status"] == 200 and answer["body"] == {}
    [delete] = call.writes()
    assert isinstance(delete, ScontrolDeleteReservation) and delete.name == "t-resv-o"


# --- a Slurm that prints v0.0.44 itself (fake 25.11 client)

A_RESERVATION = {  # v0.0.44 reservation_info, every property, from the 22.05 reading of t-resv-probe2
    "accounts": "research", "burst_buffer": "", "core_count": 4, "core_specializations": [],
    "end_time": number(1858593600), "features": "", "flags": ["MAINT", "IGNORE_JOBS", "PURGE_COMP"],
    "groups": "", "licenses": "fluent:1", "max_start_delay": 600, "name": "t-resv-probe2",
    "node_count": 2, "node_list": "n[1-2]", "partition": "debug",
    "purge_completed": {"time": number(300)}, "start_time": number(1858464000),
    "watts": UNSET, "tres": "cpu=4", "users": "srp_alice,srp_bob",
}


def test_reservations_pass_through(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-reservations.json")
    (folder / "scontrol.json").write_text(json.dumps(original))
    response = client.get(f"{API}/reservations/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert (folder / "scontrol.argv").read_text().split("\n") == ["--json=v0.0.44", "show", "reservations"]
    assert body["reservations"] == original["reservations"] == []
    assert body["last_update"] == original["last_update"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reservations/", body)


def test_one_reservation_pass_through(fake_slurm):
    folder, client = fake_slurm
    printed = copy.deepcopy(recorded("slurm-reservations.json"))
    printed["reservations"] = [A_RESERVATION, {**A_RESERVATION, "name": "other", "comment": None}]
    (folder / "scontrol.json").write_text(json.dumps(printed))
    body = client.get(f"{API}/reservation/T-RESV-PROBE2", headers=headers()).json()
    assert body["reservations"] == [A_RESERVATION]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reservation/{{reservation_name}}", body)
    listing = client.get(f"{API}/reservations/", headers=headers()).json()
    assert "comment" not in listing["reservations"][1]  # a forbidden null is left out
    unknown = client.get(f"{API}/reservation/nosuch", headers=headers())
    assert unknown.status_code == 422
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reservation/{{reservation_name}}",
                      unknown.json(), status=422)


def test_post_to_a_later_slurm_updates_with_its_own_scontrol(fake_slurm):
    folder, client = fake_slurm
    printed = copy.deepcopy(recorded("slurm-reservations.json"))
    printed["reservations"] = [A_RESERVATION]
    (folder / "scontrol.json").write_text(json.dumps(printed))
    (folder / "scontrol.txt").write_text("Reservation updated.\n")
    body = {"name": "t-resv-probe2", "comment": "kept from 23.02 on", "flags": ["USER_DELETE"]}
    response = client.post(f"{API}/reservation", json=body, headers=headers())
    assert response.status_code == 200, response.text
    assert (folder / "scontrol.argv").read_text().split("\n") == [
        "update", "ReservationName=t-resv-probe2", "Comment=kept from 23.02 on", "Flags=USER_DELETE"]
    answer = response.json()
    assert answer["reservations"] == [body]
    validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/reservation", answer)
