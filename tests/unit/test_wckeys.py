"""Wckeys: Slurm 22.05.8's `sacctmgr show wckey` (recorded from the live
cluster) into v0.0.44 `wckey` objects; the commands that add and remove one."""

from pathlib import Path

from server.convert import wckeys
from server.convert.sacctmgr_text import rows
from server.slurm.commands.sacctmgr_wckeys import (SacctmgrAddWckey, SacctmgrDeleteWckey,
                                                   SacctmgrShowUsers, SacctmgrShowWckeys)
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "wckeys"


def test_show_wckey():
    command = SacctmgrShowWckeys(users=("t-user-capture",), ids=("6",), with_deleted=True)
    assert command.argv() == ["sacctmgr", "-n", "-P", "show", "wckey", "ids=6",
                              "users=t-user-capture", "withdeleted", "format=ID,WCKey,Cluster,User"]
    found = [wckeys.from_row(r) for r in rows((DATA / "show-wckeys.txt").read_text(),
                                              [key for key, _ in command.fields])]
    assert found == [
        {"accounting": [], "cluster": "srp", "id": 6, "name": "t-wk-a", "user": "t-user-capture",
         "flags": []},
        {"accounting": [], "cluster": "srp", "id": 7, "name": "t-wk-b", "user": "t-user-capture",
         "flags": []},
    ]
    assert wckeys.from_row({"id": "3", "name": "w", "cluster": "c", "user": "u"},
                           deleted=True)["flags"] == ["DELETED"]
    body = {"wckeys": found, "meta": {}, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/wckeys/", body)


def test_users_and_their_default_wckey():
    command = SacctmgrShowUsers(("t-user-capture",))
    assert command.argv()[-2:] == ["names=t-user-capture", "format=User,DefaultWCKey"]
    assert rows((DATA / "show-users.txt").read_text(), [k for k, _ in command.fields]) == [
        {"user": "t-user-capture", "default_wckey": "t-wk-a"}]


def test_a_wckey_is_added_and_removed_through_its_user():
    assert SacctmgrAddWckey("u", "w", "c").argv() == [
        "sacctmgr", "-i", "add", "user", "name=u", "wckeys=w", "cluster=c"]
    assert SacctmgrDeleteWckey("u", "w", "c").argv() == [
        "sacctmgr", "-i", "delete", "user", "where", "name=u", "wckeys=w", "cluster=c"]
