"""Every API version from the internal form (v0.0.44): a version Slurm
prints is passed through, any other is converted by server/versions.py from
what it does print, and each answer validates against that version's
description (ours, and SchedMD's as meant)."""

import copy
import json

import pytest

from server.specs import Specs, available_versions
from server.versions import Converter
from tests.fakes.current_slurm import RECORDED, headers, recorded
from tests.schemas import load_spec, ours_path, reference_as_meant, validate_response

OTHERS = [v for v in available_versions() if v != "v0.0.44"]


def job_list() -> dict:
    return recorded("slurm-jobs.json")


def convert(version: str, body: dict, template: str):
    warnings = []
    spec = load_spec(ours_path(version))
    schema = spec["paths"][template.format(v=version)]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    return Converter(version, spec, warnings.append).answer(copy.deepcopy(body), schema), warnings


def test_every_version_is_loaded():
    assert available_versions() == [f"v0.0.{n}" for n in range(40, 46)]


def test_v0040_jobs_have_their_own_job_resources():
    body = job_list()
    running = next(j for j in body["jobs"] if j.get("job_resources"))
    converted, _ = convert("v0.0.40", {"jobs": [running]}, "/slurm/{v}/jobs/")
    resources = converted["jobs"][0]["job_resources"]
    assert resources["nodes"] == running["job_resources"]["nodes"]["list"]
    assert resources["allocated_cpus"] == running["job_resources"]["cpus"]
    assert resources["allocated_hosts"] == running["job_resources"]["nodes"]["count"]
    assert resources["allocated_nodes"] == running["job_resources"]["nodes"]["allocation"]


def test_a_flag_the_version_does_not_name_is_left_out_with_a_warning():
    node = {"name": "n1", "state": ["IDLE", "BLOCKED"]}
    converted, warnings = convert("v0.0.43", {"nodes": [node], "last_update": {"set": True, "infinite": False,
                                                                                "number": 1}},
                                  "/slurm/{v}/nodes/")
    assert converted["nodes"][0]["state"] == ["IDLE"]
    assert any("BLOCKED" in w for w in warnings)
    converted, warnings = convert("v0.0.44", {"nodes": [node]}, "/slurm/{v}/nodes/")
    assert converted["nodes"][0]["state"] == ["IDLE", "BLOCKED"] and not warnings


def test_a_field_the_version_lacks_is_left_out():
    job = {"job_id": 1, "submit_line": "sbatch x", "name": "x"}
    converted, _ = convert("v0.0.43", {"jobs": [job]}, "/slurm/{v}/jobs/")
    assert converted["jobs"][0] == {"job_id": 1, "name": "x"}


def test_a_required_field_that_cannot_be_supplied_is_unset_with_a_warning():
    converted, warnings = convert("v0.0.44", {"nodes": []}, "/slurm/{v}/nodes/")
    assert "last_update" not in converted and not warnings  # not required in ours
    converted, warnings = convert("v0.0.40", {"jobs": []}, "/slurm/{v}/jobs/")
    unset = {"set": False, "infinite": False, "number": 0}
    assert converted == {"jobs": [], "last_backfill": unset, "last_update": unset}
    assert sorted(warnings) == [f"{name} cannot be supplied by this Slurm for v0.0.40; it is unset"
                                for name in ("last_backfill", "last_update")]


def test_numbers_and_no_val_structs_follow_the_version():
    spec = {"components": {"schemas": {
        "v9_s": {"type": "object", "properties": {
            "plain": {"type": "integer"},
            "struct": {"type": "object", "properties": {"set": {"type": "boolean"},
                                                        "infinite": {"type": "boolean"},
                                                        "number": {"type": "integer"}}}}}}}}
    converter = Converter("v9", spec, lambda w: None)
    schema = {"$ref": "#/components/schemas/v9_s"}
    assert converter.answer({"plain": {"set": True, "infinite": False, "number": 5}, "struct": 7}, schema) == \
        {"plain": 5, "struct": {"set": True, "infinite": False, "number": 7}}
    assert converter.answer({"plain": {"set": False, "infinite": False, "number": 0}}, schema) == {}


def test_request_bodies_are_moved_back():
    spec = load_spec(ours_path("v0.0.40"))
    job = {"job_resources": {"nodes": "n[1-2]", "allocated_cpus": 2}, "minimum_switches": 1}
    schema = {"$ref": "#/components/schemas/v0.0.40_job_info"}
    back = Converter("v0.0.40", spec, lambda w: None).body(job, schema)
    assert back == {"job_resources": {"nodes": {"list": "n[1-2]"}, "cpus": 2}, "required_switches": 1}


# -- through the app, on the fake 25.11 (prints v0.0.41 to v0.0.44) -----------------------------


