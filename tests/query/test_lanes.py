"""Lanes (issue #19, item 7): cheap lookups have workers of their own, so they never queue
behind aggregations; which queries are cheap is decided from the text before they run.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Iterator

import pytest

from bench.__main__ import mix
from publish.build.pipeline import BuildResult
from publish.errors import QueryTimeout
from publish.query.lanes import lane
from publish.query.store import OxigraphStore, QueryRequest, load_store
from publish.query.workers import LONG_NICENESS, WorkerPool

SKOS = "http://www.w3.org/2004/02/skos/core#"
VESTAS = "https://w3id.org/vestlod/id/org/vestas"
LOOKUP = QueryRequest(f"ASK {{ <{VESTAS}> ?p ?o }}")
#: runs for minutes on the annex: COUNT over a cross product
ENDLESS = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def test_the_benchmark_mix_lookups_are_cheap_the_rest_long() -> None:
    kinds = {kind: lane(make(random.Random(1))[0]) for kind, make in mix(1000).items()}
    assert kinds == {"label": "cheap", "describe": "cheap", "join": "cheap",
                     "aggregate": "long", "text": "long", "paging": "long", "path": "long"}


@pytest.mark.parametrize(("query", "expected"), [
    (f'SELECT ?s WHERE {{ ?s <{SKOS}prefLabel> "Vestas"@da }}', "cheap"),
    (f"CONSTRUCT {{ <{VESTAS}> ?p ?o }} WHERE {{ <{VESTAS}> ?p ?o }}", "cheap"),
    (f"DESCRIBE <{VESTAS}>", "cheap"),
    (f"SELECT ?p ?o WHERE {{ <{VESTAS}> ?p ?o }} LIMIT 10", "cheap"),
    # anchored through a variable the first pattern binds
    (f"SELECT ?l WHERE {{ <{VESTAS}> ?p ?x . ?x <{SKOS}prefLabel> ?l }}", "cheap"),
    ("SELECT * WHERE { ?s ?p ?o }", "long"),                             # a scan
    (f"SELECT ?s WHERE {{ ?s ?p ?o . <{VESTAS}> ?q ?r }}", "long"),      # a scan beside a lookup
    (f"SELECT (COUNT(*) AS ?n) WHERE {{ <{VESTAS}> ?p ?o }}", "long"),   # aggregation
    (f"SELECT ?o WHERE {{ <{VESTAS}> ?p ?o }} ORDER BY ?o", "long"),
    (f"SELECT DISTINCT ?o WHERE {{ <{VESTAS}> ?p ?o }}", "long"),
    (f'SELECT ?s WHERE {{ ?s <{SKOS}prefLabel> ?l FILTER(REGEX(?l, "x")) }}', "long"),
    (f"SELECT ?t WHERE {{ <{VESTAS}> <{SKOS}broader>+ ?t }}", "long"),  # a path closure
    (f"SELECT ?x WHERE {{ {{ SELECT ?x WHERE {{ <{VESTAS}> ?p ?x }} }} }}", "long"),
    ("not sparql at all {", "long"),
])
def test_a_query_is_cheap_only_when_every_pattern_is_anchored_and_nothing_costly_is_used(
        query: str, expected: str) -> None:
    assert lane(query) == expected


def test_a_variable_the_server_substitutes_anchors_like_a_constant() -> None:
    query = "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }"
    assert lane(query) == "long"
    assert lane(query, (("this", VESTAS),)) == "cheap"


@pytest.fixture(scope="module")
def oxi(built: BuildResult) -> Iterator[OxigraphStore]:
    yield load_store(built.out)


def test_a_lookup_answers_while_the_general_worker_runs_a_long_query(
        oxi: OxigraphStore) -> None:
    async def scenario() -> tuple[bool, int, bool]:
        pool = WorkerPool(oxi, 1, timeout=60, fast=1)
        await pool.start()
        try:
            long = asyncio.create_task(pool.run(ENDLESS))
            await asyncio.sleep(0.3)  # the general worker is computing
            answer = await asyncio.wait_for(pool.run(LOOKUP), 20)
            still_running = not long.done()
            long.cancel()
            with pytest.raises(asyncio.CancelledError):
                await long
            return still_running, answer.count, answer.body.find(b"true") >= 0
        finally:
            await pool.close()
            pool.kill_all()

    still_running, _count, true = asyncio.run(scenario())
    assert still_running, "the lookup was answered while the long query still ran"
    assert true


def test_a_long_query_never_takes_the_reserved_worker(oxi: OxigraphStore) -> None:
    """With the general worker busy, a second long query waits (here: until the limit) even
    though the reserved worker is idle; without that, two long queries would fill both."""

    async def scenario() -> str:
        pool = WorkerPool(oxi, 1, timeout=0.5, fast=1)
        await pool.start()
        try:
            busy = await pool._acquire("long")
            with pytest.raises(QueryTimeout) as refused:
                await pool.run(ENDLESS)
            pool._give(busy)
            return str(refused.value)
        finally:
            await pool.close()
            pool.kill_all()

    assert "stayed busy" in asyncio.run(scenario())


def test_with_a_cheap_lane_the_general_workers_yield_the_cpu(oxi: OxigraphStore) -> None:
    async def scenario() -> dict[str, list[int]]:
        pool = WorkerPool(oxi, 2, timeout=10, fast=1)
        await pool.start()
        try:
            return {kind: [os.getpriority(os.PRIO_PROCESS, w.pid)
                           for w in (*pool._idle[kind],)] for kind in ("cheap", "long")}
        finally:
            await pool.close()
            pool.kill_all()

    own = os.getpriority(os.PRIO_PROCESS, 0)
    nice = asyncio.run(scenario())
    assert nice["cheap"] == [own]
    assert nice["long"] == [own + LONG_NICENESS] * 2
