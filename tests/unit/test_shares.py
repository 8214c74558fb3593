"""The fair-share tree: sshare text of Slurm 22.05.8 (recorded into
tests/data/slurm-22.05/shares/ by capture-issue3.sh) into v0.0.44 shares,
the account filter, and the pass-through of a Slurm whose sshare prints
v0.0.44 itself (the fake 25.11 client)."""

import json
from pathlib import Path

import pytest

from server.convert import shares_text
from server.slurm.commands.sshare import SshareJson, SshareText
from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers
API = "/slurm/v0.0.44"

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "shares"


def rows(name: str) -> list[dict]:
    return shares_text.parse((DATA / name).read_text())


def by_id(shares: list[dict]) -> dict[int, dict]:
    return {share["id"]: share for share in shares}


def body(shares: list[dict]) -> dict:
    return {"shares": {"shares": shares}, "meta": {}, "errors": [], "warnings": []}


def test_every_row_becomes_a_valid_share():
    shares = rows("sshare-all-as-root.txt")
    assert [s["id"] for s in shares] == [1, 2, 3, 4, 5, 6, 7, 14, 8, 9]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/shares", body(shares))


def test_names_parents_and_types_follow_the_tree():
    shares = by_id(rows("sshare-all-as-root.txt"))
    assert (shares[1]["name"], shares[1]["parent"], shares[1]["type"]) == ("root", "", ["ASSOCIATION"])
    assert (shares[2]["name"], shares[2]["parent"], shares[2]["type"]) == ("root", "root", ["USER"])
    assert (shares[3]["name"], shares[3]["parent"]) == ("research", "root")
    assert (shares[4]["name"], shares[4]["parent"], shares[4]["type"]) == ("srp_alice", "research", ["USER"])
    # A sub-account printed after a user row of its parent still finds it.
    assert (shares[14]["name"], shares[14]["parent"]) == ("t-acct-exp26084-child", "t-acct-exp26084")
    assert (shares[8]["name"], shares[8]["parent"]) == ("t-acct-probe", "root")
    assert all(s["cluster"] == "srp" and s["partition"] == "" for s in shares.values())


def test_numbers_slurm_did_not_print_are_unset():
    shares = by_id(rows("sshare-all-as-root.txt"))
    root, alice, research = shares[1], shares[4], shares[3]
    unset = {"set": False, "infinite": False, "number": 0}
    assert root["shares"] == unset  # root has no RawShares
    assert alice["shares"] == {"set": True, "infinite": False, "number": 1}
    assert alice["shares_normalized"] == unset  # priority/basic: no NormShares
    assert alice["fairshare"]["factor"] == {"set": True, "infinite": False, "number": 0.0}
    assert research["fairshare"]["factor"] == unset  # fair-tree: accounts have none
    assert alice["effective_usage"] == {"set": True, "infinite": False, "number": 0.0}
    assert alice["usage"] == 0


def test_tres_lists():
    shares = by_id(rows("sshare-all-as-root.txt"))
    limited, alice = shares[7], shares[4]
    names = ["cpu", "mem", "energy", "node", "billing", "fs/disk", "vmem", "pages"]
    assert [t["name"] for t in alice["tres"]["run_seconds"]] == names
    assert [t["name"] for t in alice["tres"]["usage"]] == names
    assert all(t["value"] == 0.0 for t in alice["tres"]["usage"])
    # GrpTRESMins=cpu=9 on one user: that limit is set, the others are none.
    limits = {t["name"]: t["value"] for t in limited["tres"]["group_minutes"]}
    assert limits["cpu"] == {"set": True, "infinite": False, "number": 9}
    assert limits["mem"] == {"set": False, "infinite": True, "number": 0}
    assert all(t["value"]["infinite"] for t in alice["tres"]["group_minutes"])


def test_a_normal_user_sees_the_same_tree():
    # PrivateData=jobs hides no association: srp_alice's sshare is root's.
    assert rows("sshare-all-as-srp_alice.txt") == rows("sshare-all-as-root.txt")


def test_users_filter_keeps_every_account_row():
    shares = rows("sshare-users-srp_bob.txt")
    users = [s["name"] for s in shares if s["type"] == ["USER"]]
    accounts = [s["name"] for s in shares if s["type"] == ["ASSOCIATION"]]
    assert users == ["srp_bob"]
    assert accounts == ["root", "research", "t-acct-exp26084", "t-acct-exp26084-child", "t-acct-probe"]