@pytest.mark.parametrize("version", available_versions())
def test_jobs_of_every_version(fake_slurm, version):
    folder, client = fake_slurm
    (folder / "squeue.json").write_text(json.dumps(job_list()))
    response = client.get(f"/slurm/{version}/jobs", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    asked = (folder / "squeue.argv").read_text().split("\n")[0]
    # a version the fake (Slurm 25.11) does not print: from the nearest it prints
    printed = {"v0.0.40": "v0.0.41", "v0.0.45": "v0.0.44"}.get(version, version)
    assert asked == f"--json={printed}"
    assert body["meta"]["plugin"]["data_parser"] == f"data_parser/{version}"
    assert [j["job_id"] for j in body["jobs"]] == [j["job_id"] for j in job_list()["jobs"]]
    template = f"/slurm/{version}/jobs/"
    validate_response(load_spec(ours_path(version)), "get", template, body)
    validate_response(reference_as_meant(version), "get", template, body)


@pytest.mark.parametrize("version", ["v0.0.40", "v0.0.45"])
def test_nodes_of_a_version_slurm_does_not_print(fake_slurm, version):
    folder, client = fake_slurm
    (folder / "scontrol.json").write_text(json.dumps(recorded("slurm-nodes.json")))
    response = client.get(f"/slurm/{version}/nodes/", headers=headers())
    assert response.status_code == 200, response.text
    nearest = {"v0.0.40": "v0.0.41", "v0.0.45": "v0.0.44"}[version]
    assert f"--json={nearest}" in (folder / "scontrol.argv").read_text().split("\n")
    body = response.json()
    assert [n["name"] for n in body["nodes"]] == [n["name"] for n in recorded("slurm-nodes.json")["nodes"]]
    template = f"/slurm/{version}/nodes/"
    validate_response(load_spec(ours_path(version)), "get", template, body)
    validate_response(reference_as_meant(version), "get", template, body)


def test_old_query_parameter_names_reach_the_handler(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacctmgr.json").write_text(json.dumps({"qos": [], "errors": [], "warnings": []}))
    response = client.get("/slurmdb/v0.0.40/qos/?with_deleted=true", headers=headers())
    assert response.status_code == 200, response.text
    assert "--json=v0.0.41" in (folder / "sacctmgr.argv").read_text().split("\n")  # the nearest printed
    assert "withdeleted" in (folder / "sacctmgr.argv").read_text().lower()


def test_a_value_shaped_otherwise_is_left_out_with_a_warning():
    converted, warnings = convert("v0.0.45", {"partitions": [{"name": "p", "cpus": {"total": [4]}}],
                                              "last_update": {"set": True, "infinite": False, "number": 1}},
                                  "/slurm/{v}/partitions/")
    assert converted["partitions"][0] == {"name": "p", "cpus": {}}
    assert warnings == ["partitions[].cpus.total is shaped otherwise in v0.0.45; it is left out"]


def test_a_required_string_that_cannot_be_supplied_is_empty_with_a_warning():
    ping = {"hostname": "db", "responding": True, "latency": 5, "primary": True}
    converted, warnings = convert("v0.0.45", {"pings": [ping]}, "/slurmdb/{v}/ping/")
    assert converted["pings"][0] == {**ping, "status": ""}
    assert warnings == ["pings[].status cannot be supplied by this Slurm for v0.0.45; it is unset"]


def test_v0040_association_id_is_made_of_its_neighbours():
    association = {"account": "a", "cluster": "c", "user": "u", "id": 7}
    converted, _ = convert("v0.0.40", {"associations": [association]}, "/slurmdb/{v}/associations/")
    assert converted["associations"][0]["id"] == {"id": 7, "account": "a", "cluster": "c", "user": "u"}
    validate_response(load_spec(ours_path("v0.0.40")), "get", "/slurmdb/v0.0.40/associations/",
                      {**converted, "meta": {}, "errors": [], "warnings": []})


def test_the_combined_description_has_every_version():
    combined = Specs(available_versions()).combined()
    for version in available_versions():
        own = load_spec(ours_path(version))
        assert set(own["paths"]) <= set(combined["paths"]), version
        assert set(own["components"]["schemas"]) <= set(combined["components"]["schemas"]), version


def test_v0040_association_id_in_a_request_is_its_number_again():
    spec = load_spec(ours_path("v0.0.40"))
    body = {"associations": [{"account": "a", "user": "u", "id": {"id": 7, "account": "a", "user": "u"}}]}
    schema = {"$ref": "#/components/schemas/v0.0.40_openapi_assocs_resp"}
    back = Converter("v0.0.40", spec, lambda w: None).body(body, schema)
    assert back == {"associations": [{"account": "a", "user": "u", "id": 7}]}


def test_descriptions_are_served_with_every_version(fake_slurm):
    import yaml

    _, client = fake_slurm
    documents = [client.get("/openapi.json").json(), client.get("/openapi/v3").json(),
                 yaml.load(client.get("/openapi.yaml").text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))]
    assert documents[0] == documents[1] == documents[2]
    for version in available_versions():
        assert f"/slurm/{version}/ping/" in documents[0]["paths"]


def test_a_version_slurm_does_not_print_comes_from_the_nearest_it_prints():
    from server.versions import INTERNAL, nearest
    current = {"v0.0.41", "v0.0.42", "v0.0.43", "v0.0.44"}.__contains__  # Slurm 25.11
    assert nearest("v0.0.40", current) == "v0.0.41"
    assert nearest("v0.0.42", current) == "v0.0.42"
    assert nearest("v0.0.45", current) == "v0.0.44"
    assert nearest("v0.0.40", lambda version: False) == INTERNAL  # Slurm 22.05 prints none
    assert nearest("v0.0.42", {"v0.0.41", "v0.0.43"}.__contains__) == "v0.0.43"  # the newer on a tie


def test_v0045_partitions_name_binding_select_type_and_oversubscribe():
    partition = {"name": "p", "cpus": {"task_binding": 0x4 | 0x1, "total": 4},
                 "select_type": ["CORE", "MEMORY", "LINEAR"],
                 "maximums": {"oversubscribe": {"jobs": 4, "flags": ["force"]}},
                 "partition": {"state": ["UP"]}}
    converted, warnings = convert("v0.0.45", {"partitions": [partition]}, "/slurm/{v}/partitions/")
    [made] = converted["partitions"]
    assert made["cpus"]["task_binding"] == ["CPU_BIND_TO_CORES", "VERBOSE"]
    assert made["select_type"] == ["CR_CORE_MEMORY"]
    assert made["partition"] == {"state": ["UP"], "oversubscribe": "FORCE:4"}
    assert made["maximums"]["oversubscribe"] == {"jobs": 4, "flags": ["force"]}  # kept, deprecated
    assert any("LINEAR" in w for w in warnings)  # no v0.0.45 name: left out, said
    validate_response(load_spec(ours_path("v0.0.45")), "get", "/slurm/v0.0.45/partitions/",
                      {**converted, "meta": {}, "errors": [], "warnings": []})


@pytest.mark.parametrize("jobs,force,word", [(0, False, "EXCLUSIVE"), (1, False, "NO"),
                                             (4, False, "YES:4"), (2, True, "FORCE:2")])
def test_v0045_oversubscribe_as_scontrol_writes_it(jobs, force, word):
    partition = {"name": "p", "maximums": {"oversubscribe": {"jobs": jobs, "flags": ["force"] if force else []}}}
    converted, _ = convert("v0.0.45", {"partitions": [partition]}, "/slurm/{v}/partitions/")
    assert converted["partitions"][0]["partition"]["oversubscribe"] == word


def test_v0040_rollups_are_a_list_by_period():
    rollups = {period: {"count": n, "last_run": 100 * n, "duration": {"last": 1, "max": 7 * n, "time": 10 * n}}
               for n, period in enumerate(("hourly", "daily", "monthly"), start=1)}
    converted, warnings = convert("v0.0.40", {"statistics": {"rollups": rollups}}, "/slurmdb/{v}/diag/")
    assert converted["statistics"]["rollups"] == [
        {"last run": 100 * n, "max_cycle": 7 * n, "total_time": 10 * n, "total_cycles": n, "mean_cycles": 10}
        for n in (1, 2, 3)]
    assert any("rollups[].type" in w for w in warnings)


def submit_body(version: str, body: dict):
    spec = load_spec(ours_path(version))
    schema = spec["paths"][f"/slurm/{version}/job/submit"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    return Converter(version, spec, lambda text: None).body(body, schema)


@pytest.mark.parametrize("version", ["v0.0.40", "v0.0.41"])
def test_old_exclusive_and_oversubscribe_become_shared(version):
    made = submit_body(version, {"script": "x", "jobs": [
        {"exclusive": ["user"], "oversubscribe": False},
        {"exclusive": ["true"], "shared": ["mcs"]},
        {"exclusive": ["false"], "oversubscribe": True},
        {"exclusive": ["sometimes"]}]})
    assert made["jobs"] == [{"shared": ["user"]}, {"shared": ["mcs", "none"]}, {"shared": ["oversubscribe"]},
                            {"exclusive": ["sometimes"]}]  # left for the handler to refuse by name


def test_v0040_plane_size_becomes_a_no_val_struct():
    made = submit_body("v0.0.40", {"script": "x", "job": {"distribution_plane_size": 4}})
    assert made["job"]["distribution_plane_size"] == {"set": True, "infinite": False, "number": 4}
    assert submit_body("v0.0.44", {"script": "x", "job": {"distribution_plane_size": 4}})["job"][
        "distribution_plane_size"] == 4  # the internal form is not converted
