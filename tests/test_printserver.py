"""The build's print service: one browser shared by the worker processes (publish.printserver)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from gnvtools.errors import BrowserNotFoundError, RenderError
from gnvtools.publish.build import build
from gnvtools.publish.printserver import PrintService, RemotePrinter

from .browser import require_browser
from .conftest import PARAMS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]

PAGE = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>t</title></head>'
    "<body><h1>Rubrik {n}</h1><p>Stycke {n}.</p></body></html>"
)


def test_two_clients_print_at_once_and_the_service_ends_with_the_build() -> None:
    require_browser()
    results: dict[int, bytes] = {}
    with PrintService(pages=2) as service:
        process = service._process
        assert process is not None

        def client(n: int) -> None:
            printer = service.client()
            results[n] = printer.print(PAGE.format(n=n), f"Titel {n}")
            printer.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert service.client().version  # the browser's version, for the manifest
    assert sorted(results) == [1, 2]
    assert all(pdf.startswith(b"%PDF-") for pdf in results.values())
    assert process.poll() == 0  # the service (and with it the browser) has ended


@pytest.fixture
def broken_browser(tmp_path: Path) -> Path:
    """A program that exists but is no browser: found, then fails to launch."""
    require_browser()
    fake = tmp_path / "inte-en-webblasare"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    return fake


def test_a_browser_that_cannot_start_is_a_swedish_error_for_every_request(
    broken_browser: Path,
) -> None:
    with PrintService(pages=1, executable=str(broken_browser)) as service:
        printer = service.client()
        with pytest.raises(BrowserNotFoundError, match="webbläsaren kunde inte startas"):
            printer.print(PAGE.format(n=1), "t")
        with pytest.raises(BrowserNotFoundError):
            printer.version  # noqa: B018


def test_a_service_that_is_gone_is_a_render_error() -> None:
    require_browser()
    with PrintService(pages=1) as service:
        address, key = service.address, service.authkey
    with pytest.raises(RenderError, match="utskriftstjänsten"):
        RemotePrinter(address, key).print(PAGE.format(n=1), "t")


def test_a_build_whose_browser_cannot_start_still_writes_the_other_formats(
    tmp_path: Path, broken_browser: Path
) -> None:
    from gnvtools.publish.running import Running

    shutil.copytree(PARAMS / "stockholm", tmp_path / "parameters/stockholm")
    results, _ = build(
        tmp_path / "parameters",
        tmp_path / "out",
        ["html", "pdf"],
        workers=2,
        progress=False,
        running=Running(browser=str(broken_browser)),
    )
    assert results and all(r.status == "misslyckades" for r in results)
    assert all("webbläsaren kunde inte startas" in r.message for r in results)
    for r in results:
        assert (r.job.out_dir / f"{r.job.report}.html").exists()
        assert not (r.job.out_dir / f"{r.job.report}.pdf").exists()


def test_a_service_that_never_answers_costs_the_pdf_in_bounded_time() -> None:
    """A frozen service: the worker gives up after its timeout, with a Swedish line."""
    import time
    from multiprocessing.connection import Listener

    from gnvtools.errors import BrowserFailedError

    key = b"k" * 32
    with Listener(authkey=key) as listener:
        held = []
        threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
        started = time.monotonic()
        with pytest.raises(BrowserFailedError, match="svarade inte inom 2 s"):
            RemotePrinter(listener.address, key, timeout=2).print(PAGE.format(n=1), "t")
        assert time.monotonic() - started < 10
