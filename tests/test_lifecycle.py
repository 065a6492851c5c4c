"""A build's life and death: complete sets of files or none, one writer per outputs folder,
faults (full disk, read-only folder, killed worker, killed build) as Swedish messages.

Faults are injected where the operating system would raise them (``os.fsync``, ``os.replace``,
``SIGKILL``); everything else runs for real on the examples.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gnvtools.errors import RenderError
from gnvtools.publish import atomic
from gnvtools.publish.atomic import FileSet, folder_lock, journal_path, recover

from .conftest import PARAMS, run_cli

ROOT = Path(__file__).resolve().parent.parent
GNV = ROOT / ".venv" / "bin" / "gnv"
REPORT = "allocation-memo"


def _old_set(folder: Path) -> dict[str, bytes]:
    """An existing set of a report, as a previous build left it."""
    files = {
        f"{REPORT}.html": b"<p>gammal</p>",
        f"{REPORT}.pdf": b"%PDF gammal",
        f"{REPORT}.manifest.json": b'{"gammal": true}',
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


NEW = {
    f"{REPORT}.html": b"<p>ny</p>",
    f"{REPORT}.xlsx": b"PK ny",
    f"{REPORT}.manifest.json": b'{"ny": true}',
}


def _stage_new(files: FileSet) -> None:
    for name, data in NEW.items():
        files.stage(name, data)


# --- complete sets ----------------------------------------------------------------------------


def test_a_set_replaces_the_old_one_whole_and_drops_what_it_no_longer_has(tmp_path: Path) -> None:
    _old_set(tmp_path)
    with FileSet(tmp_path, REPORT) as files:
        _stage_new(files)
        files.commit(remove=[f"{REPORT}.pdf", f"{REPORT}.docx"])
    assert _contents(tmp_path) == NEW  # no old PDF beside the new HTML, no temporary, no journal


def test_a_build_killed_during_the_renames_is_finished_by_the_next(tmp_path: Path) -> None:
    """A real kill (SIGKILL) after the first of three renames; recover completes the set."""
    _old_set(tmp_path)
    pid = os.fork()
    if pid == 0:  # the build that is killed
        try:
            real = os.replace

            def replace(src: object, dst: object) -> None:
                if Path(str(dst)).name == f"{REPORT}.xlsx":  # the journal and HTML are in
                    os.kill(os.getpid(), signal.SIGKILL)
                real(src, dst)  # type: ignore[arg-type]

            os.replace = replace  # type: ignore[assignment]
            with FileSet(tmp_path, REPORT) as files:
                _stage_new(files)
                files.commit(remove=[f"{REPORT}.pdf"])
        finally:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    left = _contents(tmp_path)
    assert left[f"{REPORT}.html"] == NEW[f"{REPORT}.html"]  # half done: new HTML ...
    assert left[f"{REPORT}.pdf"] == b"%PDF gammal"  # ... beside the old PDF and manifest
    assert journal_path(tmp_path, REPORT).exists()

    assert recover(tmp_path, REPORT) == "finished"
    assert _contents(tmp_path) == NEW


def test_a_journal_whose_files_are_incomplete_is_rolled_back(tmp_path: Path) -> None:
    old = _old_set(tmp_path)
    with FileSet(tmp_path, REPORT) as files:
        _stage_new(files)
        with pytest.raises(KeyboardInterrupt):  # interrupted between journal and renames
            original = atomic._apply

            def interrupted(*args: object, **kwargs: object) -> None:
                raise KeyboardInterrupt

            atomic._apply = interrupted
            try:
                files.commit()
            finally:
                atomic._apply = original
        staged = list(files.staged.values())
    assert all(p.exists() for p in staged)  # the journal owns them: not discarded
    staged[1].write_bytes(b"trasig")  # one temporary is not what the journal recorded

    assert recover(tmp_path, REPORT) == "rolled back"
    assert _contents(tmp_path) == old  # nothing renamed, every temporary and the journal gone


def test_stale_temporaries_of_killed_writes_are_removed(tmp_path: Path) -> None:
    old = _old_set(tmp_path)
    for name in (f".{REPORT}.pdf.x1y2z3.tmp", f".{REPORT}.journal.json.abc.tmp"):
        (tmp_path / name).write_bytes(b"halv")
    (tmp_path / ".year-end-followup.pdf.q.tmp").write_bytes(b"en annan rapports")
    assert recover(tmp_path, REPORT) is None
    assert _contents(tmp_path) == {**old, ".year-end-followup.pdf.q.tmp": b"en annan rapports"}


@pytest.mark.parametrize(
    "journal",
    [
        {"set": REPORT, "files": [{"tmp": "../../x.tmp", "name": "../etc", "sha256": "0"}]},
        {"set": REPORT, "files": [], "remove": ["/etc/passwd"]},
        "inte json",
    ],
)
def test_a_planted_journal_touches_nothing_outside_the_set(
    tmp_path: Path, journal: str | dict[str, object]
) -> None:
    folder = tmp_path / "ut"
    old = _old_set(folder)
    (tmp_path / "x.tmp").write_bytes(b"utanfor")
    text = journal if isinstance(journal, str) else json.dumps({**journal, "remove": []})
    journal_path(folder, REPORT).write_text(text, encoding="utf-8")
    assert recover(folder, REPORT) == "rolled back"
    assert _contents(folder) == old
    assert (tmp_path / "x.tmp").read_bytes() == b"utanfor"


# --- a report's set through render and build --------------------------------------------------


@pytest.fixture
def jamtland(tmp_path: Path) -> Path:
    """A project with one report (Jämtland's allocation memo); returns its parameters folder."""
    params = tmp_path / "parameters"
    shutil.copytree(PARAMS / "jamtland", params / "jamtland")
    return params


def _build(
    capsys: pytest.CaptureFixture[str], params: Path, out: Path, *extra: str
) -> tuple[int, str, str]:
    return run_cli(capsys, "build", "--params", str(params), "--out", str(out), "--quiet", *extra)


def test_a_format_not_produced_again_is_removed_with_the_old_set(
    jamtland: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "outputs"
    code, out_text, _ = _build(capsys, jamtland, out, "--to", "html,ipynb,xlsx")
    assert code == 0, out_text
    folder = out / "jamtland/2025"
    notebook = json.loads((folder / f"{REPORT}.ipynb").read_text(encoding="utf-8"))
    # No absolute path of this machine in the executed notebook (it goes into the bundle).
    recorded = notebook["metadata"]["papermill"]
    assert recorded["input_path"] == "gnvtools/notebooks/allocation_memo.ipynb"
    assert recorded["output_path"] == f"{REPORT}.ipynb"
    assert str(tmp_path) not in json.dumps(notebook["metadata"])

    (folder / f".{REPORT}.pdf.k1ll3d.tmp").write_bytes(b"halv")  # a killed build's leftover
    code, out_text, _ = _build(capsys, jamtland, out, "--to", "html")
    assert code == 0, out_text
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{REPORT}.html", f"{REPORT}.manifest.json"]
    manifest = json.loads((folder / f"{REPORT}.manifest.json").read_text(encoding="utf-8"))
    assert [o["path"] for o in manifest["outputs"]] == [f"{REPORT}.html"]


def _first_build(capsys: pytest.CaptureFixture[str], jamtland: Path, out: Path) -> dict[str, bytes]:
    code, text, _ = _build(capsys, jamtland, out, "--to", "html,xlsx")
    assert code == 0, text
    return _contents(out / "jamtland/2025")


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("full disk", "disken är full (inget utrymme kvar)"),
        ("read-only folder", "mappen ligger på ett skrivskyddat filsystem"),
    ],
)
def test_a_full_disk_or_read_only_folder_leaves_the_old_set(
    jamtland: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    expected: str,
) -> None:
    """Tests run as root, whom permissions do not stop: the system call fails instead."""
    out = tmp_path / "outputs"
    before = _first_build(capsys, jamtland, out)
    calls: list[object] = []
    if fault == "full disk":  # the second file of the set does not fit
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            calls.append(fd)
            if len(calls) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    else:  # the first rename into the folder is refused

        def replace(src: object, dst: object) -> None:
            calls.append(dst)
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(os, "replace", replace)
    code, text, err = _build(capsys, jamtland, out, "--to", "html,xlsx", "--force")
    monkeypatch.undo()
    assert calls
    assert code == 1
    assert "internt fel" not in text + err and "OSError" not in text + err
    assert f"rapporten {REPORT} kunde inte skrivas: {expected}; inga filer ändrades" in text
    assert "0 klara, 0 oförändrade, 1 misslyckade." in text  # the summary is still printed
    assert _contents(out / "jamtland/2025") == before  # the old set, untouched and whole


