"""Starting the browser for ``cdp``: the DevTools pipe on its descriptors 3 and 4, headless,
in a process group of its own, with a profile of its own in a temporary folder.

The profile folder is removed when the browser is closed; one left by a process that was killed
(``kill -9``) is removed by the next launch (its name carries the pid that made it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from gnvtools.publish.cdp import Browser

# Chromium wants the pipe on its descriptors 3 and 4; subprocess hands over only 0-2 by number,
# so a shell moves them there and then becomes the browser (exec: no process stays behind).
_MOVE_FDS = 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'
PROFILE_PREFIX = "gnv-chromium-"


def launch(executable: str, args: list[str], *, quiet: bool = True) -> Browser:
    """Start ``executable`` with the DevTools pipe; it answers once ``Browser.getVersion`` does.

    Raises ``OSError`` when it cannot be started at all. Not on Windows (no descriptors 3 and 4
    to hand over): ``NotImplementedError``.
    """
    if sys.platform == "win32":
        raise NotImplementedError("the DevTools pipe needs POSIX file descriptors")
    remove_stale_profiles()
    profile = tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")
    to_browser, ours_out = os.pipe()
    ours_in, from_browser = os.pipe()
    command = [
        "/bin/sh",
        "-c",
        _MOVE_FDS,
        "sh",
        executable,
        "--remote-debugging-pipe",
        "--headless",
        "--no-startup-window",
        f"--user-data-dir={profile}",
        *args,
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=to_browser,
            stdout=from_browser,
            stderr=subprocess.DEVNULL if quiet else None,
            process_group=0,  # Ctrl-C reaches us, not it; ``close`` kills the whole group
        )
    except OSError:
        for fd in (to_browser, ours_out, ours_in, from_browser):
            os.close(fd)
        shutil.rmtree(profile, ignore_errors=True)
        raise
    os.close(to_browser)
    os.close(from_browser)
    browser = Browser(process, ours_out, ours_in)
    browser.profile = profile
    return browser


def remove_stale_profiles(folder: str | None = None) -> None:
    """Remove the profiles whose process has ended without removing its own."""
    folder = folder or tempfile.gettempdir()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name.removeprefix(PROFILE_PREFIX).partition("-")[0]
        if name.startswith(PROFILE_PREFIX) and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's: not ours to judge
        return True
    return True
