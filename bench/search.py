"""Search on the real annex: p50/p99 of ``/search``, in-process and over HTTP (issue #17).

* ``index``: `run_search` alone on the built index (the SQLite FTS5 query, ranking and
  snippets: the work per request);
* ``http_search``: ``GET /search?format=json`` on a real `vestlod serve`;
* ``http_healthz``: ``GET /healthz`` on the same server in the same run, the baseline that
  shows what of ``http_search`` is HTTP and the app stack, not search (the machine is noisy).

The queries are what people type: single words, inflected forms, English words, multi-word
names, prefixes. The target in the issue is p50 < 20 ms on the annex.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from bench.serve import serving
from bench.stats import percentile_ms

ROOT = Path(__file__).resolve().parents[1]

QUERIES = [
    "vind", "wind energy", "fødevareklyngen", "robotter", "Aalborg Universitet", "sundhed",
    "Danish Food Cluster", "region", "eksport", "klynge", "offshore", "velfærdsteknologi",
    "digitalisering", "Vestas", "innovation", "medlemmer", "aal", "energ", "food", "health",
]


def _stats(values: list[float]) -> dict[str, float | None]:
    return {"n": len(values), "p50_ms": percentile_ms(values, 0.5, 3),
            "p99_ms": percentile_ms(values, 0.99, 3)}


def build(out: Path) -> Path:
    """The annex built with its search index (the real build, SHACL gate included)."""
    from publish.build.pipeline import build as run_build
    from publish.config import load_settings

    settings = load_settings({"dist_dir": out, "data_dir": ROOT / "data",
                              "ontology_dir": ROOT / "ontology", "shapes_dir": ROOT / "shapes"},
                             environ={}, toml_path=ROOT / "no-such-file.toml")
    run_build(settings)
    return out


def in_process(dist: Path, rounds: int) -> dict[str, float | None]:
    from publish.server.search import open_index, run_search

    index = open_index(dist.resolve())
    times: list[float] = []
    for r in range(rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            run_search(index, q, None, 1, 10, ("da", "en")[r % 2])
            times.append(time.perf_counter() - t0)
    return _stats(times)


def over_http(dist: Path, port: int, rounds: int) -> dict[str, dict[str, float | None]]:
    with serving(dist, port, reload_interval="0", query_workers="1") as url:
        search: list[float] = []
        health: list[float] = []
        with httpx.Client(base_url=url, timeout=30) as client:
            for q in QUERIES:  # warm up: the index is opened on the first search
                client.get("/search", params={"q": q, "format": "json"}).raise_for_status()
            for _ in range(rounds):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    client.get("/healthz").raise_for_status()
                    health.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    client.get("/search", params={"q": q, "format": "json"}).raise_for_status()
                    search.append(time.perf_counter() - t0)
        return {"http_search": _stats(search), "http_healthz": _stats(health)}


def run(work: Path, port: int, rounds: int = 20) -> dict[str, object]:
    dist = build(work / "dist.search")
    return {"queries": len(QUERIES), "rounds": rounds, "index": in_process(dist, rounds),
            **over_http(dist, port, rounds)}
