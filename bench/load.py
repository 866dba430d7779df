"""The mixed-workload load test: many concurrent clients on queries, dereferencing, pages, dumps.

Used twice with the same code: `make test` runs it for a few seconds against the fixture server
(tests/server/test_load.py: zero errors), `make bench` for 60 s against the real annex
(``python -m bench --load-only``), recording throughput, p50/p99 per kind and the server's
memory after warm-up and at the end: memory that keeps growing under a steady load is a leak.

One `httpx.AsyncClient` with one connection per client, on loopback; every request's status
is checked against what that kind must answer (a 303 for ``/id/``, else 200).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.stats import percentile_ms

JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Call:
    """One request of the mix and the status it must get."""

    method: str
    path: str
    expect: int
    headers: tuple[tuple[str, str], ...] = ()
    data: tuple[tuple[str, str], ...] = ()


def mixed_workload(base: str, resources: list[str]) -> dict[str, Callable[[random.Random], Call]]:
    """Kind → (rng → call). ``resources`` are IRIs under ``{base}id/`` that exist."""
    if not resources:
        raise ValueError("the workload needs at least one resource IRI")

    def pick(r: random.Random) -> str:
        return r.choice(resources)

    def doc(r: random.Random) -> str:
        return "/doc/" + pick(r).removeprefix(base + "id/")

    return {
        "query": lambda r: Call("POST", "/sparql", 200, (("Accept", JSON),), (
            ("query", f"SELECT ?p ?o WHERE {{ <{pick(r)}> ?p ?o }} LIMIT {r.randrange(1, 50)}"),
        )),
        "ask": lambda r: Call("GET", f"/sparql?query=ASK%7B%3C{pick(r)}%3E%3Fp%3Fo%7D", 200,
                              (("Accept", JSON),)),
        "dereference": lambda r: Call("GET", "/id/" + pick(r).removeprefix(base + "id/"), 303,
                                      (("Accept", "text/turtle"),)),
        "rdf": lambda r: Call("GET", doc(r) + r.choice([".ttl", ".jsonld", ".nt"]), 200),
        "page": lambda r: Call("GET", doc(r), 200, (("Accept", "text/html"),
                                                    ("Accept-Language", r.choice(["da", "en"])))),
        "dump": lambda r: Call("GET", "/dumps/vestlod.trig", 200),
        "health": lambda r: Call("GET", "/readyz", 200),
    }


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    found = [pid]
    for p in found:
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                found += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def tree_memory_kb(pid: int) -> dict[str, int]:
    """RSS and PSS of a process and its descendants (the forked workers), in KiB."""
    pids = process_tree(pid)
    rss = pss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return {"rss_kb": rss, "pss_kb": pss, "processes": len(pids)}


async def run_load(
    url: str, workload: dict[str, Callable[[random.Random], Call]], clients: int,
    duration: float, seed: int = 1, on_warm: Callable[[], None] | None = None,
    warmup: float = 0.0,
) -> dict[str, object]:
    """``clients`` loops cycling through the kinds for ``duration`` s (after ``warmup`` s,
    whose requests are not counted; ``on_warm`` runs once between the two)."""
    kinds = list(workload)
    latencies: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, int] = {k: 0 for k in kinds}
    samples: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        async def loop(n: int, until: float, record: bool) -> None:
            rng = random.Random(seed * 1000 + n)
            i = n
            while time.monotonic() < until:
                kind = kinds[i % len(kinds)]
                i += 1
                call = workload[kind](rng)
                t0 = time.perf_counter()
                try:
                    r = await client.request(call.method, call.path, headers=dict(call.headers),
                                             data=dict(call.data) or None)
                    await r.aread()
                    ok = r.status_code == call.expect
                    detail = f"{r.status_code} {r.text[:120]!r}"
                except httpx.HTTPError as exc:
                    ok, detail = False, repr(exc)
                if not record:
                    continue
                if ok:
                    latencies[kind].append(time.perf_counter() - t0)
                else:
                    errors[kind] += 1
                    if len(samples) < 5:
                        samples.append(f"{kind} {call.method} {call.path[:100]}: {detail}")

        if warmup:
            until = time.monotonic() + warmup
            await asyncio.gather(*(loop(n, until, False) for n in range(clients)))
        if on_warm:
            on_warm()
        started = time.monotonic()
        until = started + duration
        await asyncio.gather(*(loop(n, until, True) for n in range(clients)))
        elapsed = time.monotonic() - started
    every = [v for vs in latencies.values() for v in vs]
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(every),
        "rps": round(len(every) / elapsed, 1),
        "errors": sum(errors.values()),
        "error_samples": samples,
        "p50_ms": percentile_ms(every, 0.5),
        "p99_ms": percentile_ms(every, 0.99),
        "per_kind": {
            k: {"n": len(v), "p50_ms": percentile_ms(v, 0.5), "p99_ms": percentile_ms(v, 0.99),
                "mean_ms": round(statistics.fmean(v) * 1000, 2) if v else None,
                "errors": errors[k]}
            for k, v in latencies.items()
        },
    }
