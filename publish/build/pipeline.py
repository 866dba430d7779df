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
from publish.build.search_index import search_index
from publish.build.source import Document, read_source, segment
from publish.config import Settings
from publish.errors import AnnotationErrors, ShaclViolation, SourceError
from publish.layout import CATALOG, REPORT, SEARCH, SUMS, read_sums
from publish.uris import Uris

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


def dataset_counts(dataset: Dataset, settings: Settings,
                   retired: frozenset[str] = frozenset()) -> dict[str, int]:
    """VoID counts for the catalog: triples of the merged dumps and things under `/id/`
    (a retired IRI's tombstone is not a thing: `retired` lists them, as full IRIs)."""
    triples: set[tuple[Node, Node, Node]] = set()
    for g in dataset.graphs():
        triples.update(g)
    prefix = settings.base_iri + "id/"
    entities = {s for s, _, _ in triples if isinstance(s, URIRef) and str(s).startswith(prefix)
                and "#" not in str(s) and str(s) not in retired}
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
        """The catalog for the dumps' real sizes and digests, as `write_dumps` asks for it: one
        file per application profile (`publish.profiles`), each with the MQA scores of its
        datasets as DQV measurements."""
        from publish.build.catalog import build_catalog, serialise_catalog
        from publish.build.mqa import add_measurements, assess
        from publish.profiles import PROFILES

        def describe(dumps: DumpStats) -> dict[str, str | bytes]:
            out: dict[str, str | bytes] = {}
            default = build_catalog(settings, self.catalog_data, dumps, self.counts)
            scores = assess(default, settings, set(dumps) | {p.file for p in PROFILES})
            for profile in PROFILES:
                graph = build_catalog(settings, self.catalog_data, dumps, self.counts, profile)
                add_measurements(graph, scores, settings.base_iri)
                out[profile.file] = serialise_catalog(graph, settings.base_iri)
            assert CATALOG in out
            return out

        return describe

    def subsets(self, settings: Settings) -> dict[str, bytes]:
        """The downloads beside the dumps, which the catalog describes like them: the business
        areas' parts (`publish.build.subsets`) and the CSV tables with their CSVW metadata
        (`publish.build.tables`)."""
        from publish.build.dumps import prefixes_of, to_quads
        from publish.build.subsets import area_subsets
        from publish.build.tables import tables_files

        prefixes = prefixes_of(self.dataset, to_quads(self.dataset))
        spec = self.catalog_data["dataset"]
        dataset_iri = spec["iri"] if "://" in spec["iri"] else settings.base_iri + spec["iri"]
        return {
            **area_subsets(self.dataset, settings.base_iri, self.catalog_data["areas"],
                           prefixes),
            **tables_files(self.dataset, settings.base_iri, settings.license, spec["title"],
                           dataset_iri),
        }


def prepare(settings: Settings, annotations: Callable[[Document, Path], Annotations],
            log: Log = lambda _msg: None) -> Prepared:
    """The steps `build` runs before the SHACL gate, shared with `check` so the two cannot drift:
    catalog.yaml, the annex and its checksum, the annotations, the graph (links included) and
    the tombstones of data/retired.csv (checked against that graph).

    `annotations` loads them: `load_annotations` stops at the first problem (the build),
    `_every_annotation_problem` lists them all (`check`).
    """
    from publish.build.graph import build_dataset
    from publish.build.retired import add_tombstones

    catalog_data = load_catalog_yaml(settings)
    doc = load_document(settings)
    ann = annotations(doc, settings.annotations_dir)
    log(f"annotations: {ann.summary()}")
    dataset = build_dataset(doc, ann, settings, catalog_data)
    uris = Uris(settings.base_iri)
    tombstones = add_tombstones(dataset, settings.data_dir, uris)
    if tombstones:
        log(f"retired: {len(tombstones)} IRIs answer 301 or 410 (data/retired.csv)")
    retired = frozenset(uris.base + t.iri for t in tombstones)
    return Prepared(catalog_data, doc, ann, dataset, dataset_counts(dataset, settings, retired))


def _every_annotation_problem(doc: Document, directory: Path) -> Annotations:
    ann, errors = collect_annotations(doc, directory)
    if errors:
        raise AnnotationErrors(errors)
    return ann


def check_annotations(settings: Settings) -> str:
    """`vestlod check`: every check `build` runs except SHACL, without writing anything.

    That is catalog.yaml, the annex's checksum, the annotations (every problem at once), the
    links in data/links/ and the retired IRIs of data/retired.csv (every problem at once), the
    graph and the catalog of the serialised
    dumps; it fails with the same messages the build would give. Only the SHACL gate is left to
    `build` and `validate`: it is the one slow step (tens of seconds against about two here).
    """
    from publish.build.dumps import dump_stats, serialise

    ready = prepare(settings, _every_annotation_problem)
    ready.describe(settings)(dump_stats({**serialise(ready.dataset), **ready.subsets(settings)}))
    return (f"ok: {ready.ann.summary()}; links, retired IRIs, graph "
            f"({ready.counts['triples']} triples) and "
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
    index = search_index(((s, p, o) for s, p, o, _g in dataset.quads()), settings.base_iri)
    files = write_dumps(dataset, settings.dist_dir, extra={REPORT: report, SEARCH: index},
                        describe=ready.describe(settings), subsets=ready.subsets(settings))
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
