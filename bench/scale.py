"""`make bench-scale`: how cost grows with data, for the embedded store and Virtuoso behind us.

    python -m bench.scale [--sizes 10000,100000,1000000] [--duration 8] [--clients 1,8]
                          [--seed 1] [--deref 40]

For each size, the same deterministic synthetic dataset (bench/synthetic.py, seeded) is

* served by ``vestlod serve --dist`` (embedded pyoxigraph, in memory), and
* loaded into a fresh Virtuoso with ``vestlod load --store`` (Graph Store Protocol, counts
  verified) and served by ``vestlod serve --store`` — the same front, the same query mix.

Measured per size and store: load time (process start to ready / `vestlod load`), store size
on disk (the TriG for the in-memory store, Virtuoso's database files after a checkpoint),
server RSS (PSS where available; front + Virtuoso for the remote store), query-mix throughput
and p50/p99 at each client count (result cache off), and the p50 of a dereference
(``/doc/actor/…​.nt``: the full resource description, not cached), plus SHACL validation time
of the dataset where it finishes in reasonable time (``--validate-max``). JSON and a log–log
plot of every figure against size go to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import synthetic
from bench.__main__ import RESULTS, ROOT, WORK, drive, free_port, mix, rss_mb, stop, wait_ready
from bench.stats import percentile_ms
from tests import virtuoso

VESTLOD = str(ROOT / ".venv/bin/vestlod")


def serve(dist: Path, store_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes],
                                                                         str, float]:
    """Start `vestlod serve` (cache off) over ``dist`` or the remote store in ``store_env``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VESTLOD_")}
    env.update({"VESTLOD_CACHE_MB": "0", "VESTLOD_RESULT_CAP": "100000",
                "VESTLOD_RELOAD_INTERVAL": "0", "VESTLOD_QUERY_TIMEOUT": "60"})
    env.update(store_env or {})
    started = time.monotonic()
    proc = subprocess.Popen([VESTLOD, "serve", "--port", str(port), "--dist", str(dist)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=WORK)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base + "/sparql", proc, 1800)
    return proc, base, time.monotonic() - started


def deref_p50(base: str, units: int, n: int, seed: int, budget: float = 60.0) -> dict[str, Any]:
    """p50/p99 of ``GET /doc/actor/a{i}.nt`` over ``n`` random actors (sequential, uncached)."""
    rng = random.Random(seed)
    times: list[float] = []
    errors = 0
    deadline = time.monotonic() + budget
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(n):
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            r = client.get(f"/doc/actor/a{rng.randrange(units)}.nt")
            if r.status_code == 200 and r.content:
                times.append(time.perf_counter() - t0)
            else:
                errors += 1
    times.sort()
    return {
        "n": len(times), "errors": errors,
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p99_ms": percentile_ms(times, 0.99, digits=1),
    }


def run_mix(url: str, units: int, clients: list[int], duration: float, seed: int
            ) -> dict[str, Any]:
    out = {}
    for c in clients:
        result = asyncio.run(drive(url, mix(units), c, duration, seed))
        p50s = [k["p50_ms"] for k in result["per_kind"].values() if k["p50_ms"] is not None]
        p99s = [k["p99_ms"] for k in result["per_kind"].values() if k["p99_ms"] is not None]
        result["mix_p50_ms"] = round(statistics.median(p50s), 2) if p50s else None
        result["mix_p99_ms"] = max(p99s) if p99s else None
        out[str(c)] = result
    return out


def validation_seconds(dist: Path) -> float:
    """SHACL gate over the synthetic data with the project's shapes (violations are expected:
    the synthetic data is shaped for queries, not curated; the time is what matters)."""
    from publish.build.validate import load_dist, run_shacl, shapes_graph
    from publish.config import load_settings

    settings = load_settings(environ={}, toml_path=ROOT / "no-such.toml",
                             overrides={"data_dir": ROOT / "data", "shapes_dir": ROOT / "shapes",
                                        "ontology_dir": ROOT / "ontology"})
    data = load_dist(dist)
    started = time.monotonic()
    run_shacl(data, shapes_graph(settings))
    return round(time.monotonic() - started, 2)


