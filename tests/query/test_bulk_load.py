"""`vestlod load --bulk-dir … --isql …`: the same load through Virtuoso's own bulk loader
(issue #19, item 5), into a real Virtuoso that may read the bulk folder (``DirsAllowed``).

What must hold is what the Graph Store path promises: the counts verified, the version
recorded, the union graph written, no staging graph and no file left behind, the password
never printed; and a second load replaces the first.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from publish.query.remote import union_graph
from publish.query.store import load_store
from tests import virtuoso
from tests.server.conftest import VESTLOD, clean_env, fixture_trig, write_dist

JSON = "application/sparql-results+json"
STAGED = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
          'FILTER(STRSTARTS(STR(?g), "urn:vestlod:staging:")) }')

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bulk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bulk")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, bulk_dir: Path
          ) -> Iterator[virtuoso.Virtuoso]:
    reason = virtuoso.available()
    if reason:
        pytest.skip(reason)
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso-bulk"), dirs_allowed=(bulk_dir,))
    yield server
    server.stop()


def count(url: str, query: str) -> int:
    response = httpx.post(url, data={"query": query}, headers={"Accept": JSON}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def bulk_load(store: virtuoso.Virtuoso, dist: Path, bulk_dir: Path
              ) -> subprocess.CompletedProcess[str]:
    env = {**clean_env(), **store.env()}
    return subprocess.run(
        [VESTLOD, "load", "--store", store.sparql, "--update", store.update,
         "--bulk-dir", str(bulk_dir), "--isql", f"127.0.0.1:{store.sql_port}",
         "--dist", str(dist)],
        env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("n_actors", [12, 7])  # the second load replaces the first
def test_the_bulk_loader_loads_what_the_graph_store_path_would(
        store: virtuoso.Virtuoso, bulk_dir: Path, tmp_path: Path, n_actors: int) -> None:
    dist = tmp_path / "dist"
    write_dist(dist, fixture_trig(n_actors=n_actors, label_suffix=f" ({n_actors})"))
    local = load_store(dist)
    done = bulk_load(store, dist, bulk_dir)
    assert done.returncode == 0, done.stderr
    assert "counts verified" in done.stdout
    assert "bulk loader" in done.stderr
    assert store.password not in done.stdout + done.stderr
    graphs = " ".join(f"<{g}>" for g in local.stats.graphs)
    assert count(store.sparql, "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?g { " + graphs
                 + " } GRAPH ?g { ?s ?p ?o } }") == local.stats.quads
    union = union_graph(local.stats.version)
    assert count(store.sparql, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{union}> "
                 "{ ?s ?p ?o } }") > 0
    assert count(store.sparql, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p '
                 f'"Actor 1 ({n_actors})"@en }}') >= 1
    assert count(store.sparql, STAGED) == 0
    assert list(bulk_dir.iterdir()) == []  # the files are removed after the load
