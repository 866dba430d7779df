"""WCAG 2.1 AA on every kind of page, in both languages: axe-core in headless Chromium (issue
#17, item 6), plus a walk through each page with the Tab key and screenshots of the search
results, an index page and the network view.

axe-core and playwright-core come from npm (package.json, installed by ``make setup``);
Chromium from Debian (``make browser-env``). `tests/browser/axe_audit.mjs` audits a list of
pages in one browser and prints the violations as JSON; this module starts `vestlod serve`
over the real build with the YASGUI and cytoscape bundles from node_modules, runs the audit
once and asserts per page. Skipped, with the reason, when Chromium, node or the npm packages
are missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publish.build.pipeline import BuildResult
from tests.server.conftest import REPO, start_server, stop_server

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
NODE = shutil.which("node")
MODULES = REPO / "node_modules"
AUDIT = REPO / "tests" / "browser" / "axe_audit.mjs"
MISSING = [name for name in ("axe-core", "playwright-core", "cytoscape", "@zazuko/yasgui")
           if not (MODULES / name / "package.json").is_file()]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="headless chromium not installed "
                       "(make browser-env); accessibility not audited"),
    pytest.mark.skipif(NODE is None, reason="node not installed; axe-core cannot run"),
    pytest.mark.skipif(bool(MISSING), reason=f"npm packages missing ({', '.join(MISSING)}): "
                       "run make setup"),
]

#: every kind of page; (name, path, CSS selector to wait for or None)
PAGES: list[tuple[str, str, str | None]] = [
    ("home", "/", None),
    ("area", "/doc/area/energiteknologi", "svg.chart"),
    ("organisation", "/doc/org/aalborg-universitet", None),
    ("figure", "/doc/figure/foedevareeksport-danmark", None),
    ("annex", "/doc/document/bilag-styrket-vestdansk-samarbejde", None),
    ("ontology", "/def/vestlod", None),
    ("downloads", "/dumps/", None),
    ("search", "/search?q=vind", "ol.results"),
    ("actors", "/browse/actors", "table.index"),
    ("figures", "/browse/figures", "table.index"),
    ("strength-positions", "/browse/strength-positions", "table.index"),
    ("challenges", "/browse/challenges", "table.index"),
    ("focus-areas", "/browse/focus-areas", "table.index"),
    ("relations", "/browse/relations", "table.index"),
    ("network", "/network", "#network canvas"),
    ("accessibility", "/accessibility", None),
]
#: the query UI is one page in English (YASGUI's own words are English): empty, and with a
#: result table drawn by an example run
QUERY_UI: list[tuple[str, str, str | None]] = [
    ("query-ui", "/sparql", ".yasr"),
    ("query-ui-result", "/sparql#example=0", ".yasr table"),
    ("query-ui-completion", "/sparql", ".yasr"),
    ("query-ui-completed", "/sparql", ".yasr"),
    ("query-ui-word", "/sparql", ".yasr"),
]

#: a query with the cursor where a resource goes: the object of ``?s ?p |``
def _edit(prefixes: str) -> str:
    return ("(() => { const q = window.vestlodYasgui.getTab().getYasqe();"
            f" q.setValue('{prefixes}SELECT * WHERE {{\\n  ?s ?p \\n}}');"
            " q.focus(); q.getDoc().setCursor({line: q.getDoc().lastLine() - 1, ch: 8}); })()")


VL = "PREFIX vl: <https://w3id.org/vestlod/def/vestlod#>\\n"
VORG = "PREFIX vorg: <https://w3id.org/vestlod/id/org/>\\n"
#: what a reader does in the editor: type, see suggestions from /search/suggest, choose one
ACTIONS: dict[str, list[dict[str, Any]]] = {
    "query-ui-completion": [{"eval": _edit(VL)}, {"type": "vl:vesta"},
                            {"wait": ".CodeMirror-hints .CodeMirror-hint"}, {"pause": 300}],
    "query-ui-completed": [{"eval": _edit(VL + VORG)}, {"type": "vorg:vesta"},
                           {"wait": ".CodeMirror-hints .CodeMirror-hint"}, {"pause": 300},
                           {"press": "Enter"}, {"pause": 300}],
    # a plain word, not yet valid SPARQL (the editor marks it as an error while it is typed)
    "query-ui-word": [{"eval": _edit(VL)}, {"type": "vestas"},
                      {"wait": ".CodeMirror-hints .CodeMirror-hint"}, {"pause": 300}],
}
#: what the page's script drew, read in the browser
PROBES = {"network": "[document.getElementById('network').dataset.nodes, "
                     "document.getElementById('network').dataset.edges, "
                     "document.querySelectorAll('table.relations tbody tr').length]",
          "query-ui-completion": "Array.from(document.querySelectorAll("
                                 "'.CodeMirror-hints .CodeMirror-hint'), e => e.textContent)",
          "query-ui-completed": "window.vestlodYasgui.getTab().getYasqe().getValue()"}
PROBES["query-ui-word"] = PROBES["query-ui-completion"]
SCREENSHOTS = {("search", "da"), ("actors", "en"), ("network", "da"), ("query-ui-result", ""),
               ("query-ui-completion", "")}


def _url(path: str, lang: str) -> str:
    if not lang:
        return path
    path, hash_, fragment = path.partition("#")
    return path + ("&" if "?" in path else "?") + f"lang={lang}" + hash_ + fragment


@pytest.fixture(scope="module")
def audit(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("axe")
    server = start_server(
        tmp, dist_dir=str(built.out), query_timeout="20", result_cap="10000",
        ui_assets_dir=str(MODULES / "@zazuko" / "yasgui" / "build"),
        network_assets_dir=str(MODULES / "cytoscape" / "dist"))
    try:
        pages = []
        for lang in ("da", "en"):
            for name, path, wait in PAGES:
                pages.append((name, lang, path, wait))
        pages += [(name, "", path, wait) for name, path, wait in QUERY_UI]
        job = {"chromium": CHROMIUM, "pages": [
            {"url": server.url + _url(path, lang), "wait": wait, "keyboard": True,
             "settle": 1500 if name.startswith(("query", "network")) else 100,
             "probe": PROBES.get(name), "actions": ACTIONS.get(name, []),
             "screenshot": str(tmp / f"{name}-{lang or 'en'}.png")
             if (name, lang) in SCREENSHOTS else None}
            for name, lang, path, wait in pages]}
        (tmp / "job.json").write_text(json.dumps(job))
        run = subprocess.run([NODE or "node", str(AUDIT), str(tmp / "job.json")], cwd=REPO,
                             capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr
        results = json.loads(run.stdout)["pages"]
    finally:
        stop_server(server)
    by_key = {(name, lang): result for (name, lang, _, _), result in zip(pages, results,
                                                                         strict=True)}
    return {"pages": by_key, "dir": tmp}


def _pages(audit: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for (name, lang), result in audit["pages"].items():
        yield name, lang, result


KEYS = [(name, lang) for lang in ("da", "en") for name, _, _ in PAGES] + \
    [(name, "") for name, _, _ in QUERY_UI]


def _describe(result: dict[str, Any]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                     + "; ".join(n["target"] for n in v["nodes"][:5])
                     for v in result["violations"])


@pytest.mark.parametrize(("name", "lang"), KEYS, ids=[f"{n}-{lang or 'en'}" for n, lang in KEYS])
def test_no_wcag_21_aa_violations(audit: dict[str, Any], name: str, lang: str) -> None:
    result = audit["pages"][(name, lang)]
    assert result["error"] is None, result["error"]
    assert result["status"] == 200
    assert result["passes"] > 5  # axe did run its rules on a page
    assert result["violations"] == [], _describe(result)


@pytest.mark.parametrize(("name", "lang"), KEYS, ids=[f"{n}-{lang or 'en'}" for n, lang in KEYS])
def test_every_control_is_reached_with_the_tab_key(audit: dict[str, Any], name: str,
                                                   lang: str) -> None:
    result = audit["pages"][(name, lang)]
    assert result["focusable"] > 0
    assert result["unreached"] == [], f"not reached with Tab: {result['unreached'][:5]}"


@pytest.mark.parametrize(("name", "lang"), sorted(SCREENSHOTS))
def test_screenshots(audit: dict[str, Any], name: str, lang: str) -> None:
    png = Path(audit["dir"]) / f"{name}-{lang or 'en'}.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_network_draws_every_listed_relation(audit: dict[str, Any], lang: str) -> None:
    nodes, edges, listed = audit["pages"][("network", lang)]["probe"]
    assert int(nodes) > 10
    assert int(edges) == listed > 10


def test_the_query_editor_completes_resources_from_search_suggest(audit: dict[str, Any]) -> None:
    """Typing ``vl:vesta`` or ``vestas`` where the query takes a resource lists matching
    resources from ``/search/suggest`` by label; ``vl:`` (the ontology's namespace) does not
    cover them, so each is offered as an IRI in angle brackets. Audited with the list open."""
    for name in ("query-ui-completion", "query-ui-word"):  # a prefixed name, a plain word
        result = audit["pages"][(name, "")]
        assert result["error"] is None, result["error"]
        hints = result["probe"]
        assert "Vestas \u2014 <https://w3id.org/vestlod/id/org/vestas>" in hints, (name, hints)


def test_choosing_a_suggestion_inserts_it_in_prefixed_form(audit: dict[str, Any]) -> None:
    """Under a PREFIX that covers it with a plain local name, the chosen IRI goes in prefixed."""
    result = audit["pages"][("query-ui-completed", "")]
    assert result["error"] is None, result["error"]
    assert "  ?s ?p vorg:vestas\n}" in result["probe"], result["probe"]
