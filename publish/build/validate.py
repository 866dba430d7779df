"""The SHACL gate: the dataset is published only if it conforms to `shapes/`.

pyshacl is the reference validator. The build calls `validate_dataset`, which returns the report
as Turtle (written to `dist/validation-report.ttl`) or raises `ShaclViolation` with a readable
summary; `vestlod validate` calls `validate_dist` on a built folder, which it only reads. Both
read pyshacl's report into `Finding`s, so a curator sees the focus node's label and the annotation
file and line it came from (`vl:curatedAt` in the provenance graph), not a dump of blank nodes.

No inference is run: the vocabulary graph travels with the data, and SHACL's `sh:targetClass` and
`sh:class` already follow its `rdfs:subClassOf` triples; RDFS inference would only add time.

For data far larger than the annex, `vestlod validate` can take a fast path: the same shapes
through the Rust `shacl` package (`validate_fast`), used only because the tests show it reports
the same results as pyshacl on every fixture and on the annex.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from publish.config import Settings
from publish.errors import BuildError, ShaclViolation
from publish.layout import TRIG
from publish.vocab import OA, PROV, RDF, RDFS, SH, SKOS, XSD, prefixes

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
#: prefixes for IRIs in the summary, in the order they are tried (our own per base IRI)
SUMMARY_PREFIXES = (
    "vls", "vl", "rdf", "rdfs", "skos", "xsd", "dcterms", "owl", "prov", "oa", "cnt", "qb",
    "schema", "sdmx-measure", "sdmx-attribute", "sdmx-dimension",
)

Log = Callable[[str], None]


@dataclass(frozen=True)
class Finding:
    """One validation result, in the words a curator needs to fix it."""

    severity: str  # Violation, Warning or Info
    focus: str
    label: str | None
    path: str | None
    message: str
    shape: str
    value: str | None = None
    origin: str | None = None  # "file:line" of the curated annotation behind the focus node

    def lines(self, short: Callable[[str], str]) -> list[str]:
        name = f' "{self.label}"' if self.label else ""
        out = [f"{self.severity}: <{self.focus}>{name}"]
        if self.path:
            inverse = "^" if self.path.startswith("^") else ""
            out.append(f"  path:    {inverse}{short(self.path.removeprefix('^'))}")
        if self.value is not None:
            out.append(f"  value:   {self.value[:120]}")
        out.append(f"  message: {self.message}")
        out.append(f"  shape:   {short(self.shape)}")
        if self.origin:
            out.append(f"  from:    {self.origin}")
        return out


@dataclass(frozen=True)
class Report:
    """What one validation run found, the report as Turtle and what it cost."""

    conforms: bool
    findings: tuple[Finding, ...]
    turtle: str
    triples: int
    seconds: float
    base_iri: str = ""
    prefixes: tuple[tuple[str, str], ...] = field(default=())

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    def short(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"

    def headline(self) -> str:
        verdict = "conforms" if not self.violations else "DOES NOT CONFORM"
        size = f"{self.triples} triples, " if self.triples else ""
        return (f"validation: {verdict}, {len(self.violations)} violations, "
                f"{len(self.warnings)} warnings ({size}{self.seconds:.1f} s)")

    def summary(self) -> str:
        lines = [self.headline()]
        for finding in self.findings:
            lines += finding.lines(self.short)
        return "\n".join(lines)


# ---------------------------------------------------------------------------- inputs


def shapes_graph(settings: Settings) -> Graph:
    """The shapes, with IRIs and SPARQL prefix namespaces resolved against the base IRI.

    Turtle resolves relative IRIs but not literals, and `sh:namespace` is a literal; resolving it
    here keeps the shapes file free of the base IRI, exactly like the ontology files.
    """
    g = Graph()
    for shapes_file in sorted(Path(settings.shapes_dir).glob("*.ttl")):
        g.parse(shapes_file, format="turtle", publicID=settings.base_iri)
    for decl, ns in list(g.subject_objects(SH.namespace)):
        if isinstance(ns, Literal) and "://" not in str(ns):
            # urljoin drops an empty fragment, and "def/vestlod#" must keep its "#"
            local, hash_, fragment = str(ns).partition("#")
            resolved = urljoin(settings.base_iri, local) + hash_ + fragment
            g.set((decl, SH.namespace, Literal(resolved, datatype=XSD.anyURI)))
    return g


def data_graph(ds: Dataset) -> Graph:
    """All named graphs as one graph: shapes need the vocabulary and provenance with the data."""
    union = Graph()
    for g in ds.graphs():
        for triple in g:
            union.add(triple)
    return union


def load_dist(folder: Path) -> Graph:
    """The union graph of a built folder's `vestlod.trig` (a dist/ or a copy of one)."""
    trig = folder / TRIG
    if not trig.is_file():
        raise BuildError(f"{trig}: missing; run `vestlod build` first or pass --dist DIR")
    ds = Dataset()
    ds.parse(trig, format="trig")
    return data_graph(ds)