def test_account_filter_is_applied_to_the_whole_tree():
    # sshare --accounts prints the filtered rows without their ancestors, so
    # research would lose its parent: the filter is ours.
    printed_filtered = by_id(rows("sshare-accounts-research.txt"))
    assert printed_filtered[3]["parent"] == ""
    ours = shares_text.only_accounts(rows("sshare-all-as-root.txt"), ["RESEARCH"])
    assert [s["id"] for s in ours] == [3, 4, 5]
    assert by_id(ours)[3]["parent"] == "root"
    assert [s["id"] for s in ours] == sorted(printed_filtered)


def test_tree_order_is_checked():
    assert shares_text.parse_tree((DATA / "sshare-all-as-root.txt").read_text())[1] is True
    assert shares_text.parse_tree((DATA / "sshare-users-srp_bob.txt").read_text())[1] is True
    # Recorded after other engineers changed associations: slurmctld's list
    # had a user row first, before root.
    shares, in_order = shares_text.parse_tree((DATA / "sshare-all-out-of-order.txt").read_text())
    assert in_order is False
    assert (shares[0]["name"], shares[0]["parent"], shares[0]["type"]) == ("t-user-probe", "t-acct-probe", ["USER"])


def test_parents_from_sacctmgr_when_out_of_order():
    parents = shares_text.account_parents((DATA / "sacctmgr-assoc-parents.txt").read_text())
    assert parents == {"root": "", "research": "root", "t-acct-exp26084": "root",
                       "t-acct-exp26084-child": "t-acct-exp26084", "t-acct-probe": "root"}
    # A sub-account printed before its parent's row: indentation misleads.
    lines = (DATA / "sshare-all-as-root.txt").read_text().splitlines()
    child = next(line for line in lines if "|  t-acct-exp26084-child|" in line)
    text = "\n".join([child] + [line for line in lines if line != child])
    shares, in_order = shares_text.parse_tree(text)
    assert in_order is False
    assert shares[0]["parent"] == ""  # what indentation alone would say
    shares_text.set_parents(shares, parents)
    assert shares[0]["parent"] == "t-acct-exp26084"
    assert [s["parent"] for s in shares if s["type"] == ["USER"]] == [
        "root", "research", "research", "t-acct-exp26084", "t-acct-probe"]


@pytest.mark.parametrize("printed, expected", [
    ("", {"set": False, "infinite": False, "number": 0}),
    ("nan", {"set": False, "infinite": False, "number": 0}),
    ("inf", {"set": False, "infinite": True, "number": 0}),
    ("0.250000", {"set": True, "infinite": False, "number": 0.25}),
])
def test_printed_doubles(printed, expected):
    assert shares_text.f64(printed) == expected


def test_parent_shares():
    assert shares_text.raw_shares("parent") == {"set": True, "infinite": False, "number": 0x7FFFFFFF}


def test_run_minutes_become_seconds():
    line = "9|srp| a|u||1||0||0.000000|0.000000|0.000000||cpu=2,mem=300|cpu=1.5,mem=0"
    [share] = shares_text.parse(line)
    assert share["tres"]["run_seconds"] == [
        {"name": "cpu", "value": {"set": True, "infinite": False, "number": 120}},
        {"name": "mem", "value": {"set": True, "infinite": False, "number": 18000}}]
    assert share["tres"]["usage"][0] == {"name": "cpu", "value": 1.5}


def test_a_line_with_the_wrong_number_of_fields_is_an_error():
    with pytest.raises(ValueError, match="fields"):
        shares_text.parse("1|srp|root")


def test_sshare_argv():
    assert SshareText().argv()[-1] == "--all"
    assert SshareText(["srp_alice", "srp_bob"]).argv()[-1] == "--users=srp_alice,srp_bob"
    assert f"--format={','.join(shares_text.FIELDS)}" in SshareText().argv()
    assert SshareJson("v0.0.44", accounts=["research"]).argv() == [
        "sshare", "--json=v0.0.44", "--accounts=research", "--all"]


def test_shares_pass_through(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    printed = {"shares": {"shares": rows("sshare-all-as-root.txt"), "total_shares": 5},
               "meta": {}, "errors": [], "warnings": []}
    (folder / "sshare.json").write_text(json.dumps(printed))
    response = client.get(f"{API}/shares", params={"accounts": "research", "users": "srp_bob"},
                          headers=headers())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["shares"] == printed["shares"]
    assert (folder / "sshare.argv").read_text().split("\n") == [
        "--json=v0.0.44", "--accounts=research", "--users=srp_bob"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/shares", answer)


def test_bad_names_are_refused_before_sshare_runs(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    response = client.get(f"{API}/shares", params={"users": "srp_alice,--all"}, headers=headers())
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "'users'" in error["description"] and "--all" in error["description"]
    assert not (folder / "sshare.argv").exists()
