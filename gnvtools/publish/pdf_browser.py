"""Which browser prints a PDF: an explicit setting (``Running.browser``: gnv.yaml or the
environment, as the command line resolved it), a Chromium that ``playwright install`` left on
disk (found there; Playwright itself is not needed), then a system Chromium headless shell,
Chromium, Chrome or Edge; its launch timeout; the quiet flags it starts with (``cdp_launch.launch``
adds the pipe, ``--headless`` and a temporary profile)."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from gnvtools.errors import BrowserNotFoundError
from gnvtools.publish.running import Running

LAUNCH_TIMEOUT = 30.0  # seconds to start the browser; browser_timeout in gnv.yaml changes it


# Chromium's headless shell first: it prints the same PDF as the full browser (the same Blink
# and Skia; Playwright, too, uses it for headless runs) for half the processor time, launch
# included (measured: 0,85 against 1,7 s to launch and close, 0,17 against 0,33 s a print).
HEADLESS_SHELLS = (
    "/usr/lib/chromium/chromium-headless-shell",  # Debian's chromium-headless-shell, unwrapped
    "chromium-headless-shell",
    "chrome-headless-shell",
)
SYSTEM_BROWSERS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
KNOWN_PATHS = (
    "/usr/bin/chromium",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
)
# Quiet flags: the machines this runs on may have no network, and no display.
ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # Nothing printed resolves a host name (DNS prefetch included); requests are blocked anyway.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


@dataclass(frozen=True)
class BrowserChoice:
    how: str  # "inställning", "playwright" or "system"
    executable: str


def find_browser(running: Running | None = None) -> BrowserChoice:
    """Find a Chromium-family browser or raise ``BrowserNotFoundError`` (Swedish message)."""
    running = running or Running()
    import importlib.util

    if importlib.util.find_spec("pikepdf") is None:  # [pdf]: the archival PDF (archive.py)
        raise BrowserNotFoundError(
            "PDF kräver pikepdf, som inte är installerat: pip install 'gnvtools[pdf]'"
        )
    setting = running.browser
    if setting:
        path = shutil.which(setting) or setting
        if Path(path).exists():
            return BrowserChoice("inställning", path)
        raise BrowserNotFoundError(
            f'webbläsaren "{setting}" ({running.where}) finns inte; ange sökvägen till '
            "Chromium, Chrome eller Edge"
        )
    own = _playwright_chromium()
    if own:
        return BrowserChoice("playwright", own)
    for name in HEADLESS_SHELLS + SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return BrowserChoice("system", found)
    for path in KNOWN_PATHS:
        if Path(path).exists():
            return BrowserChoice("system", path)
    raise BrowserNotFoundError(
        "ingen webbläsare för PDF hittades (Chromium, Chrome eller Edge). Installera t.ex. "
        f"Debians paket chromium eller ange sökvägen ({running.where}). HTML-rapporten skapas "
        "ändå."
    )


def launch_seconds(running: Running | None = None) -> float:
    """The launch timeout: ``running.browser_timeout`` (gnv.yaml or the environment), else 30 s."""
    running = running or Running()
    setting = running.browser_timeout
    if not setting:
        return LAUNCH_TIMEOUT
    try:
        seconds = float(setting)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise BrowserNotFoundError(
            f"väntetiden för webbläsaren ({running.timeout_where}) ska vara 1–600 sekunder "
            f'(fick "{setting}"); PDF skapas inte'
        )
    return seconds


def _playwright_cache() -> Path | None:
    """Where ``playwright install`` puts browsers (its documented locations)."""
    setting = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if setting and setting != "0":
        return Path(setting)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "ms-playwright" if local else None
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ms-playwright"


def _playwright_chromium() -> str | None:
    """Playwright's own Chromium, found on disk without starting Playwright's driver."""
    cache = _playwright_cache()
    if cache is None or not cache.is_dir():
        return None
    patterns = (
        "chromium-*/chrome-*/chrome",
        "chromium-*/chrome-*/chrome.exe",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium_headless_shell-*/chrome-*/headless_shell",
        "chromium_headless_shell-*/chrome-headless-shell-*/chrome-headless-shell",
        "chromium_headless_shell-*/chrome-headless-shell-*/chrome-headless-shell.exe",
    )
    # sorted: "chromium_headless_shell-" after "chromium-", so the shell wins when both exist
    found = sorted(p for pattern in patterns for p in cache.glob(pattern) if p.is_file())
    return str(found[-1]) if found else None
