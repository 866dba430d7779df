"""`make bench`: the endpoint under a fixed query mix, against the Oxigraph server,
rdflib-endpoint and a raw Virtuoso 7 loaded with the same data, in the same run.

    python -m bench [--triples 1000000] [--duration 10] [--clients 1,8] [--skip-rdflib]
                    [--endpoint-only]

Every server gets the same synthetic dataset (bench/synthetic.py) and the same mix: label
lookup, resource description, 2–3 hop join, aggregation, text filter, paging, property path,
each with a random parameter so no answer repeats. Ours runs with its result cache off for the
headline numbers, then once more with the cache on over a small set of repeated queries. The
competitors are installed into their own venv (dist.bench/others) with pip, if they install.
Virtuoso, where ``virtuoso-t`` is installed (``make store-env``), is started the way the tests
start it (tests/virtuoso.py) and fed the same TriG by its own bulk loader (``ld_dir`` +
``rdf_loader_run``); its default graph is the union of the named graphs, as ours is. The
summary prints vestlod/Virtuoso per query kind (p50) and in throughput at each client count.
Reported: throughput, p50/p99 per query kind, errors, server RSS. JSON in bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox

from bench import synthetic
from bench.stats import percentile_ms

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "dist.bench"  # ignored by git (dist.*/)
RESULTS = ROOT / "bench" / "results"
OTHERS = WORK / "others"
B = synthetic.BASE
P = (
    f"PREFIX vl: <{B}def/vestlod#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX oa: <http://www.w3.org/ns/oa#> "
)


def mix(units: int) -> dict[str, Callable[[random.Random], tuple[str, str]]]:
    """Query kind → (rng → (query, accept)). Parameters drawn per call."""
    json_ = "application/sparql-results+json"

    def actor(r: random.Random) -> str:
        return f"<{B}id/actor/a{r.randrange(units)}>"

    return {
        "label": lambda r: (
            P + f'SELECT ?s WHERE {{ ?s skos:prefLabel "Aktør {r.randrange(units)}"@da }}', json_),
        "describe": lambda r: (
            f"CONSTRUCT {{ {(a := actor(r))} ?p ?o }} WHERE {{ {a} ?p ?o }}", "text/turtle"),
        "join": lambda r: (
            P + f"SELECT ?other ?label ?areaLabel WHERE {{ {actor(r)} vl:cooperatesWith ?other . "
            "?other skos:prefLabel ?label ; vl:businessArea ?area . ?area skos:prefLabel "
            '?areaLabel FILTER(lang(?label) = "en" && lang(?areaLabel) = "en") }', json_),
        "aggregate": lambda r: (
            P + "SELECT ?area (COUNT(?a) AS ?n) WHERE { ?a vl:businessArea ?area ; org:basedAt "
            f"<http://data.europa.eu/nuts/code/{r.choice(synthetic.REGIONS)}> }} GROUP BY ?area",
            json_),
        "text": lambda r: (
            P + "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l "
            f'FILTER(CONTAINS(?l, "r {r.randrange(100, 999)}")) }} LIMIT 20', json_),
        "paging": lambda r: (
            P + "SELECT ?s ?l WHERE { ?s a vl:StrengthPosition ; skos:prefLabel ?l "
            f'FILTER(lang(?l) = "da") }} ORDER BY ?l LIMIT 50 OFFSET {r.randrange(0, units // 20)}',
            json_),
        "path": lambda r: (
            P + f"SELECT ?top WHERE {{ {actor(r)} org:unitOf+ ?top }}", json_),
    }


@dataclass
class Target:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    load_seconds: float
    extra: dict[str, object] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Memory of a process and its forked workers in MiB: PSS (shared pages counted once) where
    the kernel reports it, else RSS (which over-states ours)."""
    from bench.load import tree_memory_kb

    memory = tree_memory_kb(pid)
    kb = memory["pss_kb"] or memory["rss_kb"]
    return round(kb / 1024, 1)


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            r = httpx.post(url, data={"query": "ASK { ?s ?p ?o }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=5)
            if r.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s")


def start_ours(dist: Path, cache_mb: int, fast_workers: int | None = None) -> Target:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VESTLOD_")}
    env.update({"VESTLOD_CACHE_MB": str(cache_mb), "VESTLOD_RESULT_CAP": "100000",
                "VESTLOD_RELOAD_INTERVAL": "0", "VESTLOD_QUERY_TIMEOUT": "30"})
    if fast_workers is not None:
        env["VESTLOD_QUERY_FAST_WORKERS"] = str(fast_workers)
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/vestlod"), "serve", "--port", str(port), "--dist", str(dist)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=WORK)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_ready(url, proc, 600)
    name = "vestlod" + ("" if cache_mb == 0 else "+cache") + ("-1lane" if fast_workers == 0
                                                              else "")
    return Target(name, url, proc, time.monotonic() - started)


def install_others() -> bool:
    if (OTHERS / "bin/oxigraph").exists() and (OTHERS / "bin/rdflib-endpoint").exists():
        return True
    try:
        subprocess.run([sys.executable, "-m", "venv", str(OTHERS)], check=True)
        subprocess.run([str(OTHERS / "bin/pip"), "install", "--quiet", "oxigraph",
                        "rdflib-endpoint[cli]", "click", "uvicorn"], check=True)
        return True
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"note: could not install the competitors ({exc}); benchmarking ours only")
        return False


def start_oxigraph(trig: Path) -> Target | None:
    binary = OTHERS / "bin/oxigraph"
    if not binary.exists():
        return None
    location = WORK / f"oxigraph-{trig.parent.name}"
    started = time.monotonic()
    if not (location / ".complete").exists():
        shutil.rmtree(location, ignore_errors=True)
        subprocess.run([str(binary), "load", "--location", str(location), "--file", str(trig)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        (location / ".complete").touch()
    port = free_port()
    proc = subprocess.Popen(
        [str(binary), "serve-read-only", "--location", str(location), "--bind",
         f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "30"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    wait_ready(url, proc, 120)
    return Target("oxigraph-server", url, proc, time.monotonic() - started)


def start_rdflib(trig: Path) -> Target | None:
    binary = OTHERS / "bin/rdflib-endpoint"
    if not binary.exists():
        return None
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), str(trig)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    wait_ready(url, proc, 1800)
    return Target("rdflib-endpoint", url, proc, time.monotonic() - started)


def start_virtuoso(dist: Path) -> Target | None:
    """A raw Virtuoso over ``dist/vestlod.trig``, bulk-loaded; None where it is not installed.

    Its load time is the bulk loader's (plus a checkpoint), not counting database creation."""
    from tests import virtuoso

    if virtuoso.available() is not None:
        print(f"note: no Virtuoso column: {virtuoso.available()}")
        return None
    root = WORK / f"virtuoso-{dist.name}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    server = virtuoso.start(root, dirs_allowed=(dist.absolute(),), memory_mb=2048, timeout=180)
    try:
        started = time.monotonic()
        virtuoso.bulk_load(server, dist.absolute(), "vestlod.trig", synthetic.BASE + "graph/")
        loaded = time.monotonic() - started
        wait_ready(server.sparql, server.process, 60)
    except BaseException:
        server.stop()
        raise
    return Target("virtuoso", server.sparql, server.process, loaded)


def stop(target: Target) -> None:
    target.process.send_signal(signal.SIGTERM)
    try:
        target.process.wait(10)
    except subprocess.TimeoutExpired:
        target.process.kill()
        target.process.wait()


async def drive(
    url: str, queries: dict[str, Callable[[random.Random], tuple[str, str]]],
    clients: int, duration: float, seed: int, repeat_pool: int = 0,
) -> dict[str, object]:
    """``clients`` concurrent loops, each cycling through the mix until ``duration`` is up."""
    latencies: dict[str, list[float]] = {k: [] for k in queries}
    errors: dict[str, int] = {k: 0 for k in queries}
    kinds = list(queries)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        deadline = time.monotonic() + duration

        async def loop(n: int) -> None:
            rng = random.Random(seed * 1000 + n)
            i = n
            while time.monotonic() < deadline:
                kind = kinds[i % len(kinds)]
                i += 1
                # For the cached run, draw parameters from a small fixed pool so queries repeat.
                prng = random.Random(rng.randrange(repeat_pool)) if repeat_pool else rng
                query, accept = queries[kind](prng)
                t0 = time.perf_counter()
                try:
                    r = await client.post(url, data={"query": query}, headers={"Accept": accept})
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies[kind].append(time.perf_counter() - t0)
                else:
                    errors[kind] += 1

        started = time.monotonic()
        await asyncio.gather(*(loop(n) for n in range(clients)))
        elapsed = time.monotonic() - started

    done = sum(len(v) for v in latencies.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "queries": done,
        "qps": round(done / elapsed, 1),
        "errors": sum(errors.values()),
        "per_kind": {
            k: {"n": len(v), "p50_ms": percentile_ms(v, 0.5), "p99_ms": percentile_ms(v, 0.99),
                "mean_ms": round(statistics.fmean(v) * 1000, 2) if v else None,
                "errors": errors[k]}
            for k, v in latencies.items()
        },
    }


def timeout_cost(url: str, trials: int = 5) -> dict[str, float]:
    """What a stopped query costs: time from the limit to the answer, and to the next answer."""
    endless = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
        f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"
    overrun: list[float] = []
    recovery: list[float] = []
    for _ in range(trials):
        t0 = time.perf_counter()
        r = httpx.post(url, data={"query": endless}, timeout=60)
        t1 = time.perf_counter()
        ok = httpx.post(url, data={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        t2 = time.perf_counter()
        if r.status_code == 503 and ok.status_code == 200:
            overrun.append((t1 - t0) - 1.0)
            recovery.append(t2 - t1)
    return {
        "limit_s": 1.0,
        "overrun_ms_median": round(statistics.median(overrun) * 1000, 1) if overrun else -1,
        "next_query_ms_median": round(statistics.median(recovery) * 1000, 1) if recovery else -1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--skip-rdflib", action="store_true",
                        help="rdflib-endpoint needs minutes to load 1M triples")
    parser.add_argument("--skip-others", action="store_true")
    parser.add_argument("--skip-pages", action="store_true",
                        help="skip the organisation-page render benchmark on the annex")
    parser.add_argument("--pages-only", action="store_true",
                        help="only the organisation-page render benchmark (a few seconds)")
    parser.add_argument("--skip-load", action="store_true",
                        help="skip the mixed-workload load test on the annex")
    parser.add_argument("--load-only", action="store_true",
                        help="only the mixed-workload load test (--load-seconds, 32 clients)")
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--labels-only", action="store_true",
                        help="only label lookups on the annex at 1 and 8 clients, uncached")
    parser.add_argument("--search-only", action="store_true",
                        help="only /search on the annex: in-process and over HTTP, p50/p99")
    parser.add_argument("--workers-only", action="store_true",
                        help="only the cost of running a query in a killable worker (annex)")
    parser.add_argument("--skip-validation", action="store_true",
                        help="skip the SHACL timing (annex, 100k, 1M; bench/validation.py)")
    parser.add_argument("--skip-virtuoso", action="store_true")
    parser.add_argument("--endpoint-only", action="store_true",
                        help="only the endpoint comparison (no labels, pages, search, load…)")
    parser.add_argument("--fast-workers", type=int, default=None,
                        help="vestlod's query_fast_workers (default: the setting's default)")
    parser.add_argument("--one-lane", action="store_true",
                        help="also vestlod with query_fast_workers=0 (the lanes' baseline)")
    args = parser.parse_args()
    if args.pages_only:
        bench_pages()
        return
    if args.labels_only:
        bench_labels()
        return
    if args.search_only:
        bench_search()
        return
    if args.load_only:
        bench_load(args.load_seconds)
        return
    if args.workers_only:
        from bench import workers

        workers.run()
        return
    clients = [int(c) for c in args.clients.split(",")]
    WORK.mkdir(exist_ok=True)
    dist = WORK / f"synthetic-{args.triples}"
    t0 = time.monotonic()
    trig = synthetic.write(dist, args.triples)
    units = synthetic.units_for(args.triples)
    print(f"data: {trig} ({trig.stat().st_size / 1e6:.0f} MB, made in {time.monotonic()-t0:.0f} s)")
    queries = mix(units)
    report: dict[str, object] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "triples_requested": args.triples, "duration_s": args.duration, "servers": {},
    }
    servers: dict[str, dict[str, object]] = report["servers"]  # type: ignore[assignment]

    fast = args.fast_workers
    starters: list[Callable[[], Target | None]] = [lambda: start_ours(dist, 0, fast)]
    if args.one_lane:
        starters.append(lambda: start_ours(dist, 0, 0))
    if not args.skip_virtuoso:
        starters.append(lambda: start_virtuoso(dist))
    if not args.skip_others and install_others():
        starters.append(lambda: start_oxigraph(trig))
        if not args.skip_rdflib:
            starters.append(lambda: start_rdflib(trig))
    starters.append(lambda: start_ours(dist, 256, fast))

    for start in starters:
        try:
            target = start()
        except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
            print(f"note: a server did not start: {exc}")
            continue
        if target is None:
            continue
        print(f"{target.name}: ready in {target.load_seconds:.1f} s at {target.url}")
        entry: dict[str, object] = {"load_s": round(target.load_seconds, 1), "runs": []}
        try:
            for n in clients:
                repeat = 50 if target.name.endswith("+cache") else 0
                asyncio.run(drive(target.url, queries, n, min(2.0, args.duration), 7, repeat))
                run = asyncio.run(drive(target.url, queries, n, args.duration, 1, repeat))
                run["rss_mb"] = rss_mb(target.process.pid)
                entry["runs"].append(run)  # type: ignore[attr-defined]
                print(f"  {n} client(s): {run['qps']} q/s, errors {run['errors']}, "
                      f"memory {run['rss_mb']} MB")
            if target.name == "vestlod":
                entry["timeout_cost"] = timeout_cost_for(dist)
        finally:
            stop(target)
        servers[target.name] = entry

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"endpoint-{args.triples}-{report['when'].replace(':', '')}.json"  # type: ignore[union-attr]
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_summary(report, clients)
    print(f"results: {out.relative_to(ROOT)}")
    if args.endpoint_only:
        return
    bench_labels()
    from bench import workers

    workers.run()
    if not args.skip_pages:
        bench_pages()
    bench_search()
    if not args.skip_load:
        bench_load(args.load_seconds)
    if not args.skip_validation:
        from bench import validation

        validation.run()


def bench_labels(seconds: float = 10.0) -> dict[str, object]:
    """Label lookups alone on the annex, uncached, at 1 and 8 clients (issue 4's p99 target).

    The labels are the real Danish preferred labels of the annex's organisations, drawn at
    random per request; the result cache is off, so every request runs in a query worker.
    """
    from bench import pages

    WORK.mkdir(exist_ok=True)
    dist = pages.build_annex(WORK / "annex")
    store, orgs = pages.organisations(dist)
    labels = sorted({
        q.object.value for org in orgs
        for q in store.quads_for_pattern(
            ox.NamedNode(org), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
            None, None)
        if isinstance(q.object, ox.Literal) and q.object.language == "da"})

    def label_query(r: random.Random) -> tuple[str, str]:
        text = r.choice(labels).replace("\\", "\\\\").replace('"', '\\"')
        return (P + f'SELECT ?s WHERE {{ ?s skos:prefLabel "{text}"@da }}',
                "application/sparql-results+json")

    when = datetime.now(UTC).isoformat(timespec="seconds")
    target = start_ours(dist, 0)
    runs = []
    wrk_runs: list[dict[str, object]] = []
    try:
        asyncio.run(drive(target.url, {"label": label_query}, 8, 2.0, 5))  # warm-up
        for clients in (1, 8):
            runs.append(asyncio.run(drive(target.url, {"label": label_query}, clients,
                                          seconds, 11)))
        if shutil.which("wrk"):
            # The Python client above shares the 2 cores with the server; wrk (C) barely
            # loads them, so its latencies are closer to what the server itself costs.
            for clients in (1, 8):
                wrk_runs.append(wrk_labels(target.url, labels[:50], clients, seconds))
    finally:
        stop(target)
    report = {"when": when, "machine": {"cpus": os.cpu_count(),
                                        "python": platform.python_version()},
              "dataset": "annex", "labels": len(labels), "cache": "off", "runs": runs,
              "wrk": wrk_runs}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"labels-{when.replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    for run in runs:
        kind = run["per_kind"]["label"]  # type: ignore[index]
        print(f"label lookup, annex, {run['clients']} client(s): {run['qps']} q/s, "
              f"p50 {kind['p50_ms']} ms, p99 {kind['p99_ms']} ms, errors {run['errors']}")
    for run in wrk_runs:
        print(f"label lookup, annex, wrk {run['clients']} connection(s): {run['rps']} req/s, "
              f"p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms")
    print(f"results: {out.relative_to(ROOT)}")
    return report


def wrk_labels(url: str, labels: list[str], clients: int, seconds: float) -> dict[str, object]:
    """Label lookups driven by wrk with a Lua script cycling through ``labels``."""
    from urllib.parse import quote

    bodies = ["query=" + quote(P + 'SELECT ?s WHERE { ?s skos:prefLabel "'
                               + label.replace("\\", "\\\\").replace('"', '\\"') + '"@da }',
                               safe="")
              for label in labels]
    script = WORK / "labels.lua"
    script.write_text(
        "local bodies = {" + ",".join(json.dumps(b) for b in bodies) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  return wrk.format("POST", nil, {["Content-Type"]="application/x-www-form-urlencoded",'
        ' ["Accept"]="application/sparql-results+json"}, bodies[(i % #bodies) + 1])\n'
        "end\n")
    out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{int(seconds)}s", "--latency",
                          "-s", str(script), url], capture_output=True, text=True, check=True)

    def ms(text: str) -> float:
        value = float(text.rstrip("mus"))
        return value / 1000 if text.endswith("us") else value * 1000 if text.endswith(
            "s") and not text.endswith("ms") else value

    lat = dict(line.split() for line in out.stdout.splitlines()
               if line.strip().endswith(("ms", "us", "s")) and line.strip()[:3].rstrip("%")
               .isdigit() and "%" in line)
    rps = next(float(line.split()[1]) for line in out.stdout.splitlines()
               if line.startswith("Requests/sec:"))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out.stdout))
    return {"clients": clients, "rps": rps, "p50_ms": round(ms(lat["50%"]), 2),
            "p99_ms": round(ms(lat["99%"]), 2), "non_2xx": errors}


def bench_load(seconds: float, clients: int = 32) -> None:
    """The mixed workload (queries, dereferencing, pages, dumps) on the annex for ``seconds``
    after a 10 s warm-up: zero errors expected, memory at the end within 10 % of warm-up."""
    from bench import load, pages

    WORK.mkdir(exist_ok=True)
    dist = pages.build_annex(WORK / "annex")
    _, orgs = pages.organisations(dist)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    target = start_ours(dist, 64)
    memory: dict[str, dict[str, int]] = {}
    try:
        memory["start"] = load.tree_memory_kb(target.process.pid)
        workload = load.mixed_workload(synthetic.BASE, orgs)
        result = asyncio.run(load.run_load(
            target.url.removesuffix("/sparql"), workload, clients, seconds, seed=3, warmup=10,
            on_warm=lambda: memory.__setitem__("warm", load.tree_memory_kb(target.process.pid))))
        memory["end"] = load.tree_memory_kb(target.process.pid)
    finally:
        stop(target)
    growth = (memory["end"]["rss_kb"] - memory["warm"]["rss_kb"]) / memory["warm"]["rss_kb"]
    report = {"when": when, "machine": {"cpus": os.cpu_count(),
                                        "python": platform.python_version()},
              "resources": len(orgs), **result, "memory": memory,
              "rss_growth_after_warmup": round(growth, 4), "rss_flat": abs(growth) <= 0.10}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{when.replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    mib = {k: round(v["rss_kb"] / 1024, 1) for k, v in memory.items()}
    print(f"\nload ({clients} clients, {result['seconds']} s, {len(orgs)} organisations): "
          f"{result['rps']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
          f"errors {result['errors']}")
    print(f"  RSS MiB start/warm/end: {mib['start']} / {mib['warm']} / {mib['end']} "
          f"(growth after warm-up {growth:+.1%})")
    for kind, k in result["per_kind"].items():  # type: ignore[attr-defined]
        print(f"  {kind:<12} n={k['n']:<6} p50 {k['p50_ms']} ms  p99 {k['p99_ms']} ms  "
              f"errors {k['errors']}")
    print(f"results: {out.relative_to(ROOT)}")


def bench_pages() -> None:
    """Organisation pages of the real annex: render alone, over HTTP uncached and cached."""
    from bench import pages

    WORK.mkdir(exist_ok=True)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    result = pages.run(WORK, free_port(), free_port())
    report = {"when": when, "machine": {"cpus": os.cpu_count(),
                                        "python": platform.python_version()}, **result}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"pages-{when.replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\norganisation pages ({result['organisations']} on the annex), p50/p99 ms:")
    for name in ("render", "http_uncached", "http_cached"):
        r = result[name]
        print(f"  {name:<14} {r['p50_ms']:>7} / {r['p99_ms']:<7} (n={r['n']})")  # type: ignore[index]
    print(f"results: {out.relative_to(ROOT)}")


def bench_search() -> None:
    """/search on the annex, p50/p99 in-process and over HTTP beside /healthz (bench/search.py)."""
    from bench import search

    WORK.mkdir(exist_ok=True)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    result = search.run(WORK, free_port())
    report = {"when": when, "machine": {"cpus": os.cpu_count(),
                                        "python": platform.python_version()}, **result}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"search-{when.replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nsearch ({result['queries']} queries x {result['rounds']} rounds), p50/p99 ms:")
    for name in ("index", "http_search", "http_healthz"):
        r = result[name]
        print(f"  {name:<13} {r['p50_ms']:>7} / {r['p99_ms']:<7} (n={r['n']})")  # type: ignore[index]
    print(f"results: {out.relative_to(ROOT)}")


def timeout_cost_for(dist: Path) -> dict[str, float]:
    """A separate vestlod with a 1 s limit measures what a stopped query costs."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VESTLOD_")}
    env.update({"VESTLOD_QUERY_TIMEOUT": "1", "VESTLOD_CACHE_MB": "0",
                "VESTLOD_RELOAD_INTERVAL": "0"})
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/vestlod"), "serve", "--port", str(port), "--dist", str(dist)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=WORK)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_ready(url, proc, 600)
        return timeout_cost(url)
    finally:
        stop(Target("t", url, proc, 0))


def print_summary(report: dict[str, object], clients: list[int]) -> None:
    servers: dict[str, dict[str, object]] = report["servers"]  # type: ignore[assignment]
    kinds: list[str] = []
    print()
    header = f"{'server':<18}{'clients':>8}{'q/s':>9}{'errors':>8}{'MB':>8}  p50/p99 ms per kind"
    print(header)
    print("-" * len(header) + "-" * 40)
    for name, entry in servers.items():
        for run in entry["runs"]:  # type: ignore[attr-defined]
            per = run["per_kind"]
            kinds = list(per)
            cells = " ".join(f"{k}={per[k]['p50_ms']}/{per[k]['p99_ms']}" for k in kinds)
            print(f"{name:<18}{run['clients']:>8}{run['qps']:>9}{run['errors']:>8}"
                  f"{run['rss_mb']:>8}  {cells}")
    ours = servers.get("vestlod")
    if ours:
        for other in ("virtuoso", "oxigraph-server", "rdflib-endpoint", "vestlod-1lane",
                      "vestlod+cache"):
            if other not in servers:
                continue
            for ro, rt in zip(ours["runs"], servers[other]["runs"], strict=False):  # type: ignore[call-overload]
                if rt["qps"]:
                    print(f"vestlod / {other} at {ro['clients']} clients: "
                          f"{ro['qps'] / rt['qps']:.2f}x")
        if "timeout_cost" in ours:
            print(f"timeout cost: {ours['timeout_cost']}")
        for name in ("vestlod", "vestlod-1lane"):
            if name in servers and "virtuoso" in servers:
                print_ratios(name, servers[name], servers["virtuoso"])


def print_ratios(name: str, ours: dict[str, object], peer: dict[str, object]) -> None:
    """vestlod/Virtuoso per query kind: p50 latency ratio (below 1: we answer faster) and the
    throughput ratio (above 1: we serve more), measured in the same run."""
    print(f"\n{name} / virtuoso, p50 per kind (ms, ratio; < 1 is vestlod faster) and q/s:")
    for ro, rv in zip(ours["runs"], peer["runs"], strict=False):  # type: ignore[call-overload]
        cells = []
        for kind, k in ro["per_kind"].items():
            mine, theirs = k["p50_ms"], rv["per_kind"][kind]["p50_ms"]
            ratio = f"{mine / theirs:.2f}x" if mine and theirs else "n/a"
            cells.append(f"{kind} {mine}/{theirs} = {ratio}")
        qps = f"{ro['qps'] / rv['qps']:.2f}x" if rv["qps"] else "n/a"
        print(f"  {ro['clients']} client(s): q/s {ro['qps']}/{rv['qps']} = {qps}; "
              + "; ".join(cells))


if __name__ == "__main__":
    main()
