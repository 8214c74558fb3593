"""TRES: Slurm 22.05.8's `sacctmgr show tres` (recorded from the live
cluster) and TRES lists of limits, both ways."""

from pathlib import Path

import pytest

from server.convert.sacctmgr_text import rows
from server.convert.sacctmgr_values import FieldError
from server.convert.tres import TresTable, format_list, from_row, parse_count, parse_list
from server.slurm.commands.sacctmgr_tres import SacctmgrShowTres
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "tres"


def tres():
    command = SacctmgrShowTres()
    return [from_row(r) for r in rows((DATA / "show-tres.txt").read_text(),
                                      [key for key, _ in command.fields])]


def test_the_table_with_deleted_rows_as_slurmrestd_lists_it():
    assert SacctmgrShowTres().argv() == ["sacctmgr", "-n", "-P", "show", "tres", "withdeleted",
                                         "format=Type,Name,ID"]
    found = tres()
    assert found[0] == {"type": "cpu", "name": "", "id": 1, "count": 0}
    assert {"type": "fs", "name": "disk", "id": 6, "count": 0} in found
    assert found[-1] == {"type": "dynamic_offset", "name": "", "id": 1000, "count": 0}
    body = {"TRES": found, "meta": {}, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/tres/", body)


def test_counts_with_units():
    assert parse_count("4") == 4
    assert parse_count("1500M") == 1500 and parse_count("2G") == 2048 and parse_count("1T") == 1048576
    assert parse_count("1.5G") == 1536
    with pytest.raises(ValueError):
        parse_count("lots")


def test_lists_come_in_id_order_with_ids():
    table = TresTable(tres())
    text = "billing=6,cpu=6,energy=0,fs/disk=0,mem=3000M,node=3,pages=0,vmem=0"
    found = parse_list(text, table)
    assert [t["id"] for t in found] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert found[1] == {"type": "mem", "name": "", "id": 2, "count": 3000}
    assert parse_list("", table) == []
    # A TRES the table does not have keeps its type and name.
    assert parse_list("gres/gpu:tesla=2", table) == [{"type": "gres", "name": "gpu:tesla", "count": 2}]


def test_writing_a_list():
    table = TresTable(tres())
    assert format_list([{"type": "CPU", "count": 3}, {"type": "fs", "name": "disk", "count": -1}],
                       table, "f") == "cpu=3,fs/disk=-1"
    assert format_list([], table, "f") is None
    with pytest.raises(FieldError) as error:
        format_list("cpu=3", table, "limits.x")
    assert error.value.field == "limits.x"
    with pytest.raises(FieldError) as error:
        format_list([{"name": "x", "count": 1}], table, "limits.x")
    assert error.value.field == "limits.x[0].type"


def test_memory_names_slurmdbds_mem():
    # SchedMD's own tests and clients write "memory"; slurmdbd calls it mem
    table = TresTable(tres())
    assert format_list([{"type": "memory", "count": 2048}, {"type": "cpu", "count": 4}],
                       table, "f") == "mem=2048,cpu=4"
    with pytest.raises(FieldError) as error:
        format_list([{"type": "memory", "count": 1}, {"type": "mem", "count": 2}], table, "f")
    assert "given twice" in error.value.message
    with pytest.raises(FieldError):
        format_list([{"type": "memoryx", "count": 1}], table, "f")
