"""GET /licenses/ of v0.0.44 against the live cluster (Licenses=fluent:4,
matlab:2): what running jobs use and active reservations hold; every
response validated against SchedMD's description."""

import time
import uuid

from conftest import ADMIN, ALICE, API
from tests.schemas import reference_as_meant, validate_response

PATH = f"{API}/licenses/"


def licenses(api, auth, user=ALICE):
    response = api.get(PATH, headers=auth(user))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", PATH, body)
    return {item["LicenseName"]: item for item in body["licenses"]}


def scontrol_counts(cluster):
    found = {}
    for line in cluster.run("scontrol", "-o", "show", "licenses").stdout.splitlines():
        fields = dict(word.split("=", 1) for word in line.split())
        found[fields["LicenseName"]] = {k: int(fields[k]) for k in ("Total", "Used", "Free", "Reserved")}
    return found


def wait_for(cluster, job_id, state, seconds=60):
    for _ in range(seconds):
        if cluster.run("squeue", "-h", "-j", str(job_id), "-o", "%T", check=False).stdout.strip() == state:
            return True
        time.sleep(1)
    return False


def test_the_configured_licenses(api, auth, cluster):
    found = licenses(api, auth)
    assert found["fluent"]["Total"] == 4 and found["matlab"]["Total"] == 2
    for name, item in found.items():
        assert item["Remote"] is False
        assert item["Free"] == item["Total"] - item["Used"]
    assert set(found) == set(scontrol_counts(cluster))


def test_a_running_job_uses_a_license_and_gives_it_back(api, auth, cluster):
    job = cluster.submit("-J", "lic-live", "-L", "fluent:1", "--mem=50", "--time=5", "-o", "/dev/null",
                         "--wrap=sleep 300", user=ALICE)
    try:
        assert wait_for(cluster, job, "RUNNING"), "the license job did not start"
        found = licenses(api, auth)
        now = scontrol_counts(cluster)
        assert found["fluent"]["Used"] >= 1
        assert found["fluent"]["Used"] == now["fluent"]["Used"]
        assert found["fluent"]["Free"] == now["fluent"]["Free"]
    finally:
        cluster.cancel(job)
    for _ in range(30):
        if scontrol_counts(cluster)["fluent"]["Used"] == 0:
            break
        time.sleep(1)
    assert licenses(api, auth)["fluent"]["Used"] == scontrol_counts(cluster)["fluent"]["Used"]


def test_a_held_job_holds_no_license(api, auth, cluster):
    before = licenses(api, auth)["matlab"]["Used"]
    job = cluster.submit("--hold", "-L", "matlab:2", "--wrap=sleep 60", user=ALICE)
    try:
        assert licenses(api, auth)["matlab"]["Used"] == before == scontrol_counts(cluster)["matlab"]["Used"]
    finally:
        cluster.cancel(job)


def test_an_active_reservation_reserves_licenses(api, auth, cluster):
    name = f"t-resv-lic-{uuid.uuid4().hex[:8]}"
    cluster.run("scontrol", "create", "reservation", f"ReservationName={name}", "StartTime=now",
                "Duration=1", "Licenses=matlab:1", "Users=root", "Flags=LICENSE_ONLY")
    try:
        found = licenses(api, auth, ADMIN)
        assert found["matlab"]["Reserved"] >= 1
        assert found["matlab"]["Reserved"] == scontrol_counts(cluster)["matlab"]["Reserved"]
    finally:
        cluster.run("scontrol", "delete", f"ReservationName={name}", check=False)


def test_without_a_token(api):
    response = api.get(PATH)
    assert response.status_code == 401
    validate_response(reference_as_meant("v0.0.44"), "get", PATH, response.json(), status=401)
