"""Headless Chromium over a business-area page and an organisation page, in both languages.

Skipped (visibly, with the reason) when no Chromium binary is installed; on Debian:
``apt-get install chromium``. Each page is rendered to a PNG (kept in tmp_path) and its DOM
after rendering is checked for the chart bars and the highlighted quote.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.server.conftest import Server

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)

pytestmark = [
    pytest.mark.slow,  # a browser start per test; `make test-fast` leaves it out
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless chromium not installed "
                       "(apt-get install chromium); screenshots not taken"),
]


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=60, check=True)


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize(
    ("path", "marker"),
    [("/doc/area/energiteknologi", 'class="chart"'),
     ("/doc/org/aalborg-universitet", '<mark class="mention">')],
)
def test_page_renders_in_chromium(annex_server: Server, tmp_path: Path, path: str,
                                  marker: str, lang: str) -> None:
    url = f"{annex_server.url}{path}?lang={lang}"
    png = tmp_path / f"{path.strip('/').replace('/', '-')}-{lang}.png"
    chromium(f"--screenshot={png}", "--window-size=1280,1800", url)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    dom = chromium("--dump-dom", url).stdout
    assert marker in dom
    assert f'<html lang="{lang}">' in dom
    if "chart" in marker:
        assert dom.count("<rect ") >= 5
