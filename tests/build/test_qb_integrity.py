"""The W3C Data Cube integrity constraints: each one fires on its own fixture and on no good cube.

`tests/fixtures/qb/good.ttl` is a small cube that is well-formed once normalised. Each
`ic-NN.trig` beside it adds triples (default graph) and takes some out (graph `fx:remove`) so that
exactly constraint IC-NN breaks (`ic-19a`/`ic-19b`: the two forms of IC-19). A constraint that
silently stops matching turns its test red; so does a good cube that starts to fail one.
`abbreviated.ttl` is a cube that is well-formed only after the §10 normalisation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef

from publish.build.pipeline import BuildResult
from publish.build.qb_integrity import (
    NORMALISATION,
    QB_DIR,
    NonPlace,
    Violation,
    check_cube,
    check_store,
    load_constraints,
    merged_store,
    non_place_ref_areas,
)
from publish.errors import BuildError
from publish.layout import TRIG
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "qb"
GOOD = FIXTURES / "good.ttl"
FX = Namespace("urn:fixture:")
EG = Namespace("http://example.org/qb/")
NEGATIVE = sorted(FIXTURES.glob("ic-*.trig"))
ALL_ICS = [f"IC-{n}" for n in range(1, 22)]


def ic_of(fixture: Path) -> str:
    """``ic-07.trig`` → ``IC-7``; ``ic-19b.trig`` → ``IC-19``."""
    match = re.match(r"ic-(\d+)", fixture.name)
    assert match, fixture
    return f"IC-{int(match.group(1))}"


def patched(fixture: Path) -> Graph:
    """good.ttl with the fixture's default graph added and its ``fx:remove`` graph taken out."""
    g = Graph().parse(GOOD, format="turtle")
    delta = Dataset()
    delta.parse(fixture, format="trig")
    for triple in delta.graph(FX.remove):
        assert triple in g, f"{fixture.name}: removes {triple}, which good.ttl does not state"
        g.remove(triple)
    for triple in delta.default_graph:
        g.add(triple)
    return g


def ics(violations: list[Violation]) -> list[str]:
    return [v.ic for v in violations]


def test_the_good_cube_passes_all_twenty_one_constraints() -> None:
    assert check_cube(GOOD) == []


@pytest.mark.parametrize("fixture", NEGATIVE, ids=[f.stem for f in NEGATIVE])
def test_each_constraint_fires_on_its_fixture_and_no_other_does(fixture: Path) -> None:
    assert ics(check_cube(patched(fixture))) == [ic_of(fixture)]


def test_every_constraint_has_a_negative_fixture() -> None:
    assert sorted({ic_of(f) for f in NEGATIVE}, key=lambda ic: int(ic[3:])) == ALL_ICS


def test_the_twenty_one_constraints_are_loaded_with_the_recommendations_titles() -> None:
    constraints = load_constraints()
    assert [c.ic for c in constraints] == ALL_ICS
    by_ic = {c.ic: c for c in constraints}
    assert by_ic["IC-12"].title == "No duplicate observations"
    assert len(by_ic["IC-19"].asks) == 2  # a code list is a concept scheme or a collection
    assert by_ic["IC-20"].instances is not None and by_ic["IC-21"].instances is not None
    assert all("<$p>" in ask for ic in ("IC-20", "IC-21") for ask in by_ic[ic].asks)


def test_normalisation_makes_the_abbreviated_cube_well_formed() -> None:
    """Phase 1 types observations and expands the qb:dimension shortcuts; phase 2 copies the
    slice's year and the data set's unit onto the observations. Each phase is needed."""
    constraints = load_constraints()
    store = merged_store(FIXTURES / "abbreviated.ttl")
    assert ics(check_store(store, constraints)) == ["IC-3", "IC-8"]
    store.update((QB_DIR / NORMALISATION[0]).read_text(encoding="utf-8"))
    assert ics(check_store(store, constraints)) == ["IC-11", "IC-13"]
    store.update((QB_DIR / NORMALISATION[1]).read_text(encoding="utf-8"))
    assert check_store(store, constraints) == []
    assert check_cube(FIXTURES / "abbreviated.ttl") == []


def test_without_normalisation_a_missing_dimension_goes_unseen() -> None:
    """The published figures' structure uses qb:dimension as this fixture does: only the
    normalised data shows that an observation lacks a dimension (issue #15's IC-11)."""
    data = patched(FIXTURES / "ic-11.trig")
    assert "IC-11" not in ics(check_store(merged_store(data), load_constraints()))
    assert ics(check_cube(data)) == ["IC-11"]