def measure(size: int, args: argparse.Namespace) -> dict[str, Any]:
    dist = WORK / f"scale-{size}-seed{args.seed}" / "dist"
    t0 = time.monotonic()
    trig = synthetic.write(dist, size, args.seed)
    units = synthetic.units_for(size)
    print(f"[{size}] synthetic data ready in {time.monotonic() - t0:.1f} s ({trig})", flush=True)
    row: dict[str, Any] = {"size": size, "units": units, "trig_bytes": trig.stat().st_size}
    clients = [int(c) for c in args.clients.split(",")]

    # --- embedded ----------------------------------------------------------------------
    proc, base, load_s = serve(dist)
    try:
        quads = httpx.get(base + "/readyz", timeout=10).json()["quads"]
        row["triples"] = quads
        emb: dict[str, Any] = {"load_seconds": round(load_s, 2),
                               "disk_bytes": trig.stat().st_size,
                               "rss_mb": rss_mb(proc.pid)}
        emb["mix"] = run_mix(base + "/sparql", units, clients, args.duration, args.seed)
        emb["deref"] = deref_p50(base, units, args.deref, args.seed)
        emb["rss_mb_after"] = rss_mb(proc.pid)
    finally:
        stop_proc(proc)
    row["embedded"] = emb
    print(f"[{size}] embedded: {summary(emb)}", flush=True)

    # --- Virtuoso behind the same front ----------------------------------------------------
    vroot = WORK / f"virtuoso-{size}"
    subprocess.run(["rm", "-rf", str(vroot)], check=True)
    vroot.mkdir(parents=True)
    server = virtuoso.start(vroot, memory_mb=args.virtuoso_mb)
    try:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("VESTLOD_")},
               **server.env()}
        started = time.monotonic()
        done = subprocess.run([VESTLOD, "load", "--store", server.sparql, "--update",
                               server.update, "--graph-store", server.graph_store, "--dist",
                               str(dist)], env=env, capture_output=True, text=True, check=False)
        load_s = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError(f"vestlod load failed: {done.stderr[-2000:]}")
        server.isql("checkpoint;\n")
        rem: dict[str, Any] = {"load_seconds": round(load_s, 2),
                               "disk_bytes": server.disk_bytes(),
                               "load_report": done.stdout.strip()}
        proc, base, front_s = serve(dist, {"VESTLOD_STORE_URL": server.sparql})
        try:
            rem["front_start_seconds"] = round(front_s, 2)
            rem["rss_mb"] = round(server.rss_mb() + rss_mb(proc.pid), 1)
            rem["mix"] = run_mix(base + "/sparql", units, clients, args.duration, args.seed)
            rem["deref"] = deref_p50(base, units, args.deref, args.seed)
            rem["rss_mb_after"] = round(server.rss_mb() + rss_mb(proc.pid), 1)
            rem["virtuoso_rss_mb"] = round(server.rss_mb(), 1)
        finally:
            stop_proc(proc)
    finally:
        server.stop()
    row["virtuoso"] = rem
    print(f"[{size}] virtuoso: {summary(rem)}", flush=True)

    if size <= args.validate_max:
        row["validation_seconds"] = validation_seconds(dist)
        print(f"[{size}] SHACL validation {row['validation_seconds']} s", flush=True)
    return row


def stop_proc(proc: subprocess.Popen[bytes]) -> None:
    from bench.__main__ import Target

    stop(Target("", "", proc, 0))


def summary(store: dict[str, Any]) -> str:
    mixes = "; ".join(f"{c} clients {m['qps']} q/s p50 {m['mix_p50_ms']} ms "
                      f"p99 {m['mix_p99_ms']} ms err {m['errors']}"
                      for c, m in store["mix"].items())
    return (f"load {store['load_seconds']} s, disk {store['disk_bytes'] / 1e6:.1f} MB, "
            f"RSS {store['rss_mb_after']} MB, {mixes}; deref p50 {store['deref']['p50_ms']} ms")


FIGURES: tuple[tuple[str, str], ...] = (
    ("load_seconds", "load time (s)"),
    ("disk_bytes", "store size on disk (bytes)"),
    ("rss_mb_after", "server RSS (MB)"),
    ("qps@1", "query mix throughput, 1 client (q/s)"),
    ("qps@8", "query mix throughput, 8 clients (q/s)"),
    ("p50@1", "query mix p50, 1 client (ms)"),
    ("p99@8", "query mix p99, 8 clients (ms)"),
    ("deref_p50", "dereference p50 (ms)"),
)


def figure(store: dict[str, Any], key: str) -> float | None:
    if key.startswith(("qps@", "p50@", "p99@")):
        kind, clients = key.split("@")
        m = store["mix"].get(clients)
        if m is None:
            return None
        return {"qps": m["qps"], "p50": m["mix_p50_ms"], "p99": m["mix_p99_ms"]}[kind]
    if key == "deref_p50":
        return store["deref"]["p50_ms"]  # type: ignore[no-any-return]
    return store.get(key)


def plot(rows: list[dict[str, Any]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 3, figsize=(13, 11))
    flat = axes.flatten()
    for ax, (key, title) in zip(flat, FIGURES, strict=False):
        for name, style in (("embedded", "o-"), ("virtuoso", "s--")):
            pts = [(r["triples"], figure(r[name], key)) for r in rows if name in r]
            pts = [(x, y) for x, y in pts if y]
            if pts:
                ax.plot(*zip(*pts, strict=True), style, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("triples")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    key = "validation_seconds"
    pts = [(r["triples"], r[key]) for r in rows if r.get(key)]
    ax = flat[len(FIGURES)]
    if pts:
        ax.plot(*zip(*pts, strict=True), "^-", label="pyshacl")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.legend(fontsize=8)
    ax.set_title("SHACL validation (s)", fontsize=10)
    ax.set_xlabel("triples")
    ax.grid(True, which="both", alpha=0.3)
    fig.suptitle("vestlod: cost against data size (log–log), embedded pyoxigraph vs Virtuoso")
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--deref", type=int, default=40, help="dereferences per store and size")
    parser.add_argument("--validate-max", type=int, default=100000)
    parser.add_argument("--virtuoso-mb", type=int, default=2048)
    parser.add_argument("--merge", type=Path,
                        help="an earlier scale-*.json whose other sizes join this report")
    args = parser.parse_args()
    reason = virtuoso.available()
    if reason:
        raise SystemExit(f"bench-scale needs Virtuoso: {reason}")
    WORK.mkdir(exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[dict[str, Any]] = []
    if args.merge:
        rows = [r for r in json.loads(args.merge.read_text())["rows"] if r["size"] not in sizes]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S%z")
    out = RESULTS / f"scale-{stamp}.json"
    for size in sizes:
        rows.append(measure(size, args))
        rows.sort(key=lambda r: r["size"])
        report = {
            "when": stamp, "seed": args.seed, "duration_s": args.duration,
            "clients": args.clients, "machine": {"cpus": os.cpu_count(),
                                                 "python": platform.python_version()},
            "rows": rows,
        }
        out.write_text(json.dumps(report, indent=2) + "\n")
        plot(rows, RESULTS / "scale.png")
    print(f"wrote {out} and {RESULTS / 'scale.png'}")


if __name__ == "__main__":
    main()
