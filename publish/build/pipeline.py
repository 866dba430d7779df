"""`build(settings)`: source → annotations → graph → SHACL gate → dumps, all or nothing.

The only orchestration module of the pipeline. It reads files, calls the pure modules and hands
the dataset to `dumps`, which writes aside and swaps. A dataset that does not conform to the
shapes is never written: the previous good `dist/` stays as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, URIRef
from rdflib.term import Node

from publish.build.annotations import (
    Annotations,
    collect_annotations,
    coverage,
    load_annotations,
    load_ignore,
)
from publish.config import Settings
from publish.errors import AnnotationErrors, BuildError, SourceError
from publish.build.source import Document, read_source, segment

Log = Callable[[str], None]

#: the DCAT-AP catalog in dist/, beside (not among) the dumps it describes
CATALOG = "catalog.ttl"


@dataclass(frozen=True)
class BuildResult:
    out: Path
    files: dict[str, str]  # file name -> sha256
    triples: int
    graphs: dict[str, int]
    annotations: str
    seconds: float

    def summary(self) -> str:
        lines = [f"built {self.out}/ in {self.seconds:.1f} s: {self.triples} triples"]
        lines += [f"  graph {name}: {count} triples" for name, count in self.graphs.items()]
        lines.append(f"  {self.annotations}")
        lines += [f"  {name}  sha256 {digest[:16]}…" for name, digest in self.files.items()]
        return "\n".join(lines)


def expected_sha256(settings: Settings) -> str:
    """The annex's recorded sha256 (data/source/SHA256SUMS), checked at every build."""
    sums = settings.source_path.parent / "SHA256SUMS"
    if not sums.is_file():
        raise SourceError(f"{sums}: missing; it records the sha256 of the annex")
    for line in sums.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("*") == settings.source_path.name:
            return parts[0]
    raise SourceError(f"{sums}: no line for {settings.source_path.name}")


def load_document(settings: Settings) -> Document:
    raw = read_source(settings.source_path, expected_sha256(settings))
    return segment(raw)


def check_annotations(settings: Settings) -> str:
    """Every problem in the annotations at once, or a one-line summary."""
    doc = load_document(settings)
    ann, errors = collect_annotations(doc, settings.annotations_dir)
    if errors:
        raise AnnotationErrors(errors)
    return f"ok: {ann.summary()}"


def coverage_report(settings: Settings) -> list[str]:
    doc = load_document(settings)
    ann = load_annotations(doc, settings.annotations_dir)
    ignore = load_ignore(settings.annotations_dir / "coverage-ignore.yaml")
    return coverage(doc, ann, ignore)


def load_all(settings: Settings) -> tuple[Document, Annotations]:
    doc = load_document(settings)
    return doc, load_annotations(doc, settings.annotations_dir)


def load_catalog_yaml(settings: Settings) -> dict[str, Any]:
    """`data/catalog.yaml`, read before anything is written so a broken file stops the build."""
    path = settings.catalog_path
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise BuildError(f"{path}: expected a mapping at the top level")
    return data


def dataset_counts(dataset: Dataset, settings: Settings) -> dict[str, int]:
    """VoID counts for the catalog: triples of the merged dumps and things under `/id/`."""
    triples: set[tuple[Node, Node, Node]] = set()
    for g in dataset.graphs():
        triples.update(g)
    prefix = settings.base_iri + "id/"
    entities = {s for s, _, _ in triples if isinstance(s, URIRef) and str(s).startswith(prefix)
                and "#" not in str(s)}
    return {"triples": len(triples), "entities": len(entities)}


def build(settings: Settings, log: Log = lambda _msg: None) -> BuildResult:
    """Build, validate and publish to `settings.dist_dir`; nothing is replaced on failure."""
    from publish.build.catalog import build_catalog, serialise_catalog
    from publish.build.dumps import DumpStats, write_dumps
    from publish.build.graph import build_dataset
    from publish.build.validate import validate_dataset

    t0 = time.perf_counter()
    catalog_data = load_catalog_yaml(settings)
    doc, ann = load_all(settings)
    log(f"annotations: {ann.summary()}")
    dataset = build_dataset(doc, ann, settings)
    report = validate_dataset(dataset, settings, log=log)
    counts = dataset_counts(dataset, settings)

    def describe(dumps: DumpStats) -> dict[str, str | bytes]:
        graph = build_catalog(settings, catalog_data, dumps, counts)
        return {CATALOG: serialise_catalog(graph, settings.base_iri)}

    files = write_dumps(dataset, settings.dist_dir, extra={"validation-report.ttl": report},
                        describe=describe)
    graphs = {str(g.identifier): len(g) for g in sorted(dataset.graphs(), key=lambda g: str(
        g.identifier)) if len(g)}
    return BuildResult(
        out=settings.dist_dir,
        files=files,
        triples=sum(graphs.values()),
        graphs=graphs,
        annotations=ann.summary(),
        seconds=time.perf_counter() - t0,
    )
