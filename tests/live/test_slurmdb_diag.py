"""GET /slurmdb/v0.0.44/diag/ against the live slurmdbd: its statistics for
root; for an unprivileged user, slurmdbd's refusal (sacctmgr show stats)."""

from conftest import ADMIN, ALICE
from tests.schemas import reference_as_meant, validate_response

DIAG = "/slurmdb/v0.0.44/diag/"


def test_statistics_as_root(api, auth, cluster):
    cluster.run("sacct", "-X", "-n")  # at least one job query, whatever ran before
    response = api.get(DIAG, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", DIAG, body)
    stats = body["statistics"]
    text = cluster.run("sacctmgr", "show", "stats").stdout
    since = int(text.split("Data since", 1)[1].split("(", 1)[1].split(")", 1)[0])
    assert stats["time_start"] == since
    assert any(r["rpc"] == "DBD_GET_JOBS_COND" and r["count"] > 0 for r in stats["RPCs"])
    assert "root" in {u["user"] for u in stats["users"]}
    assert set(stats["rollups"]) == {"hourly", "daily", "monthly"}
    assert body["errors"] == []


def test_an_unprivileged_user_is_refused_by_slurmdbd(api, auth):
    response = api.get(DIAG, headers=auth(ALICE))
    assert response.status_code == 500, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", DIAG, body, status=500)
    [error] = body["errors"]
    assert error["error_number"] == 2002 and "privilege" in error["description"]
