"""The query worker pool: real forked workers over the built annex, driven on one event loop.

The server tests show the pool from outside (timeouts, 503s, freed CPU); these pin down how
it shares its workers, which decides the latency tail under load.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from publish.build.pipeline import BuildResult
from publish.errors import QueryTimeout
from publish.query.store import OxigraphStore, QueryRequest, load_store
from publish.query.workers import WorkerPool

LABELS = QueryRequest(
    "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } LIMIT 1"
)
CROSS_PRODUCT = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")


@pytest.fixture(scope="module")
def oxi(built: BuildResult) -> Iterator[OxigraphStore]:
    yield load_store(built.out)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_a_freed_worker_goes_to_the_oldest_waiting_request_not_a_newcomer(
    oxi: OxigraphStore,
) -> None:
    """A newcomer scheduled before the waiter wakes must not take the worker: with a plain
    asyncio.Queue it did, and a waiter could lose its turn again and again (the cause of a
    300 ms p99 at 8 clients)."""

    async def scenario() -> list[str]:
        pool = WorkerPool(oxi, 1, timeout=10)
        await pool.start()
        order: list[str] = []

        async def ask(name: str) -> None:
            await pool.run(LABELS)
            order.append(name)

        try:
            busy = await pool._acquire()  # the only worker is taken, as by a running query
            waiter = asyncio.create_task(ask("waiter"))
            await asyncio.sleep(0.05)  # the waiter is now queued
            newcomer = asyncio.create_task(ask("newcomer"))  # scheduled, not yet running
            pool._give(busy)  # the worker comes back in the same tick
            await asyncio.gather(waiter, newcomer)
        finally:
            await pool.close()
            pool.kill_all()
        return order

    assert asyncio.run(scenario()) == ["waiter", "newcomer"]


def test_waiting_longer_than_the_time_limit_is_a_timeout_and_loses_no_worker(
    oxi: OxigraphStore,
) -> None:
    async def scenario() -> tuple[str, int, int]:
        pool = WorkerPool(oxi, 1, timeout=0.3)
        await pool.start()
        try:
            busy = await pool._acquire()
            with pytest.raises(QueryTimeout) as refused:
                await pool.run(LABELS)
            pool._give(busy)
            answer = await pool.run(LABELS)
            return str(refused.value), answer.count, len(pool.pids)
        finally:
            await pool.close()
            pool.kill_all()

    message, count, workers = asyncio.run(scenario())
    assert "stayed busy" in message
    assert count == 1
    assert workers == 1


def test_a_request_cancelled_mid_query_kills_its_worker_and_the_pool_keeps_its_size(
    oxi: OxigraphStore,
) -> None:
    """A client that goes away must not leave a worker computing a query nobody waits for."""

    async def scenario() -> tuple[int, tuple[int, ...], int]:
        pool = WorkerPool(oxi, 1, timeout=30)
        await pool.start()
        try:
            (first,) = pool.pids
            running = asyncio.create_task(pool.run(CROSS_PRODUCT))
            await asyncio.sleep(0.3)
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
            answer = await pool.run(LABELS)
            return first, pool.pids, answer.count
        finally:
            await pool.close()
            pool.kill_all()

    first, now, count = asyncio.run(scenario())
    assert not _alive(first)
    assert len(now) == 1 and now[0] != first
    assert count == 1
