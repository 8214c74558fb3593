"""A job's resource layout: the job record (22.05's squeue --json, converted;
or 25.11's v0.0.44 passed through) and `scontrol -o show node`, recorded on
Slurm 22.05.8 into tests/data/slurm-22.05/resources/ by capture-issue3.sh."""

import json
import re
from pathlib import Path

import pytest

from server.convert import from_v0038, resources, scontrol_text
from tests.schemas import RECORDED_DIR, reference_as_meant, validate_response
from tests.fakes.current_slurm import headers
API = "/slurm/v0.0.44"

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "resources"
RECORDED = RECORDED_DIR / "slurm-25.11" / "0.0.44"


@pytest.fixture(scope="module")
def jobs() -> dict[str, dict]:
    doc = json.loads((DATA / "squeue-running-and-pending.json").read_text())
    converted = from_v0038.jobs(doc["jobs"], cr_type=["CORE", "MEMORY"])
    return {job["job_state"][0]: job for job in converted}


@pytest.fixture(scope="module")
def nodes() -> dict[str, dict]:
    return resources.node_layouts(scontrol_text.records((DATA / "scontrol-show-node.txt").read_text()))


def test_node_layouts_from_scontrol(nodes):
    assert nodes == {"n1": {"sockets": 2, "cores_per_socket": 1}, "n2": {"sockets": 2, "cores_per_socket": 1}}


def test_layout_of_a_running_two_node_job(jobs, nodes):
    layout = resources.layout(jobs["RUNNING"], nodes)
    assert layout == [
        {"node": "n1", "sockets_per_node": 2, "cores_per_socket": 1, "mem_alloc": 200, "core_bitmap": "0-1",
         "gres": []},
        {"node": "n2", "sockets_per_node": 2, "cores_per_socket": 1, "mem_alloc": 100, "core_bitmap": "0",
         "gres": []},
    ]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/resources/{{job_id}}",
                      {"nodes": layout, "meta": {}, "errors": [], "warnings": []})


def test_core_bitmap_agrees_with_scontrol_cpu_ids(jobs, nodes):
    # One thread a core on these nodes: scontrol -d's CPU_IDs are the cores.
    printed = {}
    for line in (DATA / "scontrol-d-show-job-node-lines.txt").read_text().splitlines():
        match = re.match(r"Nodes=(\S+) CPU_IDs=(\S*) Mem=(\d+)", line)
        printed[match.group(1)] = (match.group(2), int(match.group(3)))
    layout = {n["node"]: (n["core_bitmap"], n["mem_alloc"]) for n in resources.layout(jobs["RUNNING"], nodes)}
    assert layout == printed


def test_a_pending_job_holds_nothing(jobs, nodes):
    assert resources.layout(jobs["PENDING"], nodes) == []


def test_unknown_node_layout_leaves_out_the_core_bitmap(jobs):
    [n1, n2] = resources.layout(jobs["RUNNING"], {})
    assert n1 == {"node": "n1", "mem_alloc": 200, "gres": []}


@pytest.mark.parametrize("indexes, text", [
    ([], ""), ([3], "3"), ([0, 1, 2, 5], "0-2,5"), ([7, 1, 2, 9, 8], "1-2,7-9"),
])
def test_bit_fmt(indexes, text):
    assert resources.bit_fmt(indexes) == text


@pytest.mark.parametrize("detail, parsed", [
    ("gpu:h100:4(IDX:0-3)", [{"name": "gpu", "type": "h100", "count": 4, "index": "0-3"}]),
    ("gpu:2(IDX:0,2),craynetwork:4", [{"name": "gpu", "count": 2, "index": "0,2"},
                                       {"name": "craynetwork", "count": 4}]),
    ("", []),
    ("(null)", []),
])
def test_gres_detail(detail, parsed):
    assert resources.gres(detail) == parsed


NODE_LINE = ("NodeName={name} Arch=x86_64 CoresPerSocket=16  CPUAlloc=1 CPUEfctv=32 CPUTot=32 "
             "Gres=gpu:h100:4 RealMemory=100000 Sockets=2 Boards=1 State=MIXED ThreadsPerCore=1\n")


def test_layout_passes_through_a_v0044_job(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = json.loads((RECORDED / "slurm-job-gpus-multi-nodes.json").read_text())
    (folder / "squeue.json").write_text(json.dumps(original))
    (folder / "scontrol.txt").write_text(NODE_LINE.format(name="gpu1") + NODE_LINE.format(name="gpu2"))
    job_id = original["jobs"][0]["job_id"]
    response = client.get(f"{API}/resources/{job_id}", headers=headers())
    assert response.status_code == 200, response.text
    answer = response.json()
    gres = [{"name": "gpu", "type": "h100", "count": 4, "index": "0-3"}]
    assert answer["nodes"] == [
        {"node": "gpu1", "sockets_per_node": 2, "cores_per_socket": 16, "mem_alloc": 512, "core_bitmap": "0",
         "gres": gres},
        {"node": "gpu2", "sockets_per_node": 2, "cores_per_socket": 16, "mem_alloc": 512, "core_bitmap": "0",
         "gres": gres},
    ]
    assert (folder / "scontrol.argv").read_text().split("\n") == ["-o", "show", "node", "--", "gpu1,gpu2"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/resources/{{job_id}}", answer)


def test_every_core_listed_only_allocated_ones_count(fake_slurm):  # noqa: F811
    # 25.11 lists every core with its status; only core 13 of socket 0 is allocated.
    folder, client = fake_slurm
    original = json.loads((RECORDED / "slurm-job-running.json").read_text())
    (folder / "squeue.json").write_text(json.dumps(original))
    (folder / "scontrol.txt").write_text(NODE_LINE.format(name="cn1").replace("=16", "=32"))
    answer = client.get(f"{API}/resources/{original['jobs'][0]['job_id']}", headers=headers()).json()
    assert [(n["node"], n["core_bitmap"]) for n in answer["nodes"]] == [("cn1", "13")]


def test_job_not_found(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    (folder / "squeue.json").write_text((RECORDED / "slurm-jobs.json").read_text())
    response = client.get(f"{API}/resources/99999999", headers=headers())
    assert response.status_code == 404
    [error] = response.json()["errors"]
    assert error["error_number"] == 2017 and "99999999" in error["description"]
    assert response.json()["nodes"] == []


def test_job_id_that_is_not_one(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    response = client.get(f"{API}/resources/12.batch", headers=headers())
    assert response.status_code == 400
    assert not (folder / "squeue.argv").exists()
