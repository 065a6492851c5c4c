"""verify treats a folder or a bundle as data from a party the auditor need not trust.

Each test hands verify something hostile and checks that nothing from it runs (a marker file is
never written), nothing grows without bound, nothing outside is read, and the answer is a
Swedish line with a non-zero exit.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from gnvtools.publish.safezip import bounded_inflate, safe_name

from .conftest import PARAMS, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]

MEMO = "rapporter/allocation-memo.manifest.json"


@pytest.fixture(scope="module")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jämtland's memo, built and bundled; the project itself is removed afterwards."""
    from gnvtools.cli import main

    project = tmp_path_factory.mktemp("project")
    shutil.copytree(PARAMS / "jamtland", project / "parameters/jamtland")
    out = project / "outputs"
    params = project / "parameters/jamtland/2025.yaml"
    assert main(["render", "allocation-memo", str(params), "--to", "html", "--out", str(out)]) == 0
    target = tmp_path_factory.mktemp("bundle") / "jamtland.zip"
    assert main(["bundle", str(out), "--out", str(target)]) == 0
    shutil.rmtree(project)
    return target


def _rewrite(source: Path, target: Path, **changes: bytes | None) -> Path:
    """A copy of the bundle with entries replaced, added (bytes) or removed (None)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        names = zin.namelist()
        for name in names:
            if name in changes:
                continue
            z.writestr(name, zin.read(name))
        for name, data in changes.items():
            if data is not None:
                z.writestr(name, data)
    return target


def _manifest(bundle: Path) -> dict:
    return json.loads(zipfile.ZipFile(bundle).read(MEMO))


def _edit_manifest(bundle: Path, target: Path, edit) -> Path:
    manifest = _manifest(bundle)
    edit(manifest)
    return _rewrite(bundle, target, **{MEMO: json.dumps(manifest).encode()})


def test_the_untouched_bundle_verifies_in_process(bundle_zip: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "verify", str(bundle_zip))
    assert code == 0, out
    assert "Alla siffror i en rapport återskapades." in out


def test_a_notebook_in_the_bundle_is_shown_never_run(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    marker = tmp_path / "marker"
    notebook = json.loads(
        (Path(__file__).parent.parent / "gnvtools/notebooks/allocation_memo.ipynb").read_text()
    )
    notebook["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": f"open({str(marker)!r}, 'w').write('ran')",
        }
    )
    hostile = _rewrite(
        bundle_zip,
        tmp_path / "notebook.zip",
        **{"underlag/notebooks/allocation_memo.ipynb": json.dumps(notebook).encode()},
    )
    for extra in ([], ["--full"]):
        code, out, _ = run_cli(capsys, "verify", str(hostile), *extra)
        assert code == 1, out
        assert not marker.exists()
        assert "anteckningsboken notebooks/allocation_memo.ipynb skiljer sig" in out
        assert "den körs inte" in out
        assert "write('ran')" in out  # the auditor sees the code that was not run


@pytest.mark.parametrize(
    "name",
    [
        "__import__('os').system('touch MARKER'); y",
        "x=open('MARKER','w')#",
        "params_file\n__import__('os')",
        "class",
        "not_declared",
    ],
)
def test_a_parameter_name_is_checked_before_anything_runs(
    bundle_zip: Path, tmp_path: Path, capsys, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    hostile = _edit_manifest(
        bundle_zip, tmp_path / "param.zip", lambda m: m["parameters"].update({name: "1"})
    )
    for extra in ([], ["--full"]):
        code, out, _ = run_cli(capsys, "verify", str(hostile), *extra)
        assert code == 1, out
        assert not (tmp_path / "MARKER").exists()
        assert "inget körs" in out
        assert "rapporten räknades inte om" in out


def test_a_parameter_of_the_wrong_type_is_refused(bundle_zip: Path, tmp_path: Path, capsys) -> None:
    hostile = _edit_manifest(
        bundle_zip, tmp_path / "type.zip", lambda m: m["parameters"].update(params_file=["x"])
    )
    code, out, _ = run_cli(capsys, "verify", str(hostile))
    assert code == 1
    assert 'parametern "params_file" har fel typ' in out


def test_a_manifest_that_names_the_machine_reads_nothing(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    def outside(manifest: dict) -> None:
        manifest["project"] = "/"
        manifest["inputs"].append({"path": "etc/passwd", "sha256": "0" * 64, "size": 1})

    code, out, _ = run_cli(
        capsys, "verify", str(_edit_manifest(bundle_zip, tmp_path / "r.zip", outside))
    )
    assert code == 1
    assert "root:" not in out
    assert "utanför paketet" in out


def test_a_manifest_in_a_folder_that_names_the_machine_reads_nothing(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    manifest = {
        "report": "allocation-memo",
        "project": "/",
        "params": {"path": "etc/passwd", "sha256": "0" * 64, "size": 1},
        "parameters": {"params_file": "etc/passwd"},
        "inputs": [
            {"path": "etc/passwd", "sha256": "0" * 64, "size": 1},
            {"path": "dev/zero", "sha256": "0" * 64, "size": 1},
        ],
        "outputs": [],
        "tables": [],
    }
    (folder / "a.manifest.json").write_text(json.dumps(manifest))
    code, out, _ = run_cli(capsys, "verify", str(folder))
    assert code == 1
    assert "root:" not in out
    assert "gnvtools-projekt" in out


def test_special_files_are_never_read(tmp_path: Path) -> None:
    """A FIFO as a manifest, and an input that is a FIFO inside a project: no hang, in verify
    and in a build that checks whether its outputs are current."""
    project = tmp_path / "p"
    shutil.copytree(PARAMS / "jamtland", project / "parameters/jamtland")
    out = project / "outputs/jamtland/2025"
    out.mkdir(parents=True)
    os.mkfifo(out / "x.manifest.json")
    os.mkfifo(project / "parameters/jamtland/fifo.csv")
    manifest = {
        "report": "allocation-memo",
        "project": "../../..",
        "params": {"path": "parameters/jamtland/2025.yaml", "sha256": "0" * 64, "size": 1},
        "inputs": [{"path": "parameters/jamtland/fifo.csv", "sha256": "0" * 64, "size": 1}],
        "outputs": [],
        "tables": [],
    }
    (out / "allocation-memo.manifest.json").write_text(json.dumps(manifest))
    gnv = [sys.executable, "-m", "gnvtools.cli"]
    verify = subprocess.run(
        [*gnv, "verify", str(project / "outputs")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=project,
    )
    assert verify.returncode in (1, 2), verify.stderr
    assert "Traceback" not in verify.stderr
    assert "är ingen vanlig fil" in verify.stdout + verify.stderr
    build = subprocess.run(
        [*gnv, "build", "--to", "html", "--out", str(project / "outputs"), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=project,
    )
    assert "Traceback" not in build.stderr


def _limit_memory() -> None:
    four_gb = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (four_gb, four_gb))


def test_a_decompression_bomb_in_a_manifest_is_bounded(bundle_zip: Path, tmp_path: Path) -> None:
    packer = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    bomb = b"".join(packer.compress(chunk) for _ in range(512)) + packer.flush()  # 512 MB
    encoded = base64.b64encode(bomb).decode()

    def swell(manifest: dict) -> None:
        manifest["inputs"][0]["content"] = encoded
        manifest["inputs"][0]["sha256"] = "0" * 64  # "changed": verify reads the content

    hostile = _edit_manifest(bundle_zip, tmp_path / "bomb.zip", swell)
    result = subprocess.run(
        [sys.executable, "-m", "gnvtools.cli", "verify", str(hostile)],
        capture_output=True,
        text=True,
        timeout=90,
        preexec_fn=_limit_memory,
        cwd=tmp_path,
    )
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr


def test_a_zip_bomb_entry_is_refused(bundle_zip: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "zipbomb.zip"
    shutil.copy(bundle_zip, target)
    block = bytes(1 << 20)
    with (
        zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("underlag/stor.csv", "w", force_zip64=True) as entry,
    ):
        for _ in range(300):
            entry.write(block)
    code, _, err = run_cli(capsys, "verify", str(target))
    assert code == 2
    assert "stor.csv" in err and ("gånger" in err or "större än" in err)


def test_a_zip_that_lies_about_a_size_is_a_swedish_error(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    data = bytearray(bundle_zip.read_bytes())
    with zipfile.ZipFile(bundle_zip) as archive:
        info = archive.getinfo("LÄSMIG.txt")
    # the central directory's uncompressed size (offset 24 in its record), made smaller
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while central != -1:
        length = int.from_bytes(data[central + 28 : central + 30], "little")
        filename = bytes(data[central + 46 : central + 46 + length])
        if filename.decode("utf-8", "replace") == "LÄSMIG.txt":
            data[central + 24 : central + 28] = (info.file_size // 2).to_bytes(4, "little")
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    assert central != -1
    target = tmp_path / "lying.zip"
    target.write_bytes(bytes(data))
    code, _, err = run_cli(capsys, "verify", str(target))
    assert code == 2, err
    assert "LÄSMIG.txt" in err
    assert "Traceback" not in err and "BadZipFile" not in err


@pytest.mark.parametrize(
    "name", ["../x", "/etc/x", "a/../../x", "C:/x", "a\\..\\x", "a/./b", "a//b", "x\x00y"]
)
def test_unsafe_names_are_refused(name: str) -> None:
    assert safe_name(name) is None


def test_a_link_in_a_bundle_is_refused(bundle_zip: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "link.zip"
    shutil.copy(bundle_zip, target)
    with zipfile.ZipFile(target, "a") as archive:
        info = zipfile.ZipInfo("underlag/länk")
        info.create_system = 3
        info.external_attr = (0o120777) << 16
        archive.writestr(info, "/etc/passwd")
    code, _, err = run_cli(capsys, "verify", str(target))
    assert code == 2
    assert "länk eller specialfil" in err


def test_bounded_inflate_stops_at_the_bound() -> None:
    assert bounded_inflate(zlib.compress(b"abc"), 10) == b"abc"
    assert bounded_inflate(zlib.compress(bytes(1000)), 999) is None
    assert bounded_inflate(b"not zlib", 10) is None


def test_the_rerun_command_is_shell_quoted(bundle_zip: Path) -> None:
    import shlex

    command = _manifest(bundle_zip)["command"]
    assert shlex.split(command)[:3] == ["gnv", "render", "allocation-memo"]


def test_a_manifest_without_a_catalogue_compares_its_tables(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    """Follow-up and multi-year manifests built before they had catalogues hold no figures."""
    older = _edit_manifest(bundle_zip, tmp_path / "old.zip", lambda m: m.update(figures=[]))
    code, out, _ = run_cli(capsys, "verify", str(older))
    assert "finns bara vid omkörningen" not in out
    assert "manifestet har ingen sifferkatalog" in out
    assert "Alla siffror i en rapport återskapades" in out
    assert code == 0


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.update(tables=[{"x": 1}]),
        lambda m: m.update(tables=[{"key": "t", "columns": ["a"], "rows": [[1, 2]]}]),
        lambda m: m.update(figures=[{"value": 1}]),
        lambda m: m.update(figures="alla"),
        lambda m: m.update(project="\u0000"),
        lambda m: m.update(project=["x"]),
        lambda m: m["inputs"].append({"path": "a\u0000b", "sha256": "0"}),
        lambda m: m["figures"][0].update(text=None, value=[1]),
        lambda m: m["figures"][0].update(name="\u001b]0;titel\u0007x"),
    ],
)
def test_a_malformed_manifest_is_a_swedish_line(
    bundle_zip: Path, tmp_path: Path, capsys, edit
) -> None:
    hostile = _edit_manifest(bundle_zip, tmp_path / "bad.zip", edit)
    code, out, err = run_cli(capsys, "verify", str(hostile))
    assert code in (1, 2), out + err
    assert "internt fel" not in err and "Traceback" not in err
    assert "\u001b" not in out and "\u0007" not in out


def test_control_characters_never_reach_the_terminal(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    def escape(manifest: dict) -> None:
        manifest["figures"][0]["label"] = "\u001b[31mröd\u001b[0m"
        manifest["figures"][0]["value"] = -1
        manifest["tables"][0]["key"] = "\u001b]0;titel\u0007"

    code, out, _ = run_cli(
        capsys, "verify", str(_edit_manifest(bundle_zip, tmp_path / "e.zip", escape))
    )
    assert code == 1
    assert "\u001b" not in out and "\u0007" not in out
    assert "U+001B" in out


def test_repeated_inputs_are_refused(bundle_zip: Path, tmp_path: Path, capsys) -> None:
    def repeat(manifest: dict) -> None:
        manifest["inputs"] = manifest["inputs"] * 50

    code, out, _ = run_cli(
        capsys, "verify", str(_edit_manifest(bundle_zip, tmp_path / "r.zip", repeat))
    )
    assert code == 1
    assert "samma underlag flera gånger" in out


def test_many_small_bombs_are_refused_by_the_whole_ratio(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "small.zip"
    shutil.copy(bundle_zip, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(200):
            archive.writestr(f"underlag/fyll/{number}.txt", bytes(900_000))
    code, _, err = run_cli(capsys, "verify", str(target))
    assert code == 2
    assert "gånger paketets storlek" in err


def test_a_name_that_is_both_file_and_folder_is_said_in_swedish(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "clash.zip"
    shutil.copy(bundle_zip, target)
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("underlag/x", b"a")
        archive.writestr("underlag/x/y", b"b")
    code, _, err = run_cli(capsys, "verify", str(target))
    assert code == 2
    assert "en del av sökvägen är en fil" in err or "används redan" in err
    assert "File exists" not in err and "Not a directory" not in err


def test_a_stopped_verify_removes_what_it_unpacked(bundle_zip: Path, tmp_path: Path) -> None:
    import signal
    import tempfile
    import time

    before = set(Path(tempfile.gettempdir()).glob("gnv-verify-*"))
    process = subprocess.Popen(
        [sys.executable, "-m", "gnvtools.cli", "verify", "--full", str(bundle_zip)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if set(Path(tempfile.gettempdir()).glob("gnv-verify-*")) - before:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode in (0, 1, 130), err
    assert "Traceback" not in err
    assert not set(Path(tempfile.gettempdir()).glob("gnv-verify-*")) - before


def test_one_damaged_manifest_does_not_stop_the_others(
    bundle_zip: Path, tmp_path: Path, capsys
) -> None:
    broken = _rewrite(
        bundle_zip, tmp_path / "two.zip", **{"rapporter/extra/x.manifest.json": b"[]"}
    )
    code, out, _ = run_cli(capsys, "verify", str(broken))
    assert code == 1
    assert "two.zip:rapporter/extra/x.manifest.json" in out and "inget JSON-objekt" in out
    assert "i en rapport av 2" in out  # the memo was still checked, and reproduced
