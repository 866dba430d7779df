"""Time limits that really stop work, a loop that never blocks, swaps that are atomic."""

from __future__ import annotations

import concurrent.futures
import time
from pathlib import Path

import httpx
import pytest

from bench.load import process_tree
from tests.server.conftest import (
    Server,
    cpu_seconds,
    fixture_trig,
    start_server,
    stop_server,
    write_dist,
)

# A COUNT over a 10-fold cross product of ~40 triples: 40^10 rows, it would run for days.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(10)
) + " }"


def test_a_timed_out_query_is_a_503_and_its_cpu_is_freed(server: Server) -> None:
    with server.client() as client:
        before = set(process_tree(server.process.pid))
        started = time.monotonic()
        r = client.post("/sparql", data={"query": ENDLESS})
        elapsed = time.monotonic() - started
        assert r.status_code == 503
        assert "stopped" in r.text and "query_timeout" in r.text
        assert 0.9 < elapsed < 3.0  # the limit is 1 s
        time.sleep(0.3)  # let the replacement fork settle
        tree = process_tree(server.process.pid)
        assert before - set(tree), "the worker that ran the query must be gone"
        cpu_before = cpu_seconds(tree)
        time.sleep(1.0)
        burnt = cpu_seconds(process_tree(server.process.pid)) - cpu_before
        assert burnt < 0.3, f"the server tree still burns {burnt:.2f} s CPU per second"
        # And the server still answers queries with a fresh worker.
        ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ok.json()["boolean"] is True
        assert client.get("/readyz").json()["timeouts"] >= 1


def test_health_answers_while_every_worker_is_busy(server: Server) -> None:
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        slow = [
            pool.submit(httpx.post, server.sparql, data={"query": ENDLESS}, timeout=20)
            for _ in range(2)
        ]
        time.sleep(0.3)
        started = time.monotonic()
        health = httpx.get(server.url + "/healthz", timeout=5)
        assert health.status_code == 200
        assert time.monotonic() - started < 0.5
        assert [f.result().status_code for f in slow] == [503, 503]


@pytest.fixture
def swapping_server(tmp_path: Path) -> Server:
    srv = start_server(tmp_path, reload_interval="0.1")
    yield srv  # type: ignore[misc]
    stop_server(srv)


def test_a_new_build_is_swapped_in_and_the_cache_cleared(swapping_server: Server) -> None:
    query = 'SELECT ?l WHERE { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l ' \
            'FILTER(lang(?l) = "en") } ORDER BY ?l LIMIT 1'
    with swapping_server.client() as client:
        first = client.get("/sparql", params={"query": query})
        assert first.json()["results"]["bindings"][0]["l"]["value"] == "Actor 0"
        version = write_dist(swapping_server.dist, fixture_trig(label_suffix=" (v2)"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if client.get("/readyz").json()["version"] == version:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the new build was never swapped in")
        second = client.get("/sparql", params={"query": query},
                            headers={"If-None-Match": first.headers["ETag"]})
        assert second.status_code == 200, "an ETag of the old dataset must not match"
        assert second.json()["results"]["bindings"][0]["l"]["value"] == "Actor 0 (v2)"
        assert second.headers["Vestlod-Cache"] == "miss"


def test_a_broken_build_never_replaces_what_is_served(swapping_server: Server) -> None:
    with swapping_server.client() as client:
        dist = swapping_server.dist
        (dist / "vestlod.trig").write_text("this is { not TriG")
        (dist / "SHA256SUMS").write_text("0" * 64 + "  vestlod.trig\n")
        time.sleep(0.5)
        ready = client.get("/readyz").json()
        assert ready["version"] == swapping_server.version
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]
