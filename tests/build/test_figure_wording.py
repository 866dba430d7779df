"""Each figure's wording parses back to exactly what is published, and dates are not figures.

The published observation keeps the annex's words (`vl:expression`); reading them again with
`parse_quantity` must give the stored value (or, for a range, the stored bounds and no value),
the stored unit (a share as a ratio, issue #15) and the stored qualifier. A drift between the
words and the numbers would be a figure the annex does not state.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from publish.build.annotations import load_annotations
from publish.build.figures import as_ratio, parse_quantity, qualifier_word
from publish.build.graph import QUALIFIER_SLUGS
from publish.build.pipeline import load_document
from tests.conftest import ROOT, project_settings

BASE = "https://w3id.org/vestlod/"
FIGURES = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX vl: <https://w3id.org/vestlod/def/vestlod#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?f ?expr ?value ?low ?high ?unit ?qualifier ?quote WHERE {
  ?f a qb:Observation ; vl:expression ?expr ; sdmx-attribute:unitMeasure ?unit ;
     prov:wasDerivedFrom/oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?quote ] .
  OPTIONAL { ?f sdmx-measure:obsValue ?value }
  OPTIONAL { ?f vl:lowerBound ?low } OPTIONAL { ?f vl:upperBound ?high }
  OPTIONAL { ?f vl:qualifier ?qualifier }
}"""


def _dec(term: ox.Literal | None) -> Decimal | None:
    return None if term is None else Decimal(term.value)


def test_every_published_figure_parses_back_to_what_is_stored(store: ox.Store) -> None:
    rows = list(store.query(FIGURES, use_default_graph_as_union=True))
    assert len(rows) >= 30
    for row in rows:
        unit = row["unit"].value.rsplit("/", 1)[-1]
        q = parse_quantity(row["expr"].value)
        if unit == "ratio":
            q = as_ratio(q)
        where = row["f"].value
        assert (q.unit or unit) == ("dkk" if q.unit == "DKK" else unit) or (
            q.unit == "DKK" and unit == "dkk"), where
        if q.low is not None:  # a range: its bounds and no invented midpoint
            assert (_dec(row["low"]), _dec(row["high"]), row["value"]) == (q.low, q.high, None)
        else:
            assert (_dec(row["value"]), row["low"], row["high"]) == (q.value, None, None), where
        slug = None if row["qualifier"] is None else row["qualifier"].value.rsplit("/", 1)[-1]
        qualifier = q.qualifier
        if qualifier is None:  # a qualifier shared by coordinated numbers opens the quote
            qualifier = qualifier_word(row["quote"].value.split()[0])
        assert slug == (QUALIFIER_SLUGS[qualifier] if qualifier else None), where


def test_one_unit_per_indicator(store: ox.Store) -> None:
    query = """
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
        PREFIX vl: <https://w3id.org/vestlod/def/vestlod#>
        SELECT ?i (COUNT(DISTINCT ?u) AS ?n) WHERE {
          ?f a qb:Observation ; vl:indicator ?i ; sdmx-attribute:unitMeasure ?u .
        } GROUP BY ?i HAVING (COUNT(DISTINCT ?u) > 1)"""
    assert list(store.query(query, use_default_graph_as_union=True)) == []


def test_no_year_is_published_as_a_figure(store: ox.Store) -> None:
    """Years of founding, starting and publishing are dates on what they date (§A4)."""
    query = """
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
        ASK { ?f sdmx-attribute:unitMeasure <https://w3id.org/vestlod/id/unit/calendar-year> }"""
    assert not store.query(query, use_default_graph_as_union=True)
    dated = """
        PREFIX schema: <https://schema.org/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?s ?p ?y WHERE { VALUES ?p { schema:foundingDate prov:startedAtTime
                                            prov:endedAtTime dcterms:issued }
                                ?s ?p ?y . FILTER (DATATYPE(?y) = <http://www.w3.org/2001/XMLSchema#gYear>) }"""
    found = {(r["s"].value.removeprefix(BASE), r["p"].value.rsplit("/", 1)[-1].split("#")[-1],
              r["y"].value) for r in store.query(dated, use_default_graph_as_union=True)}
    assert {
        ("id/org/danish-food-cluster", "foundingDate", "2014"),
        ("id/work/paa-vej-mod-en-foedevareklynge", "issued", "2013"),
        ("id/initiative/nationalt-vindprogram", "startedAtTime", "2015"),
        ("id/initiative/nationalt-vindprogram", "endedAtTime", "2018"),
        ("id/activity/ffi-tilbud-til-de-tre-regioner", "startedAtTime", "2015"),
        ("id/activity/vestdanske-vaekstfora-fokus-paa-foedevarer", "startedAtTime", "2007"),
    } <= found


def test_every_date_parses_back_from_its_words() -> None:
    settings = project_settings()
    ann = load_annotations(load_document(settings), ROOT / "data" / "annotations")
    assert ann.dates
    for date in ann.dates.values():
        q = parse_quantity(date.expression.text)
        years = (q.low, q.high) if q.low is not None else (q.value, None)
        assert (date.start, date.end) == (years[0], years[1]), date.id


def test_overstige_is_the_qualifier_over_and_a_percentage_becomes_a_ratio() -> None:
    """*forventes snart at overstige 100 mia. kr.*: over 100 000 000 000 DKK (§A4); a share
    written "Ca. 80 %" is the ratio 0.8, a range in per cent keeps its bounds as ratios."""
    q = parse_quantity("overstige 100 mia. kr.")
    assert (q.value, q.unit, q.qualifier) == (Decimal(100_000_000_000), "DKK", "over")
    r = as_ratio(parse_quantity("Ca. 80 %"))
    assert (str(r.value), r.unit, r.qualifier) == ("0.8", "ratio", "ca.")
    b = as_ratio(parse_quantity("10-15 pct."))
    assert (str(b.low), str(b.high), b.unit) == ("0.1", "0.15", "ratio")
    assert as_ratio(parse_quantity("ca. 5 mia. kr.")) == parse_quantity("ca. 5 mia. kr.")
