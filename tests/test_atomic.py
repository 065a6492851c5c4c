"""Atomic writes: after a failure or Ctrl-C the old file is intact and no temporary is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from gnvtools.publish.atomic import atomic_open, write_bytes, write_text


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_interrupted_write_keeps_the_old_file(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "rapport.html"
    target.write_text("gammal", encoding="utf-8")
    with pytest.raises(type(error)), atomic_open(target) as handle:
        handle.write("halv")
        raise error
    assert target.read_text(encoding="utf-8") == "gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]


def test_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.xlsx"
    write_bytes(target, b"\x00\x01")
    write_text(tmp_path / "c.txt", "åäö")
    assert target.read_bytes() == b"\x00\x01"
    assert (tmp_path / "c.txt").read_text(encoding="utf-8") == "åäö"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b.xlsx", "c.txt"]
