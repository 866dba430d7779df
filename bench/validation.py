"""Validation time and memory: the annex, and 100k / 1M triples shaped exactly like it.

    python -m bench.validation [--sizes annex,100000,1000000] [--pyshacl-max 200000]

The synthetic data is the real annex dataset tiled: the vocabulary and metadata graphs once, the
data and provenance graphs again and again with every resource they describe renamed
(`…/id/org/acme` → `…/id/org/acme-c3`), all pointing at the one source document. So every shape
does the same work per triple as on the annex, the spans still quote the source exactly, and a
run that conforms on the annex conforms at every size. Each measurement runs in its own process
(its peak RSS is the number reported). pyshacl is skipped above `--pyshacl-max` triples, where it
takes many minutes; the fast path (Rust `shacl` package) runs at every size when installed.
`run()` returns the results (and writes them to bench/results/validation-*.json) for `make bench`.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "dist.bench" / "validation"  # ignored by git (dist.*/)
RESULTS = ROOT / "bench" / "results"
SIZES = ("annex", "100000", "1000000")
PYSHACL_MAX = 200_000


def annex_quads() -> list[ox.Quad]:
    """The annex dataset as the build makes it (in memory, without the gate or dumps)."""
    from publish.build.dumps import to_quads
    from publish.build.graph import build_dataset
    from publish.build.pipeline import load_all
    from publish.config import load_settings

    settings = load_settings({"data_dir": ROOT / "data", "ontology_dir": ROOT / "ontology"})
    doc, ann = load_all(settings)
    return to_quads(build_dataset(doc, ann, settings))


def tiled(quads: list[ox.Quad], triples: int, base: str) -> list[ox.Quad]:
    """`quads` grown to about `triples` by renamed copies of the data and provenance graphs."""
    copied = (base + "graph/data", base + "graph/provenance")
    body = [q for q in quads if isinstance(q.graph_name, ox.NamedNode)
            and q.graph_name.value in copied]
    once = set(quads) - set(body)
    document = next(q.subject for q in quads if q.predicate.value.endswith("content#chars"))
    own = {q.subject.value.split("#", 1)[0] for q in body
           if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base + "id/")}
    own.discard(document.value)
    # described in the vocabulary (business areas have a schema:subjectOf in data): shared
    own -= {q.subject.value for q in once if isinstance(q.subject, ox.NamedNode)}

    def rename(term: Any, k: int) -> Any:
        if isinstance(term, ox.NamedNode):
            page, hash_, fragment = term.value.partition("#")
            if page in own:
                return ox.NamedNode(f"{page}-c{k}{hash_}{fragment}")
        return term

    out = list(quads)
    k = 0
    while len(out) < triples:
        k += 1
        out += [ox.Quad(rename(q.subject, k), q.predicate, rename(q.object, k), q.graph_name)
                for q in body]
    return out


def prepare(size: str, quads: list[ox.Quad], base: str) -> tuple[Path, int]:
    folder = WORK / size
    folder.mkdir(parents=True, exist_ok=True)
    data = quads if size == "annex" else tiled(quads, int(size), base)
    (folder / "vestlod.trig").write_bytes(ox.serialize(data, format=ox.RdfFormat.TRIG))
    return folder, len(data)


def measure_one(folder: Path, engine: str) -> dict[str, Any]:
    """Validate once in this process; called in a fresh process by `measure`."""
    from publish.build.validate import validate_dist, write_report
    from publish.config import load_settings

    settings = load_settings({"shapes_dir": ROOT / "shapes"})
    t0 = time.perf_counter()
    report = validate_dist(folder, settings, engine=engine)
    write_report(report, folder.parent / f"{folder.name}-report-{engine}.ttl", folder)
    return {
        "engine": engine,
        "seconds_total": round(time.perf_counter() - t0, 2),  # load + validate + report
        "seconds_validate": round(report.seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
    }


def measure(folder: Path, engine: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.validation", "--one", str(folder), engine],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def fast_path_installed() -> bool:
    from publish.build.validate import fast_path_available

    return fast_path_available()


def run(sizes: tuple[str, ...] = SIZES, pyshacl_max: int = PYSHACL_MAX) -> dict[str, Any]:
    """Measure every size with both engines; write and return the results."""
    from publish.config import load_settings

    base = load_settings({}).base_iri
    quads = annex_quads()
    runs = []
    for size in sizes:
        folder, triples = prepare(size, quads, base)
        row: dict[str, Any] = {"size": size, "triples": triples, "engines": []}
        if triples <= pyshacl_max:
            row["engines"].append(measure(folder, "pyshacl"))
        else:
            row["engines"].append({"engine": "pyshacl",
                                   "skipped": f"over --pyshacl-max {pyshacl_max}"})
        if fast_path_installed():
            row["engines"].append(measure(folder, "fast"))
        print(json.dumps(row), file=sys.stderr)
        runs.append(row)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": _cpus(), "python": platform.python_version()},
        "shapes": "shapes/vestlod.shacl.ttl",
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S%z")
    (RESULTS / f"validation-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--pyshacl-max", type=int, default=PYSHACL_MAX)
    parser.add_argument("--one", nargs=2, metavar=("FOLDER", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(Path(args.one[0]), args.one[1])))
        return
    print(json.dumps(run(tuple(args.sizes.split(",")), args.pyshacl_max), indent=2))


if __name__ == "__main__":
    main()
