"""The EU data portal's Metadata Quality Assessment (MQA) of each catalogued dataset, as data.

data.europa.eu scores every harvested dataset by its published methodology
(https://data.europa.eu/mqa/methodology): 23 indicators in five dimensions, 405 points, rated
Excellent from 351, Good from 221, Sufficient from 121, Bad below. It stores the results as W3C
DQV measurements; so do we, in every catalog file (`dqv:hasQualityMeasurement` of each
dataset, one `dqv:QualityMeasurement` per indicator, per dimension, the total and the rating).

How the indicators are computed here (the methodology's rules, with our reading where it is
terse):

* dataset indicators (keywords, themes, spatial, temporal, access rights and their vocabulary,
  contact point, publisher, issued, modified, DCAT-AP compliance) give their weight or nothing;
* distribution indicators give their weight times the share of the dataset's distributions that
  meet them (a SPARQL distribution without a download URL lowers the share, it does not zero
  it); download-URL accessibility counts the distributions that have one;
* accessibility is an HTTP ``HEAD`` answered 2xx or 3xx. The build does not reach the network:
  it predicts the answer from what it publishes (`published_url`: the dumps and the catalog
  files in this very folder, ``/sparql``, ``/catalog``); ``vestlod mqa --server`` asks the running
  server the same question and says where the prediction was wrong;
* DCAT-AP compliance is 0 violations of the official DCAT-AP 3.0.1 shapes (EU authority tables
  merged) on the dataset and its distributions;
* machine-readable and non-proprietary formats: the EU file types the MQA lists as such, for the
  ones we use (the RDF serialisations); the SPARQL results type is counted as neither, to err on
  the low side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from publish.config import Settings
from publish.vocab import AUTHORITY, DCAT, DCTERMS, DQV, IANA, RDF, RDFS, SKOS, XSD

#: the methodology's maximum and rating bands (lower bounds)
MAXIMUM = 405
RATINGS: tuple[tuple[int, str], ...] = ((351, "Excellent"), (221, "Good"), (121, "Sufficient"),
                                        (0, "Bad"))
DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability",
              "contextuality")

#: EU file types that the MQA counts as machine-readable and as non-proprietary (those we use;
#: the file-type table marks each `is-machine-readable` and `is-nonPropExt`, CSV included)
MACHINE_READABLE = {f"{AUTHORITY}file-type/{c}" for c in (
    "RDF_TURTLE", "RDF_N_TRIPLES", "JSON_LD", "RDF_XML", "RDF_TRIG", "RDF_N_QUADS", "CSV")}
NON_PROPRIETARY = set(MACHINE_READABLE)


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    weight: int
    level: str  # "dataset" or "distribution"
    label: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keywords", "findability", 30, "dataset", "Keyword usage"),
    Indicator("categories", "findability", 30, "dataset", "Categories (dcat:theme)"),
    Indicator("spatial", "findability", 20, "dataset", "Geo search (dct:spatial)"),
    Indicator("temporal", "findability", 20, "dataset", "Time-based search (dct:temporal)"),
    Indicator("access-url-accessible", "accessibility", 50, "distribution",
              "AccessURL accessibility"),
    Indicator("download-url", "accessibility", 20, "distribution", "DownloadURL"),
    Indicator("download-url-accessible", "accessibility", 30, "distribution",
              "DownloadURL accessibility"),
    Indicator("format", "interoperability", 20, "distribution", "Format"),
    Indicator("media-type", "interoperability", 10, "distribution", "Media type"),
    Indicator("format-vocabulary", "interoperability", 10, "distribution",
              "Format / media type from vocabulary"),
    Indicator("non-proprietary", "interoperability", 20, "distribution", "Non-proprietary"),
    Indicator("machine-readable", "interoperability", 20, "distribution", "Machine-readable"),
    Indicator("dcat-ap-compliance", "interoperability", 30, "dataset", "DCAT-AP compliance"),
    Indicator("licence", "reusability", 20, "distribution", "Licence information"),
    Indicator("licence-vocabulary", "reusability", 10, "distribution", "Licence vocabulary"),
    Indicator("access-rights", "reusability", 10, "dataset", "Access restrictions"),
    Indicator("access-rights-vocabulary", "reusability", 5, "dataset",
              "Access restrictions vocabulary"),
    Indicator("contact-point", "reusability", 20, "dataset", "Contact point"),
    Indicator("publisher", "reusability", 10, "dataset", "Publisher"),
    Indicator("rights", "contextuality", 5, "distribution", "Rights"),
    Indicator("byte-size", "contextuality", 5, "distribution", "File size"),
    Indicator("issued", "contextuality", 5, "dataset", "Date of issue"),
    Indicator("modified", "contextuality", 5, "dataset", "Modification date"),
)
assert sum(i.weight for i in INDICATORS) == MAXIMUM

Reachable = Callable[[str], bool]


@dataclass(frozen=True)
class Score:
    """One dataset's MQA result: points per indicator (exact fractions)."""

    dataset: str
    points: Mapping[str, Fraction]

    def dimension(self, name: str) -> Fraction:
        return sum((self.points[i.key] for i in INDICATORS if i.dimension == name), Fraction(0))

    @property
    def total(self) -> Fraction:
        return sum(self.points.values(), Fraction(0))

    @property
    def rating(self) -> str:
        return rating(self.total)


