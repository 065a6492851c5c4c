"""The plan's record (``publish/plan_record.py``): an unchanged rebuild finds its reports
without parsing YAML; any change, damage or foreign record means the files are read again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gnvtools.publish.build import build
from gnvtools.publish.build_plan import Job, _read_jobs, plan
from gnvtools.publish.plan_record import PLAN_NAME, write_record

PARAMS = Path(__file__).resolve().parent.parent / "parameters"


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    params = tmp_path / "parameters"
    shutil.copytree(PARAMS / "stockholm", params / "stockholm")
    return params, tmp_path / "outputs"


def _fresh(params: Path, out: Path) -> list[Job]:
    files = sorted(p for p in params.rglob("*.yaml") if "data" not in p.relative_to(params).parts)
    return _read_jobs(files, params, out)


def test_an_unchanged_plan_is_read_from_its_record_without_a_yaml_parser(tmp_path: Path) -> None:
    params, out = _folders(tmp_path)
    jobs, record = plan(params, out)
    assert record is not None and len(jobs) == 5
    out.mkdir()
    write_record(out, record)
    seen = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from pathlib import Path
                from gnvtools.publish.build_plan import plan
                jobs, record = plan(Path({str(params)!r}), Path({str(out)!r}))
                print(record is None, "yaml" in sys.modules)
                print([(j.report, str(j.params), str(j.out_dir), j.label) for j in jobs])
                """
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert seen[0] == "True False"
    assert seen[1] == str([(j.report, str(j.params), str(j.out_dir), j.label) for j in jobs])


def test_a_changed_parameter_file_is_read_again(tmp_path: Path) -> None:
    params, out = _folders(tmp_path)
    out.mkdir()
    write_record(out, plan(params, out)[1] or {})
    year = params / "stockholm" / "2025.yaml"
    text = year.read_text(encoding="utf-8")
    assert "reports: [allocation-memo, year-end-followup]" in text
    text = text.replace(
        "reports: [allocation-memo, year-end-followup]", "reports: [allocation-memo]"
    )
    year.write_text(text, encoding="utf-8")
    jobs, record = plan(params, out)
    assert record is not None  # read again, and a new record to write
    assert jobs == _fresh(params, out)
    assert [j.report for j in jobs if j.params == year] == ["allocation-memo"]


def _tamper(record: dict, out: Path) -> list:  # type: ignore[type-arg]
    """Damaged, foreign or hostile records, each written in turn by the caller."""
    first = record["jobs"][0]
    return [
        b"\x00not json",
        b"[]",
        json.dumps({**record, "jobs": [{**first, "folder": "../../elsewhere"}]}).encode(),
        json.dumps({**record, "jobs": [{**first, "folder": "/tmp/elsewhere"}]}).encode(),
        json.dumps({**record, "jobs": [{**first, "params": "../other.yaml"}]}).encode(),
        json.dumps({**record, "jobs": [{**first, "report": 3}]}).encode(),
        json.dumps({**record, "params_root": str(out)}).encode(),
        json.dumps({**record, "code": "0" * 64}).encode(),
        json.dumps({**record, "version": 0}).encode(),
        json.dumps({**record, "files": record["files"][:-1]}).encode(),
        b" " * 1_000_001,
    ]


def test_a_damaged_foreign_or_hostile_record_is_not_used(tmp_path: Path) -> None:
    params, out = _folders(tmp_path)
    out.mkdir()
    _, record = plan(params, out)
    assert record is not None
    expected = _fresh(params, out)
    for data in _tamper(record, out):
        (out / PLAN_NAME).write_bytes(data)
        jobs, again = plan(params, out)
        assert jobs == expected and again is not None, data[:80]
        assert all(j.out_dir.is_relative_to(out) for j in jobs)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_record_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    params, out = _folders(tmp_path)
    out.mkdir()
    _, record = plan(params, out)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps(record))
    (out / PLAN_NAME).symlink_to(elsewhere)
    assert plan(params, out)[1] is not None


def test_no_record_while_a_parameter_file_cannot_be_read(tmp_path: Path) -> None:
    params, out = _folders(tmp_path)
    (params / "stockholm" / "trasig.yaml").write_text("pots: [\n", encoding="utf-8")
    jobs, record = plan(params, out)
    assert record is None and any(j.error for j in jobs)


def test_a_build_records_its_plan(tmp_path: Path) -> None:
    """A parameters folder with only a helper file: nothing to build, the plan recorded."""
    params, out = tmp_path / "parameters", tmp_path / "outputs"
    params.mkdir()
    (params / "hjälp.yaml").write_text("namn: inget att bygga\n", encoding="utf-8")
    results, _ = build(params, out, ["html"], progress=False)
    assert results == []
    record = json.loads((out / PLAN_NAME).read_text(encoding="utf-8"))
    assert record["files"][0][0] == "hjälp.yaml" and record["jobs"] == []
    assert plan(params, out) == ([], None)