def test_the_union_of_the_named_graphs_is_what_is_checked() -> None:
    """Structure in one graph, observations in another, as in the dumps: one cube."""
    good = Graph().parse(GOOD, format="turtle")
    broken = patched(FIXTURES / "ic-11.trig")
    for data, expected in ((good, []), (broken, ["IC-11"])):
        ds = Dataset()
        vocabulary, observations = ds.graph(URIRef("urn:g:vocab")), ds.graph(URIRef("urn:g:data"))
        for s, p, o in data:
            (observations if s in (EG.a1, EG.a2) else vocabulary).add((s, p, o))
        assert len(observations) and len(vocabulary)
        assert ics(check_cube(ds)) == expected


def test_checking_leaves_the_callers_data_unchanged() -> None:
    graph = Graph().parse(GOOD, format="turtle")
    store = ox.Store()
    store.bulk_load(path=GOOD, format=ox.RdfFormat.TURTLE)
    before = (len(graph), len(store))
    assert check_cube(graph) == check_cube(store) == []
    assert (len(graph), len(store)) == before


def test_every_query_file_keeps_the_w3c_source_and_copyright() -> None:
    """The W3C document licence lets the text be copied only with a link, notice and status."""
    files = sorted(QB_DIR.glob("*.rq")) + sorted(QB_DIR.glob("*.ru"))
    assert len(files) == 26  # 18 + 2 (IC-19) + 2 × 2 (IC-20, IC-21 templates) + 2 updates
    for path in files:
        head = path.read_text(encoding="utf-8")[:600]
        assert "https://www.w3.org/TR/2014/REC-vocab-data-cube-20140116/" in head, path.name
        assert "Recommendation 16 January 2014" in head, path.name
        assert "Copyright © 2014 W3C®" in head, path.name


def test_a_missing_constraint_file_is_an_error_not_a_pass(tmp_path: Path) -> None:
    folder = tmp_path / "qb"
    shutil.copytree(QB_DIR, folder)
    (folder / "ic-07.rq").unlink()
    with pytest.raises(BuildError, match="IC-7"):
        check_cube(GOOD, folder)


REF_AREAS = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix eg: <http://example.org/qb/> .

eg:Municipality rdfs:subClassOf schema:AdministrativeArea .
eg:denmark a schema:Place .
eg:west a dcterms:Location .
eg:skive a eg:Municipality .
eg:region a org:FormalOrganization .
eg:report a schema:Report .
eg:homeArea rdfs:subPropertyOf sdmx-dimension:refArea .

eg:o1 sdmx-dimension:refArea eg:denmark .
eg:o2 sdmx-dimension:refArea eg:west .
eg:o3 sdmx-dimension:refArea eg:skive .
eg:o4 sdmx-dimension:refArea <http://data.europa.eu/nuts/code/DK04> .
eg:o5 sdmx-dimension:refArea eg:region .
eg:o6 sdmx-dimension:refArea eg:region .
eg:o7 eg:homeArea eg:report .
eg:o8 sdmx-dimension:refArea "Vestdanmark" .
"""


def test_ref_area_values_that_are_not_places_are_listed_with_what_they_are() -> None:
    """Places: schema:Place, dcterms:Location, a class declared beneath a schema.org place type,
    a NUTS region. Everything else is listed, including values of a refArea sub-property."""
    data = Graph().parse(data=REF_AREAS, format="turtle")
    assert non_place_ref_areas(data) == [
        NonPlace("Vestdanmark", (), 1),
        NonPlace(str(EG.region), ("http://www.w3.org/ns/org#FormalOrganization",), 2),
        NonPlace(str(EG.report), ("https://schema.org/Report",), 1),
    ]


def test_the_published_figures_are_a_well_formed_cube_with_places_as_ref_areas(
    built: BuildResult,
) -> None:
    """Issue #15: before, the figures broke IC-4, IC-11 and IC-12 and refArea held
    organisations, programmes and reports; now every constraint holds after normalisation and
    the only refArea values are Danmark, Vestdanmark and the world."""
    dump = built.out / TRIG
    assert check_cube(dump) == []
    assert non_place_ref_areas(dump) == []
    store = merged_store(dump)
    areas = {row["a"].value.rsplit("/", 1)[-1] for row in store.query(
        "SELECT DISTINCT ?a WHERE { ?o <http://purl.org/linked-data/sdmx/2009/dimension#refArea>"
        " ?a }")}
    assert areas == {"danmark", "vestdanmark", "verden"}
