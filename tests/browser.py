"""Headless Chromium for tests: the same discovery as the PDF export (no downloads)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from gnvtools.errors import BrowserNotFoundError
from gnvtools.publish.pdf import ARGS, find_browser


def require_browser() -> str | None:
    """The browser to use; in CI a missing browser fails, elsewhere the test is skipped."""
    try:
        return find_browser().executable
    except BrowserNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have a browser: {exc}")
        pytest.skip(f"no Chromium-family browser here ({exc}); .ci/run installs one")
    return None


def chromium_page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = require_browser()
    args = [*ARGS, "--no-sandbox"] if os.geteuid() == 0 else list(ARGS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args, headless=True)
        try:
            yield browser
        finally:
            browser.close()
