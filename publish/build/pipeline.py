"""`build(settings)`: catalog.yaml → source → annotations → graph (with links) → SHACL gate →
integrity gate (Data Cube IC-1 … IC-21, places as refArea, SKOS) → dumps and catalog, all or
nothing.

The only orchestration module of the pipeline. It reads files, calls the pure modules and hands
the dataset to `dumps`, which writes aside and swaps. A dataset that does not conform to the
shapes is never written: the previous good `dist/` stays as it was. `check_annotations` (what
`vestlod check` runs) shares every step before the gate with `build` through `prepare`, so a
check that passes means the build can fail only on SHACL or on writing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, URIRef
from rdflib.term import Node

from publish.build.annotations import (
    Annotations,
    collect_annotations,
    coverage,
    load_annotations,
    load_ignore,
)
from publish.build.source import Document, read_source, segment
from publish.config import Settings
from publish.errors import AnnotationErrors, ShaclViolation, SourceError
from publish.layout import CATALOG, REPORT, SUMS, read_sums

if TYPE_CHECKING:  # the dumps import pyoxigraph, which `coverage` and `load_all` do not need
    from publish.build.dumps import DumpStats

Log = Callable[[str], None]


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
    sums = settings.source_path.parent / SUMS
    if not sums.is_file():
        raise SourceError(f"{sums}: missing; it records the sha256 of the annex")
    digest = read_sums(sums.parent).get(settings.source_path.name)
    if digest is None:
        raise SourceError(f"{sums}: no line for {settings.source_path.name}")
    return digest


def load_document(settings: Settings) -> Document:
    raw = read_source(settings.source_path, expected_sha256(settings))
    return segment(raw)


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
    from publish.build.catalog import read_catalog_yaml

    return read_catalog_yaml(settings.catalog_path)


def dataset_counts(dataset: Dataset, settings: Settings) -> dict[str, int]:
    """VoID counts for the catalog: triples of the merged dumps and things under `/id/`."""
    triples: set[tuple[Node, Node, Node]] = set()
    for g in dataset.graphs():
        triples.update(g)
    prefix = settings.base_iri + "id/"
    entities = {s for s, _, _ in triples if isinstance(s, URIRef) and str(s).startswith(prefix)
                and "#" not in str(s)}
    return {"triples": len(triples), "entities": len(entities)}


@dataclass(frozen=True)
class Prepared:
    """Everything the build makes before the SHACL gate, in memory; nothing is written yet."""

    catalog_data: dict[str, Any]
    doc: Document
    ann: Annotations
    dataset: Dataset
    counts: dict[str, int]

    def describe(self, settings: Settings) -> Callable[[DumpStats], dict[str, str | bytes]]:
        """The catalog for the dumps' real sizes and digests, as `write_dumps` asks for it."""
        from publish.build.catalog import build_catalog, serialise_catalog

        def describe(dumps: DumpStats) -> dict[str, str | bytes]:
            graph = build_catalog(settings, self.catalog_data, dumps, self.counts)
            return {CATALOG: serialise_catalog(graph, settings.base_iri)}

        return describe


def prepare(settings: Settings, annotations: Callable[[Document, Path], Annotations],
            log: Log = lambda _msg: None) -> Prepared:
    """The steps `build` runs before the SHACL gate, shared with `check` so the two cannot drift:
    catalog.yaml, the annex and its checksum, the annotations, the graph (links included).

    `annotations` loads them: `load_annotations` stops at the first problem (the build),
    `_every_annotation_problem` lists them all (`check`).
    """
    from publish.build.graph import build_dataset

    catalog_data = load_catalog_yaml(settings)
    doc = load_document(settings)
    ann = annotations(doc, settings.annotations_dir)
    log(f"annotations: {ann.summary()}")
    dataset = build_dataset(doc, ann, settings, catalog_data)
    return Prepared(catalog_data, doc, ann, dataset, dataset_counts(dataset, settings))


def _every_annotation_problem(doc: Document, directory: Path) -> Annotations:
    ann, errors = collect_annotations(doc, directory)
    if errors:
        raise AnnotationErrors(errors)
    return ann


def check_annotations(settings: Settings) -> str:
    """`vestlod check`: every check `build` runs except SHACL, without writing anything.

    That is catalog.yaml, the annex's checksum, the annotations (every problem at once), the
    links in data/links/ (every problem at once), the graph and the catalog of the serialised
    dumps; it fails with the same messages the build would give. Only the SHACL gate is left to
    `build` and `validate`: it is the one slow step (tens of seconds against about two here).
    """
    from publish.build.dumps import dump_stats, serialise

    ready = prepare(settings, _every_annotation_problem)
    ready.describe(settings)(dump_stats(serialise(ready.dataset)))
    return (f"ok: {ready.ann.summary()}; links, graph ({ready.counts['triples']} triples) and "
            "catalog checked (SHACL runs in build and validate)")


def build(settings: Settings, log: Log = lambda _msg: None) -> BuildResult:
    """Build, validate and publish to `settings.dist_dir`; nothing is replaced on failure."""
    from publish.build.dumps import write_dumps
    from publish.build.integrity import check_integrity
    from publish.build.validate import validate_dataset

    t0 = time.perf_counter()
    ready = prepare(settings, load_annotations, log)
    dataset, ann = ready.dataset, ready.ann
    report = validate_dataset(dataset, settings, log=log)
    integrity = check_integrity(dataset, settings.shapes_dir)
    log(integrity.headline())
    if integrity.problems:
        raise ShaclViolation(integrity.summary())
    files = write_dumps(dataset, settings.dist_dir, extra={REPORT: report},
                        describe=ready.describe(settings))
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