# --- one writer per outputs folder --------------------------------------------------------------


def test_a_second_build_into_the_same_folder_is_refused(
    jamtland: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "outputs"
    with folder_lock(out):  # a build in progress
        code, _, err = _build(capsys, jamtland, out, "--to", "html")
        assert code == 1
        assert "en annan gnv build eller gnv render skriver redan i utmappen" in err
        assert f"(process {os.getpid()})" in err and "Traceback" not in err
        params = jamtland / "jamtland/2025.yaml"
        code, _, err = run_cli(
            capsys, "render", REPORT, str(params), "--out", str(out / "jamtland/2025")
        )
        assert code == 1, err
        assert "skriver redan i en mapp som utmappen ligger i" in err and str(out) in err
    assert not (out / "jamtland").exists()  # nothing was written by either


def test_the_lock_of_a_killed_build_is_free_again(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from gnvtools.publish.atomic import folder_lock\n"
            "with folder_lock(Path(sys.argv[1])):\n print('ja', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"ja\n"
    with pytest.raises(RenderError, match="skriver redan"), folder_lock(tmp_path):
        pass
    holder.kill()
    holder.wait()
    with folder_lock(tmp_path):
        pass


# --- killed processes -------------------------------------------------------------------------


def _two_reports(jamtland: Path) -> None:
    shutil.copytree(jamtland / "jamtland", jamtland / "kopia")


@pytest.mark.parametrize("kills", [1, 99])
def test_a_killed_worker_is_a_message_and_the_others_are_built(
    jamtland: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kills: int,
) -> None:
    """The worker running kopia's report is killed (once: it is run again and succeeds; every
    time: it fails alone, in Swedish); jamtland's report is built either way."""
    import gnvtools.publish.render as render_module

    _two_reports(jamtland)
    real = render_module.render
    counter = tmp_path / "dödade"

    def killing(report: str, params: Path, *args: object, **kwargs: object) -> object:
        if "kopia" in str(params):
            killed = len(counter.read_text()) if counter.exists() else 0
            if killed < kills:
                counter.write_text("x" * (killed + 1))
                os.kill(os.getpid(), signal.SIGKILL)
        return real(report, params, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "render", killing)  # the workers are forked: they see it
    out = tmp_path / "outputs"
    code, text, err = _build(capsys, jamtland, out, "--to", "html", "--workers", "2")
    assert "internt fel" not in text + err and "BrokenProcessPool" not in text + err
    lines = {line.split()[1]: line for line in text.splitlines() if line.startswith(REPORT)}
    assert "klar" in lines["jamtland/2025"]
    assert (out / "jamtland/2025" / f"{REPORT}.html").exists()
    if kills == 1:
        assert code == 0, text
        assert "klar" in lines["kopia/2025"]
        assert "2 klara, 0 oförändrade, 0 misslyckade." in text
    else:
        assert code == 1
        assert "misslyckades" in lines["kopia/2025"]
        assert "arbetsprocessen som körde rapporten avslutades oväntat" in lines["kopia/2025"]
        assert "1 klara, 0 oförändrade, 1 misslyckade." in text
        assert not (out / "kopia").exists() or not any((out / "kopia").rglob("*.*"))
    # no temporary, no journal: only the lock and the plan's record
    assert not [p for p in out.rglob(".*") if p.name not in (".gnv.lock", ".gnv-plan.json")]


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent, state, start time) of a live process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every live descendant of ``root``: pid → start time (to tell a reused pid apart)."""
    found: dict[int, int] = {}
    parents = {root}
    changed = True
    while changed:
        changed = False
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in found:
                continue
            info = _stat(int(entry.name))
            if info and info[0] in parents:
                found[int(entry.name)] = info[2]
                parents.add(int(entry.name))
                changed = True
    return found


def _alive(processes: dict[int, int]) -> list[int]:
    left = []
    for pid, start in processes.items():
        info = _stat(pid)
        if info and info[2] == start and info[1] != "Z":
            left.append(pid)
    return left


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != sid:
                continue
        except OSError:
            continue
        info = _stat(int(entry.name))
        if info and info[1] != "Z":
            found.append(int(entry.name))
    return found


def _snapshot(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (".gnv.lock", ".gnv-plan.json")
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("workers", [2, 1])
def test_kill_9_of_a_build_leaves_no_process_and_writes_nothing_after(
    tmp_path: Path, workers: int
) -> None:
    params = tmp_path / "parameters"
    for org in ("jamtland", "stockholm"):
        shutil.copytree(PARAMS / org, params / org)
    for copy in ("b", "c"):  # enough work that the build is surely still running at the kill
        shutil.copytree(PARAMS / "stockholm", params / f"stockholm-{copy}")
    out = tmp_path / "outputs"
    build = subprocess.Popen(
        [
            *(str(GNV), "build", "--workers", str(workers), "--to", "html,xlsx"),
            *("--params", str(params), "--out", str(out), "--quiet"),
        ],
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: dict[int, int] = {}
    deadline = time.monotonic() + 60
    # Working: a first report written, and the workers (or the report's forked child) there.
    while time.monotonic() < deadline and build.poll() is None:
        seen.update(_descendants(build.pid))
        if len(seen) >= workers and any(out.rglob("*.html")):
            break
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be killed"
    seen.update(_descendants(build.pid))
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    killed_at = _snapshot(out) if out.exists() else {}

    deadline = time.monotonic() + 8
    while _alive(seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = _alive(seen)
    for pid in survivors:  # a failing test must not leave them running either
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], "processes outlived the build"
    assert _session(build.pid) == []  # nor anything else of its session (a kernel, a browser)
    time.sleep(1)
    after = _snapshot(out) if out.exists() else {}
    assert after == killed_at, "files were written after the kill"


def test_a_forked_child_that_comes_back_up_never_writes(
    jamtland: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report's forked child whose parent died can find its way back into the build's code
    (an exception, a return). It must end there, not write files or run the next report."""
    import gnvtools.publish.render as render_module
    from gnvtools.publish.build import Job, run_job

    me, children = os.getpid(), []
    real_execute = render_module.execute

    def forking_execute(*args: object, **kwargs: object) -> object:
        notebook = real_execute(*args, **kwargs)  # type: ignore[arg-type]
        pid = os.fork()
        if pid:
            children.append(pid)
        return notebook  # both come back: the child as the warm engine's child would

    monkeypatch.setattr(render_module, "execute", forking_execute)
    out = tmp_path / "outputs"
    job = Job(REPORT, jamtland / "jamtland/2025.yaml", out, "jamtland/2025")
    result = run_job(job, ["html"])
    if os.getpid() != me:  # the child got back here: the guard failed
        os._exit(99)
    assert result.status == "klar"
    _, status = os.waitpid(children[0], 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1
    assert sorted(p.name for p in out.iterdir()) == [f"{REPORT}.html", f"{REPORT}.manifest.json"]

    def forking_render(*args: object, **kwargs: object) -> object:
        pid = os.fork()
        if pid:
            statuses.append(os.waitpid(pid, 0)[1])
            raise RenderError("i föräldern")
        raise OSError(errno.EPIPE, "Broken pipe")  # the child: its pipe to a dead parent

    statuses: list[int] = []
    monkeypatch.setattr(render_module, "render", forking_render)
    result = run_job(job, ["html"])
    if os.getpid() != me:
        os._exit(99)
    assert result.message == "i föräldern"
    assert os.WIFEXITED(statuses[0]) and os.WEXITSTATUS(statuses[0]) == 1
