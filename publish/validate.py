"""The SHACL gate: the dataset is published only if it conforms to `shapes/`.

pyshacl is the reference validator. The report is returned as Turtle (written by the build to
`dist/validation-report.ttl`); any violation raises `ShaclViolation` with a readable summary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pyshacl import validate
from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import RDF

from publish.config import Settings
from publish.errors import ShaclViolation

SH = Namespace("http://www.w3.org/ns/shacl#")


def shapes_graph(settings: Settings) -> Graph:
    g = Graph()
    for path in sorted(Path(settings.shapes_dir).glob("*.ttl")):
        g.parse(path, format="turtle", publicID=settings.base_iri)
    return g


def data_graph(ds: Dataset) -> Graph:
    union = Graph()
    for g in ds.graphs():
        for triple in g:
            union.add(triple)
    return union


def validate_dataset(ds: Dataset, settings: Settings,
                     log: Callable[[str], None] = lambda _m: None) -> str:
    shapes = shapes_graph(settings)
    if not len(shapes):
        raise ShaclViolation(f"{settings.shapes_dir}: no shapes; refusing to publish unchecked")
    conforms, report, _text = validate(
        data_graph(ds), shacl_graph=shapes, inference="none", advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    log(f"validation: {'conforms' if conforms else 'DOES NOT CONFORM'}, "
        f"{len(violations)} violations, "
        f"{len(set(report.subjects(RDF.type, SH.ValidationResult)))} results")
    if violations:
        raise ShaclViolation(f"{len(violations)} SHACL violations:\n{_text}")
    return report.serialize(format="turtle")
