"""Headless Chromium loads the query UI (YASGUI from our own static files) and shows an answer.

`vestlod serve` runs over the real annex build with the YASGUI bundle that ``make setup``
installs; the page is opened as ``/sparql#example=0``, which makes our UI script run the first
example query on load. Chromium's ``--virtual-time-budget`` lets the page's POST to /sparql
finish before ``--dump-dom`` prints the DOM, so the test sees what a person would: YASR's
result table. Its rows must be exactly the rows the endpoint returns for the same query over
plain HTTP, and include a business area named in the annex.

Skipped (visibly, with the reason) when Chromium or the YASGUI bundle is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from publish.build.pipeline import BuildResult
from publish.query.store import prefixes_for
from publish.server.ui import EXAMPLES
from tests.server.conftest import BASE, REPO, Server, start_server, stop_server

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
BUNDLE = REPO / "node_modules" / "@zazuko" / "yasgui" / "build"

pytestmark = [
    pytest.mark.slow,  # a browser start per test; `make test-fast` leaves it out
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless chromium not installed "
                       "(apt-get install chromium); query UI not tested in a browser"),
    pytest.mark.skipif(not (BUNDLE / "yasgui.min.js").is_file(), reason=f"YASGUI bundle "
                       f"missing in {BUNDLE} (make setup runs npm ci); query UI not tested"),
]


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Iterator[Server]:
    """The real annex build served with the installed YASGUI bundle."""
    srv = start_server(tmp_path_factory.mktemp("ui"), dist_dir=str(built.out),
                       ui_assets_dir=str(BUNDLE), query_timeout="20", result_cap="1000")
    yield srv
    stop_server(srv)


class ResultTable(HTMLParser):
    """The text of each cell of YASR's result table (class ``dataTable``), row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headers: list[str] = []
        self._in_table = self._in_body = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "dataTable" in classes:
            self._in_table = True
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")
        elif self._in_table and tag == "span" and "dt-column-title" in classes:
            self.headers.append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "span"):
            self._in_cell = False
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if not self._in_cell:
            return
        if self._in_body:
            self.rows[-1][-1] += data
        else:
            self.headers[-1] += data


def dump_dom(url: str, profile: Path) -> str:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
         "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=60, check=True).stdout


def test_query_ui_runs_an_example_and_shows_its_results(ui_server: Server,
                                                        tmp_path: Path) -> None:
    dom = dump_dom(f"{ui_server.sparql}#example=0", tmp_path / "profile")
    assert 'id="ui-missing"' not in dom, "the server did not find the YASGUI bundle"
    assert 'class="yasgui' in dom, "YASGUI did not start (script blocked or failed?)"
    assert "errorResult" not in dom, "YASGUI shows an error instead of results: " + (
        re.sub(r"<[^>]+>", " ", dom[dom.find("errorResult"):][:2000]))

    table = ResultTable()
    table.feed(dom)
    assert table.rows, "no result table in the page"
    assert table.headers[1:] == ["area", "areaLabel", "positions"]

    # The same example over plain HTTP: the browser must show exactly these rows, in order.
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes_for(BASE).items())
    with ui_server.client() as client:
        answer = client.post("/sparql", data={"query": prologue + EXAMPLES[0][1]},
                             headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    expected = [(b["area"]["value"].rsplit("/", 1)[1], b["areaLabel"]["value"],
                 b["positions"]["value"]) for b in answer.json()["results"]["bindings"]]
    shown = [tuple(cells[1:]) for cells in table.rows]
    assert len(shown) == len(expected) >= 3
    for (slug, label, count), (area, area_label, positions) in zip(expected, shown, strict=True):
        assert area == f"vlid:area/{slug}"
        assert area_label == f'"{label}"@da'
        assert positions.startswith(f'"{count}"^^')
    assert f"{len(expected)} results" in dom
    assert any('"Energiteknologi"@da' == row[2] for row in table.rows)
