"""Page rendering on the real annex: organisation pages, p50/p99, three ways.

* ``render``: `Pages.resource` alone on a parsed description (the template work per request
  when the description is cached but the page is not: the budget in issue 5 is 20 ms p50);
* ``http_uncached``: a real `vestlod serve` with the cache off, so every request runs the
  description CONSTRUCT in a worker, parses it and renders;
* ``http_cached``: the same server with its cache on, the second and later requests per page.

The annex is built without the SHACL gate (its own benchmark is the build), into dist.bench/.
"""

from __future__ import annotations

import functools
import shutil
import statistics
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from bench.serve import serving
from bench.stats import percentile_ms

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/vestlod/"


@functools.cache
def build_annex(out: Path) -> Path:
    """The real annex as dumps in ``out`` (no SHACL gate), built once per benchmark run.

    Always rebuilt on the first call of a process (about 3 s): a copy left by an earlier run may
    come from older data, and its numbers would then silently describe another dataset.
    """
    shutil.rmtree(out, ignore_errors=True)
    from publish.build.dumps import write_dumps
    from publish.build.graph import build_dataset
    from publish.build.pipeline import load_all
    from publish.config import load_settings

    settings = load_settings({"dist_dir": out, "data_dir": ROOT / "data",
                              "ontology_dir": ROOT / "ontology"}, environ={},
                             toml_path=ROOT / "no-such-file.toml")
    doc, ann = load_all(settings)
    write_dumps(build_dataset(doc, ann, settings), out)
    return out


def _stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": percentile_ms(values, 0.5),
            "p99_ms": percentile_ms(values, 0.99),
            "mean_ms": round(statistics.fmean(values) * 1000, 2)}


def organisations(dist: Path) -> tuple[ox.Store, list[str]]:
    store = ox.Store()
    store.bulk_load(path=str(dist / "vestlod.trig"), format=ox.RdfFormat.TRIG)
    orgs = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None, None)
                   if isinstance(q.subject, ox.NamedNode)
                   and q.subject.value.startswith(BASE + "id/org/")
                   and "#" not in q.subject.value})
    return store, orgs


def render_only(store: ox.Store, orgs: list[str], rounds: int) -> dict[str, float]:
    from publish.server.describe import Description, describe_query
    from publish.server.pages import Pages

    pages = Pages(BASE, BASE + "sparql")
    query = describe_query("org", BASE + "def/vestlod#")
    descriptions = []
    for iri in orgs:
        triples = list(store.query(query, use_default_graph_as_union=True,
                                   substitutions={ox.Variable("this"): ox.NamedNode(iri)}))
        descriptions.append(Description(iri, triples))  # type: ignore[arg-type]
    times: list[float] = []
    for r in range(rounds):
        for desc in descriptions:
            path = "/doc/" + desc.subject[len(BASE) + 3:]
            t0 = time.perf_counter()
            pages.resource(desc, "org", ("da", "en")[r % 2], path, ())
            times.append(time.perf_counter() - t0)
    return _stats(times)


def over_http(dist: Path, orgs: list[str], cache_mb: int, rounds: int, port: int,
              record_from: int = 0) -> dict[str, float]:
    """GET every organisation page ``rounds`` times (da, en, da, …); rounds before
    ``record_from`` only fill the cache."""
    with serving(dist, port, cache_mb=str(cache_mb), reload_interval="0",
                 query_workers="2") as url:
        times: list[float] = []
        with httpx.Client(base_url=url, timeout=30) as client:
            for path in orgs[:3]:  # warm up the connection and the workers
                client.get(path.replace(BASE + "id/", "/doc/"))
            for r in range(rounds):
                for iri in orgs:
                    path = "/doc/" + iri[len(BASE) + 3:]
                    t0 = time.perf_counter()
                    resp = client.get(path, params={"lang": ("da", "en")[r % 2]})
                    if r >= record_from:
                        times.append(time.perf_counter() - t0)
                    resp.raise_for_status()
        return _stats(times)


def run(work: Path, port_a: int, port_b: int, rounds: int = 5) -> dict[str, object]:
    """All three measurements over every organisation of the annex."""
    dist = build_annex(work / "annex")
    store, orgs = organisations(dist)
    return {
        "organisations": len(orgs),
        "render": render_only(store, orgs, rounds),
        "http_uncached": over_http(dist, orgs, 0, 2, port_a),
        "http_cached": over_http(dist, orgs, 64, rounds + 2, port_b, record_from=2),
    }