def rating(total: Fraction | Decimal | int) -> str:
    return next(name for low, name in RATINGS if total >= low)


def rounded(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


def _has(g: Graph, s: Node, p: URIRef) -> bool:
    return g.value(s, p) is not None


def _in(g: Graph, s: Node, p: URIRef, prefix: str) -> bool:
    return any(str(o).startswith(prefix) for o in g.objects(s, p))


def _distribution_checks(g: Graph, d: Node, reachable: Reachable) -> dict[str, bool | None]:
    """Each distribution indicator for one distribution (None: does not apply)."""
    fmt = g.value(d, DCTERMS.format)
    download = g.value(d, DCAT.downloadURL)
    access = g.value(d, DCAT.accessURL)
    licence = g.value(d, DCTERMS.license)
    return {
        "access-url-accessible": access is not None and reachable(str(access)),
        "download-url": download is not None,
        "download-url-accessible": None if download is None else reachable(str(download)),
        "format": fmt is not None,
        "media-type": _has(g, d, DCAT.mediaType),
        "format-vocabulary": _in(g, d, DCTERMS.format, f"{AUTHORITY}file-type/")
        or _in(g, d, DCAT.mediaType, str(IANA)),
        "non-proprietary": str(fmt) in NON_PROPRIETARY,
        "machine-readable": str(fmt) in MACHINE_READABLE,
        "licence": licence is not None,
        "licence-vocabulary": str(licence).startswith(f"{AUTHORITY}licence/"),
        "rights": _has(g, d, DCTERMS.rights),
        "byte-size": _has(g, d, DCAT.byteSize),
    }


def score(g: Graph, dataset: URIRef, reachable: Reachable, compliant: bool) -> Score:
    """The MQA points of one dataset of the catalog graph `g`."""
    ds_checks = {
        "keywords": _has(g, dataset, DCAT.keyword),
        "categories": _has(g, dataset, DCAT.theme),
        "spatial": _has(g, dataset, DCTERMS.spatial),
        "temporal": _has(g, dataset, DCTERMS.temporal),
        "dcat-ap-compliance": compliant,
        "access-rights": _has(g, dataset, DCTERMS.accessRights),
        "access-rights-vocabulary": _in(g, dataset, DCTERMS.accessRights,
                                        f"{AUTHORITY}access-right/"),
        "contact-point": _has(g, dataset, DCAT.contactPoint),
        "publisher": _has(g, dataset, DCTERMS.publisher),
        "issued": _has(g, dataset, DCTERMS.issued),
        "modified": _has(g, dataset, DCTERMS.modified),
    }
    dists = sorted(g.objects(dataset, DCAT.distribution), key=str)
    per_dist = [_distribution_checks(g, d, reachable) for d in dists]
    points: dict[str, Fraction] = {}
    for ind in INDICATORS:
        if ind.level == "dataset":
            met = Fraction(1) if ds_checks[ind.key] else Fraction(0)
        else:
            values = [c[ind.key] for c in per_dist if c[ind.key] is not None]
            met = Fraction(sum(1 for v in values if v), len(values)) if values else Fraction(0)
        points[ind.key] = ind.weight * met
    return Score(str(dataset), points)


def published_url(settings: Settings, files: Iterable[str]) -> Reachable:
    """What the build predicts a ``HEAD`` on a URL answers: 2xx for what this publication serves
    under the base IRI (``/sparql``, ``/catalog``, a file of the folder under ``/dumps/``),
    nothing for the rest (the build never reaches the network)."""
    names = set(files)
    base = settings.base_iri

    def reachable(url: str) -> bool:
        if not url.startswith(base):
            return False
        path = url[len(base):]
        if path in ("sparql", "catalog"):
            return True
        return path.startswith("dumps/") and path[len("dumps/"):] in names

    return reachable


def compliance(g: Graph, settings: Settings) -> set[str]:
    """The focus nodes with DCAT-AP 3.0.1 violations (official shapes, EU tables merged)."""
    from pyshacl import validate

    from publish.vocab import SH

    folder = Path(settings.shapes_dir) / "dcat-ap" / "3.0.1"
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl"):
        shapes.parse(folder / name, format="turtle")
    data = Graph()
    data += g
    data.parse(Path(settings.data_dir) / "vocabularies" / "eu-authority-tables.ttl",
               format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none",
                                        advanced=True, allow_warnings=True)
    assert isinstance(report, Graph)
    return {str(report.value(r, SH.focusNode)) for r in report.objects(None, SH.result)
            if report.value(r, SH.resultSeverity) == SH.Violation}


def datasets_of(g: Graph) -> list[URIRef]:
    return sorted((d for d in g.subjects(RDF.type, DCAT.Dataset) if isinstance(d, URIRef)),
                  key=str)


def assess_with(g: Graph, reachable: Reachable, violating: set[str]) -> dict[str, Score]:
    out = {}
    for ds in datasets_of(g):
        own = {str(ds)} | {str(d) for d in g.objects(ds, DCAT.distribution)}
        out[str(ds)] = score(g, ds, reachable, compliant=not (own & violating))
    return out


def assess(g: Graph, settings: Settings, files: Iterable[str]) -> dict[str, Score]:
    """Every dataset's score as the build predicts it (see `published_url`)."""
    return assess_with(g, published_url(settings, files), compliance(g, settings))


# ------------------------------------------------------------------ DQV

def metric(base_iri: str, key: str) -> URIRef:
    return URIRef(f"{base_iri}def/mqa#{key}")


def add_measurements(g: Graph, scores: Mapping[str, Score], base_iri: str) -> None:
    """Each score as DQV: per indicator (points), per dimension (points), total, rating."""
    g.bind("dqv", DQV)
    for ind in INDICATORS:
        m = metric(base_iri, ind.key)
        g.add((m, RDF.type, DQV.Metric))
        g.add((m, SKOS.definition, Literal(f"{ind.label}: MQA indicator, {ind.weight} points "
                                           f"({ind.level} level)", lang="en")))
        g.add((m, DQV.inDimension, metric(base_iri, ind.dimension)))
    for dim in DIMENSIONS:
        d = metric(base_iri, dim)
        g.add((d, RDF.type, DQV.Dimension))
        g.add((d, RDFS.label, Literal(dim.capitalize(), lang="en")))
        g.add((d, DQV.inCategory, metric(base_iri, "mqa")))
    g.add((metric(base_iri, "mqa"), RDF.type, DQV.Category))
    g.add((metric(base_iri, "mqa"), RDFS.label, Literal(
        "Metadata Quality Assessment of data.europa.eu", lang="en")))
    g.add((metric(base_iri, "mqa"), RDFS.seeAlso, URIRef("https://data.europa.eu/mqa/methodology")))
    for key, label in (("score", "MQA score (of 405)"), ("rating", "MQA rating")):
        g.add((metric(base_iri, key), RDF.type, DQV.Metric))
        g.add((metric(base_iri, key), SKOS.definition, Literal(label, lang="en")))
        g.add((metric(base_iri, key), DQV.inDimension, metric(base_iri, "mqa")))

    for ds, s in sorted(scores.items()):
        values: list[tuple[str, Literal]] = [
            (i.key, Literal(rounded(s.points[i.key]), datatype=XSD.decimal)) for i in INDICATORS]
        values += [(dim, Literal(rounded(s.dimension(dim)), datatype=XSD.decimal))
                   for dim in DIMENSIONS]
        values += [("score", Literal(rounded(s.total), datatype=XSD.decimal)),
                   ("rating", Literal(s.rating))]
        for key, value in values:
            m = URIRef(f"{ds}#mqa-{key}")
            g.add((URIRef(ds), DQV.hasQualityMeasurement, m))
            g.add((m, RDF.type, DQV.QualityMeasurement))
            g.add((m, DQV.computedOn, URIRef(ds)))
            g.add((m, DQV.isMeasurementOf, metric(base_iri, key)))
            g.add((m, DQV.value, value))


def read_measurements(g: Graph, base_iri: str) -> dict[str, dict[str, str]]:
    """`{dataset: {metric key: value}}` of the DQV measurements in a catalog graph."""
    prefix = f"{base_iri}def/mqa#"
    out: dict[str, dict[str, str]] = {}
    for ds, m in g.subject_objects(DQV.hasQualityMeasurement):
        key = str(g.value(m, DQV.isMeasurementOf)).removeprefix(prefix)
        out.setdefault(str(ds), {})[key] = str(g.value(m, DQV.value))
    return out


def table(scores: Mapping[str, Score], base_iri: str) -> str:
    """A Markdown table: one row per dataset, the five dimensions, total and rating."""
    head = ["dataset", *[d.capitalize() for d in DIMENSIONS], "total", "rating"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for ds, s in sorted(scores.items()):
        cells = [ds.removeprefix(base_iri), *[str(rounded(s.dimension(d))) for d in DIMENSIONS],
                 str(rounded(s.total)), s.rating]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