# ---------------------------------------------------------------------------- running


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pyshacl hands rdflib the query text of a SPARQL constraint once per focus node, and rdflib's
    parser then costs ~0.1 s per call: 650 quote selectors took 70 s, nearly all of it parsing.
    Prepared queries are rdflib's own reusable form, so the answers are the same.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Query] = {}

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            init_ns = kwargs.get("initNs") or {}
            key = (query_object, tuple(sorted((k, str(v)) for k, v in init_ns.items())))
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=init_ns)
            query_object = self._prepared[key]
        return super().query(query_object, *args, **kwargs)


def run_shacl(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """pyshacl, the reference: SHACL-AF on (SPARQL targets), no inference, warnings allowed.

    `data` is copied once into a graph that prepares its queries; pyshacl then works on that
    copy in place instead of cloning it again (we run no SHACL rules, so nothing is added).
    """
    work = _PreparedQueryGraph()
    for triple in data:
        work.add(triple)
    conforms, report, text = validate(
        work, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
        inplace=True,
    )
    if not isinstance(report, Graph):
        raise ShaclViolation(f"the shapes could not be applied: {text}")
    return bool(conforms), report


def _text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def label_of(g: Graph, node: Node) -> str | None:
    """The English label (else Danish, else any) of a node or, for a fragment, of its page."""
    for candidate in (node, URIRef(str(node).split("#", 1)[0])):
        labels = [o for p in (SKOS.prefLabel, RDFS.label) for o in g.objects(candidate, p)
                  if isinstance(o, Literal)]
        for lang in ("en", "da", None):
            for lit in labels:
                if lang is None or lit.language == lang:
                    suffix = "" if candidate == node else f" (#{str(node).split('#', 1)[1]})"
                    return str(lit) + suffix
    return None


def origin_of(g: Graph, node: Node, curated: URIRef) -> str | None:
    """Where the focus node was curated: itself, its page (for a fragment), the body of its
    annotation, the entity it supports, or failing that a curated resource that links to it."""
    page = URIRef(str(node).split("#", 1)[0])
    near: list[Node] = [node, page]
    near += list(g.objects(page, OA.hasBody))
    near += list(g.subjects(PROV.wasDerivedFrom, node))
    for candidate in near:
        where = g.value(candidate, curated)
        if where is not None:
            return str(where)
    for subject in g.subjects(None, node):
        where = g.value(subject, curated)
        if where is not None:
            return f"{where} (links to it)"
    return None


def path_text(g: Graph, path: Node | None) -> str | None:
    """A result path as text: the IRI of a predicate, "^IRI" for an inverse one, else None
    (our shapes use no other paths)."""
    if isinstance(path, URIRef):
        return str(path)
    inverse = g.value(path, SH.inversePath) if path is not None else None
    return f"^{inverse}" if isinstance(inverse, URIRef) else None


def read_findings(report: Graph, data: Graph, base_iri: str) -> list[Finding]:
    """pyshacl's results as `Finding`s, violations first, then by focus node and shape."""
    curated = URIRef(base_iri + "def/vestlod#curatedAt")
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = report.value(result, SH.focusNode)
        messages = list(report.objects(result, SH.resultMessage))
        message = next((str(m) for m in messages if isinstance(m, Literal)
                        and m.language == "en"), str(messages[0]) if messages else "")
        assert focus is not None
        out.append(Finding(
            severity=severity,
            focus=str(focus),
            label=label_of(data, focus),
            path=path_text(report, report.value(result, SH.resultPath)),
            message=message,
            shape=str(report.value(result, SH.sourceShape)),
            value=_text(report.value(result, SH.value)),
            origin=origin_of(data, focus, curated),
        ))
    out.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.focus, f.shape, f.path or ""))
    return out


