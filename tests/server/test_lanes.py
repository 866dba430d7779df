"""Short queries do not queue behind long ones (issue #19, item 7), against a real
``vestlod serve``: its one general worker and the requests queued for it are all slow
queries, and label lookups still answer, each well before any slow query could have ended.

The bounds are behaviour, not this machine's speed: a slow query here runs until the 60 s
limit, so a lookup that waited for a general worker would take a minute; we allow 5 s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import Server, start_server, stop_server

JSON = {"Accept": "application/sparql-results+json"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"
SKOS = "http://www.w3.org/2004/02/skos/core#"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lanes_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(tmp_path_factory.mktemp("lanes"), query_workers="1",
                          query_fast_workers="1", query_timeout="60", cache_mb="0")
    yield server
    stop_server(server)


def test_a_label_lookup_answers_while_the_long_lane_is_saturated(lanes_server: Server) -> None:
    slow_done: list[float] = []

    def slow() -> None:
        try:
            httpx.post(lanes_server.sparql, data={"query": SLOW}, headers=JSON, timeout=90)
        except httpx.HTTPError:
            pass
        slow_done.append(time.monotonic())

    # one slow query in the general worker, two more queued for it
    slow_clients = [threading.Thread(target=slow, daemon=True) for _ in range(3)]
    for t in slow_clients:
        t.start()
    time.sleep(1.0)
    took: list[float] = []
    with httpx.Client(timeout=30) as client:
        for i in range(10):
            query = f'SELECT ?s WHERE {{ ?s <{SKOS}prefLabel> "Actor {i}"@en }}'
            t0 = time.monotonic()
            r = client.post(lanes_server.sparql, data={"query": query}, headers=JSON)
            took.append(time.monotonic() - t0)
            assert r.status_code == 200, r.text
            assert len(r.json()["results"]["bindings"]) == 1
        ready = client.get(lanes_server.url + "/readyz").json()
    assert not slow_done, "the slow queries must still be running for this to show anything"
    assert max(took) < 5.0, took
    assert ready["fast_workers"] == 1
    assert ready["queries_per_lane"]["cheap"] >= 10
    # the slow queries are stopped with the server (the fixture), not awaited here
    stop_server(lanes_server)
    for t in slow_clients:
        t.join(timeout=30)


def test_without_a_fast_lane_the_same_lookup_waits(tmp_path: Path) -> None:
    """The control: one lane, and the lookup queues behind the slow query."""
    server = start_server(tmp_path, query_workers="1", query_fast_workers="0",
                          query_timeout="3", cache_mb="0")
    try:
        blocker = threading.Thread(target=lambda: httpx.post(
            server.sparql, data={"query": SLOW}, headers=JSON, timeout=30), daemon=True)
        blocker.start()
        time.sleep(1.0)
        t0 = time.monotonic()
        r = httpx.post(server.sparql, headers=JSON, timeout=30, data={
            "query": f'SELECT ?s WHERE {{ ?s <{SKOS}prefLabel> "Actor 1"@en }}'})
        # it waited until the slow query was stopped at its limit (2 s after it was sent),
        # then ran or was itself out of time
        assert r.status_code == 503 or time.monotonic() - t0 > 1.0
        blocker.join(timeout=30)
    finally:
        stop_server(server)
