"""A short load test in `make test`: 32 concurrent clients for a few seconds on the mixed
workload (queries, dereferencing, RDF, pages, dumps, readiness) against the real server:
zero errors. The 60 s version with memory figures is `make bench` (bench/load.py)."""

from __future__ import annotations

import asyncio

import pytest

from bench.load import mixed_workload, run_load, tree_memory_kb
from tests.server.conftest import BASE, Server

CLIENTS = 32
SECONDS = 3.0


@pytest.mark.slow  # seconds of load on purpose; `make test` runs it, `make test-fast` does not
def test_32_concurrent_clients_on_the_mixed_workload_get_no_errors(server: Server) -> None:
    resources = [f"{BASE}id/actor/a{i}" for i in range(12)]
    workload = mixed_workload(BASE, resources)
    before = tree_memory_kb(server.process.pid)
    report = asyncio.run(run_load(server.url, workload, CLIENTS, SECONDS, warmup=0.5))
    after = tree_memory_kb(server.process.pid)
    print(f"\nload: {report['rps']} req/s, p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms, "
          f"RSS {before['rss_kb'] // 1024} -> {after['rss_kb'] // 1024} MiB")
    assert report["errors"] == 0, report["error_samples"]
    per_kind = report["per_kind"]
    assert all(v["n"] > 0 for v in per_kind.values()), per_kind  # type: ignore[attr-defined]
    assert report["p99_ms"] is not None and report["p99_ms"] < 10_000  # a sanity bound: CI machines are shared