def summary_prefixes(settings: Settings) -> tuple[tuple[str, str], ...]:
    return tuple(prefixes(SUMMARY_PREFIXES, settings.base_iri).items())


def validate_graph(data: Graph, settings: Settings) -> Report:
    """Validate one graph against `shapes/`; refuses to call an empty shapes folder a pass."""
    shapes = shapes_graph(settings)
    if not len(shapes):
        raise ShaclViolation(f"{settings.shapes_dir}: no shapes; refusing to publish unchecked")
    t0 = time.perf_counter()
    conforms, report = run_shacl(data, shapes)
    seconds = time.perf_counter() - t0
    return Report(
        conforms=conforms,
        findings=tuple(read_findings(report, data, settings.base_iri)),
        turtle=report.serialize(format="turtle"),
        triples=len(data),
        seconds=seconds,
        base_iri=settings.base_iri,
        prefixes=summary_prefixes(settings),
    )


def validate_dataset(ds: Dataset, settings: Settings, log: Log = lambda _m: None) -> str:
    """The build's gate: the report as Turtle, or `ShaclViolation` naming every violation."""
    report = validate_graph(data_graph(ds), settings)
    log(report.headline())
    for warning in report.warnings:
        log("\n".join(warning.lines(report.short)))
    if report.violations:
        raise ShaclViolation(report.summary())
    return report.turtle


def validate_dist(folder: Path, settings: Settings, *, engine: str = "auto") -> Report:
    """`vestlod validate`: validate a built folder and return the report; the folder is only read.

    A built folder is published: its `SHA256SUMS`, the catalog's checksums and the dumps'
    digests all name the bytes in it, so rewriting even its own `validation-report.ttl` (whose
    Turtle differs between engines) would make them lie. The caller writes `Report.turtle`
    where it wants (see `write_report`). The caller also decides what a violation means; this
    never raises for one.

    `engine`: "pyshacl" (the reference), "fast" (the Rust `shacl` package) or "auto": the fast
    path from `FAST_PATH_MIN_TRIPLES` on, when it is installed.
    """
    trig = folder / TRIG
    if engine == "auto":
        big = trig.is_file() and trig.stat().st_size >= FAST_PATH_MIN_BYTES
        engine = "fast" if big and fast_path_available() else "pyshacl"
    if engine == "fast":
        return validate_fast(folder, settings)
    return validate_graph(load_dist(folder), settings)


def write_report(report: Report, path: Path, folder: Path) -> None:
    """Write the report of `validate_dist(folder, …)` to `path`, which must lie outside `folder`.

    Paths are compared after resolving links, because `dist` is a link to `dist.<version>`.
    The file is written aside and renamed, so a reader never sees half a report.
    """
    target = path.absolute().parent.resolve() / path.name
    inside = folder.resolve()
    if target == inside or target.is_relative_to(inside):
        raise BuildError(f"{path}: inside the validated folder {folder}, which a report may not "
                         f"change (its SHA256SUMS would no longer match); write it elsewhere")
    aside = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        aside.write_text(report.turtle, encoding="utf-8")
        os.replace(aside, target)
    except OSError as exc:
        aside.unlink(missing_ok=True)
        raise BuildError(f"{path}: cannot write the report: {exc}") from exc


# ---------------------------------------------------------------------------- the fast path

