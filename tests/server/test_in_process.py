"""The in-process query pool (``create_app(..., pool="threads")``) that the in-process tests
stand on: it never forks, production still does, and a query error leaves nothing behind."""

from __future__ import annotations

import gc
from pathlib import Path

import httpx
import pytest

from publish.query.store import load_store
from publish.query.workers import ThreadPool, WorkerPool, make_pool
from tests.server.conftest import InProcess, fixture_trig, write_dist


def test_the_pool_kind_is_chosen_by_the_caller_or_else_by_the_store(tmp_path: Path) -> None:
    write_dist(tmp_path / "dist", fixture_trig(2))
    store = load_store(tmp_path / "dist")
    assert isinstance(make_pool(store, 1, 1.0), WorkerPool)  # what `vestlod serve` gets
    assert isinstance(make_pool(store, 1, 1.0, "threads"), ThreadPool)
    with pytest.raises(ValueError, match="pool kind"):
        make_pool(store, 1, 1.0, "processes")  # type: ignore[arg-type]


def test_the_in_process_app_queries_in_threads(asgi: InProcess, asgi_client: httpx.Client) -> None:
    live = asgi.app.state.serving.current
    assert isinstance(live.pool, ThreadPool) and live.pool.pids == ()
    assert asgi_client.get("/readyz").json()["workers"] == 2


def test_a_failed_query_drops_its_engine_iterator_in_its_own_thread(
    asgi_client: httpx.Client,
) -> None:
    """pyoxigraph's iterators may only be dropped by the thread that made them; an error's
    traceback once carried one into the event loop's thread (an unraisable error here)."""
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    for _ in range(3):
        r = asgi_client.get("/sparql", params={"query": construct, "format": "csv"})
        assert r.status_code == 406
    gc.collect()
