"""What a query that can really be stopped costs: the same query in-process and in a worker.

Issue 4 asks for a timeout that frees the CPU, and for its price per query. The server runs
every query in a forked worker (publish/workers.py); this measures, on the real annex, one
label lookup run directly on the store against the same lookup sent through a one-worker pool
(pickle, socket, event loop), sequentially so nothing else competes. The difference of the
medians is the hand-off cost per query. It also times the timeout path: how late past the
limit the caller is answered, and how long until the pool (one worker, so it must be
replaced first) answers again.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.stats import percentile_ms
from publish.errors import QueryTimeout
from publish.query.store import QueryRequest, load_store
from publish.query.workers import WorkerPool

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "dist.bench"
RESULTS = ROOT / "bench" / "results"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"


def run(rounds: int = 3000, trials: int = 5) -> dict[str, object]:
    """Times are reported to the microsecond (3 digits in ms): the figures are sub-millisecond."""
    from bench import pages

    dist = pages.build_annex(WORK / "annex")
    store = load_store(dist)
    result = store.execute(QueryRequest(
        f"SELECT ?l WHERE {{ ?s <{SKOS}prefLabel> ?l FILTER(LANG(?l) = 'da') }}"))
    labels = [b["l"]["value"] for b in json.loads(result.body)["results"]["bindings"]]
    rng = random.Random(4)
    requests = [QueryRequest(
        f'SELECT ?s WHERE {{ ?s <{SKOS}prefLabel> "{rng.choice(labels)}"@da }}')
        for _ in range(rounds)]

    direct: list[float] = []
    for req in requests:
        t0 = time.perf_counter()
        store.execute(req)
        direct.append(time.perf_counter() - t0)

    async def through_pool() -> tuple[list[float], list[float], list[float]]:
        pool = WorkerPool(store, 1, timeout=10)
        await pool.start()
        via: list[float] = []
        try:
            for req in requests:
                t0 = time.perf_counter()
                await pool.run(req)
                via.append(time.perf_counter() - t0)
        finally:
            await pool.close()
            pool.kill_all()
        limited = WorkerPool(store, 1, timeout=0.5)
        await limited.start()
        overrun: list[float] = []
        recovery: list[float] = []
        try:
            for _ in range(trials):
                t0 = time.perf_counter()
                try:
                    await limited.run(QueryRequest(ENDLESS))
                except QueryTimeout:
                    pass
                t1 = time.perf_counter()
                await limited.run(requests[0])
                t2 = time.perf_counter()
                overrun.append(t1 - t0 - 0.5)
                recovery.append(t2 - t1)
        finally:
            await limited.close()
            limited.kill_all()
        return via, overrun, recovery

    via, overrun, recovery = asyncio.run(through_pool())
    when = datetime.now(UTC).isoformat(timespec="seconds")
    report = {
        "when": when,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "dataset": "annex", "rounds": rounds,
        "in_process": {"p50_ms": percentile_ms(direct, 0.5, 3),
                       "p99_ms": percentile_ms(direct, 0.99, 3)},
        "worker": {"p50_ms": percentile_ms(via, 0.5, 3), "p99_ms": percentile_ms(via, 0.99, 3)},
        "cost_per_query_ms": round((statistics.median(via) - statistics.median(direct)) * 1000,
                                   3),
        "timeout": {"limit_s": 0.5, "answered_late_ms_median": percentile_ms(overrun, 0.5, 3),
                    "next_answer_ms_median": percentile_ms(recovery, 0.5, 3)},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"workers-{when.replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    inproc, worker, timeout = report["in_process"], report["worker"], report["timeout"]
    print(f"label lookup in-process: p50 {inproc['p50_ms']} ms; through a worker: p50 "
          f"{worker['p50_ms']} ms; cost per query {report['cost_per_query_ms']} ms")
    print(f"timeout at 0.5 s: answered {timeout['answered_late_ms_median']} ms late; next "
          f"answer after {timeout['next_answer_ms_median']} ms (worker killed and re-forked)")
    print(f"results: {out.relative_to(ROOT)}")
    return report


if __name__ == "__main__":
    run()