#: From about this size on pyshacl takes minutes; the Rust validator seconds (bench/validation.py).
FAST_PATH_MIN_TRIPLES = 200_000
FAST_PATH_MIN_BYTES = FAST_PATH_MIN_TRIPLES * 100  # TriG bytes per triple, about, in our dumps
#: Results beyond this many get no label or file:line (each costs a few store look-ups).
DESCRIBED_RESULTS = 1000


def fast_path_available() -> bool:
    return importlib.util.find_spec("shacl") is not None


def _nt(term: str) -> str:
    """N-Triples term as the fast path prints it → the IRI (or blank node label) alone."""
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def _fast_path_text(path: str | None) -> str | None:
    if path is None:
        return None
    if path.startswith("^<") and path.endswith(">"):
        return "^" + path[2:-1]
    return _nt(path) if path.startswith("<") else None


def _neighbourhood(store: Any, nodes: Iterable[str]) -> Graph:
    """The few triples `label_of` and `origin_of` read about `nodes`, copied out of a store."""
    import pyoxigraph as ox

    g = Graph()

    def copy(subject: str | None = None, obj: str | None = None) -> None:
        s = ox.NamedNode(subject) if subject else None
        o = ox.NamedNode(obj) if obj else None
        for q in store.quads_for_pattern(s, None, o, None):
            g.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")

    for node in nodes:
        if node.startswith("_:"):
            continue
        page = node.split("#", 1)[0]
        copy(subject=node)
        copy(subject=page)
        copy(obj=node)
    for linked in {str(s) for s in g.subjects()} | {str(o) for o in g.objects()
                                                    if isinstance(o, URIRef)}:
        copy(subject=linked)
    return g


def validate_fast(folder: Path, settings: Settings) -> Report:
    """The same shapes through the Rust `shacl` package, on the union of the folder's graphs.

    Only for data too large for pyshacl; `tests/test_validate.py` checks that both report the
    same results (severity, focus node, path, source shape, message) on every fixture and on the
    annex. Known difference: the fast path leaves out `sh:value` for SPARQL-based results.
    """
    import pyoxigraph as ox
    import shacl

    trig = folder / TRIG
    if not trig.is_file():
        raise BuildError(f"{trig}: missing; run `vestlod build` first or pass --dist DIR")
    t0 = time.perf_counter()
    compiled = shacl.Shapes.from_turtle(shapes_graph(settings).serialize(format="turtle"))
    # the package reads TriG itself and validates the union of its graphs
    result = compiled.validate_file(str(trig), allow_warnings=True)
    seconds = time.perf_counter() - t0
    described = {_nt(r.focus_node) for r in result.results[:DESCRIBED_RESULTS]}
    store = ox.Store()
    if described:  # labels and file:line only where there is something to say
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    triples = len(store)  # 0 when nothing was loaded: counting would cost a second parse
    near = _neighbourhood(store, described)
    curated = URIRef(settings.base_iri + "def/vestlod#curatedAt")
    findings = []
    for i, r in enumerate(result.results):
        focus = _nt(r.focus_node)
        node = URIRef(focus)
        findings.append(Finding(
            severity=r.severity,
            focus=focus,
            label=label_of(near, node) if i < DESCRIBED_RESULTS else None,
            path=_fast_path_text(r.path),
            message=next((m for m in r.messages), r.message or ""),
            shape=_nt(r.source_shape or ""),
            value=r.value_plain,
            origin=origin_of(near, node, curated) if i < DESCRIBED_RESULTS else None,
        ))
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.focus, f.shape,
                                 f.path or ""))
    return Report(
        conforms=bool(result.conforms),
        findings=tuple(findings),
        turtle=result.turtle,
        triples=triples,
        seconds=seconds,
        base_iri=settings.base_iri,
        prefixes=summary_prefixes(settings),
    )


def shape_names(shapes: Graph) -> Iterable[URIRef]:
    """Every shape that can be a result's source: named property shapes, and node shapes that
    carry a SPARQL constraint themselves."""
    for s in set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if isinstance(s, URIRef):
            yield s
    for s in set(shapes.subjects(SH.sparql, None)):
        if isinstance(s, URIRef):
            yield s
