"""DCAT-AP conformance of the catalog: the official SHACL shapes plus the EU authority tables.

Shared by `tests/test_catalog.py` and by the command that regenerates the vendored vocabulary
subset (`.venv/bin/python -m tests.dcat_ap regenerate dist/catalog.ttl`).

Why a subset: the authority tables the shapes need are 5 MB of RDF/XML (the language table alone
is 3.4 MB) and take ~5 s to parse; the shapes only ask about the concepts the catalog uses, so
`data/vocabularies/eu-authority-tables.ttl` keeps every triple the official files say about those
concepts and their schemes (validated results are the same, see shared/eu-vocabularies/README.md).
It is derived data, rebuilt by script from the unmodified files, never edited by hand.

Why results are filtered to our own nodes: the core shapes also target `skos:ConceptScheme` and
`skos:Concept`, so the EU files produce violations about themselves (their titles are in
`dc:title`, not `dct:title`); those are not errors of our catalog.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH, SKOS
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "shapes" / "dcat-ap"
VOCABULARY = ROOT / "data" / "vocabularies" / "eu-authority-tables.ttl"
SHARED = ROOT.parent / "shared" / "eu-vocabularies"

#: the split shape files of each version, in the roles of shapes/dcat-ap/README.md
SHAPE_FILES: dict[str, tuple[str, ...]] = {
    "3.0.1": ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl",
              "mdr-vocabularies.shape.ttl"),
    "2.1.1": tuple(f"dcat-ap_2.1.1_shacl_{n}.ttl" for n in (
        "shapes", "range", "shapes_recommended", "deprecateduris", "mdr-vocabularies.shape")),
}

#: the official files the subset is cut from (paths relative to shared/eu-vocabularies/)
SOURCES: tuple[str, ...] = (
    "nal/language.rdf", "nal/file-type.rdf", "nal/frequency.rdf", "nal/data-theme-skos.rdf",
    "nal/access-right-skos.rdf", "nal/countries-skos.rdf", "nal/licences-skos.rdf",
    "adms/ADMS_SKOS_v1.00.rdf",
)


@dataclass(frozen=True)
class Result:
    """One SHACL result about one of our nodes, printable in a test failure."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str

    def __str__(self) -> str:
        return (f"{self.severity}: <{self.focus}> {self.path} = {self.value}\n"
                f"    {self.message} [{self.shape}]")


def shapes(version: str) -> Graph:
    g = Graph()
    for name in SHAPE_FILES[version]:
        g.parse(SHAPES / version / name, format="turtle")
    return g


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def check(catalog: Graph, shapes_graph: Graph, vocabulary: Graph) -> list[Result]:
    """Validate `catalog` merged with `vocabulary` (the data graph, not `ont_graph`: pyshacl only
    copies class axioms from there, not `skos:inScheme`); return results on our nodes only."""
    data = Graph()
    data += catalog
    data += vocabulary
    _conforms, report, _text_report = validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True)
    assert isinstance(report, Graph)
    ours = set(catalog.subjects())
    out = []
    for r in report.objects(None, SH.result):  # top-level results only, not sh:detail
        focus = report.value(r, SH.focusNode)
        if focus not in ours and not isinstance(focus, BNode):
            continue
        severity = _text(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        out.append(Result(severity, _text(focus), _text(report.value(r, SH.resultPath)),
                          _text(report.value(r, SH.value)),
                          _text(report.value(r, SH.resultMessage)),
                          _text(report.value(r, SH.sourceShape))))
    return sorted(out, key=lambda r: (r.severity, r.focus, r.path, r.value, r.message))


def used_iris(catalog: Graph) -> set[URIRef]:
    return {t for t in set(catalog.subjects()) | set(catalog.objects()) if isinstance(t, URIRef)}


def subset(used: Iterable[URIRef], sources: Iterable[Path]) -> Graph:
    """Every triple the official files state about the used IRIs and about the schemes those are
    `skos:inScheme` of, without the schemes' long `skos:hasTopConcept` lists. (Parsed with
    Oxigraph: rdflib needs ~10 s for the 3.4 MB language table, Oxigraph well under one.)"""
    wanted = {str(u) for u in used}
    in_scheme, top, is_a = str(SKOS.inScheme), str(SKOS.hasTopConcept), str(RDF.type)
    out = Graph()
    for path in sources:
        triples = [t for t in ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML)
                   if isinstance(t.subject, ox.NamedNode)
                   and not isinstance(t.object, ox.BlankNode)]
        keep = {t.subject.value for t in triples if t.subject.value in wanted}
        keep |= {t.object.value for t in triples if t.subject.value in keep
                 and t.predicate.value == in_scheme}
        keep |= {t.subject.value for t in triples if t.subject.value in wanted
                 and t.predicate.value == is_a and t.object.value == str(SKOS.ConceptScheme)}
        nt = ox.serialize([t for t in triples if t.subject.value in keep
                           and t.predicate.value != top], format=ox.RdfFormat.N_TRIPLES)
        if nt:
            out.parse(data=nt.decode("utf-8"), format="nt")
    return out


def sorted_turtle(g: Graph, header: str) -> bytes:
    """Deterministic Turtle (sorted triples, via Oxigraph) after a comment header."""
    nt = g.serialize(format="nt", encoding="utf-8")
    triples = sorted(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = {"skos": str(SKOS), "rdf": str(RDF)}
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert body is not None
    return header.encode("utf-8") + body


def subset_file(catalog: Graph, shared: Path = SHARED) -> bytes:
    """The content `data/vocabularies/eu-authority-tables.ttl` must have for `catalog`."""
    sources = [shared / rel for rel in SOURCES]
    lines = ["# GENERATED by `python -m tests.dcat_ap regenerate dist/catalog.ttl`; do not edit.",
             "# The triples of the official EU authority tables (Publications Office NALs) and",
             "# the ADMS SKOS file about the concepts vestlod's DCAT catalog uses and their",
             "# schemes. Source: EU Vocabularies, Publications Office of the European Union",
             "# (ADMS: SEMIC, ISA Open Metadata Licence v1.1); see README.md in this folder.",
             "# Cut from these files (shared/eu-vocabularies/, sha256):"]
    for rel, path in zip(SOURCES, sources, strict=True):
        lines.append(f"#   {hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}")
    return sorted_turtle(subset(used_iris(catalog), sources), "\n".join(lines) + "\n\n")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "regenerate":
        print("usage: python -m tests.dcat_ap regenerate path/to/catalog.ttl", file=sys.stderr)
        return 2
    catalog = Graph()
    catalog.parse(argv[1], format="turtle")
    VOCABULARY.parent.mkdir(parents=True, exist_ok=True)
    VOCABULARY.write_bytes(subset_file(catalog))
    print(f"wrote {VOCABULARY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
