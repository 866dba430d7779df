"""The gate's integrity stage: SKOS checks, refArea places and the Data Cube constraints.

`tests/fixtures/skos/good.ttl` passes every SKOS check; each `skos-N.trig` beside it adds triples
(default graph) and takes some out (graph `fx:remove`) so that exactly check SKOS-N fails. The
stage as a whole (`check_integrity`) names the constraint and the resources that break it, and
the build refuses to write a dataset that breaks one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace

from publish.build.integrity import check_integrity
from publish.build.pipeline import BuildResult, build
from publish.build.skos_integrity import SKOS_DIR, check_skos, load_checks
from publish.errors import ShaclViolation
from publish.layout import TRIG
from tests.conftest import ROOT, project_settings

SKOS_FIXTURES = ROOT / "tests" / "fixtures" / "skos"
QB_FIXTURES = ROOT / "tests" / "fixtures" / "qb"
SHAPES = ROOT / "shapes"
FX = Namespace("urn:fixture:")
NEGATIVE = sorted(SKOS_FIXTURES.glob("skos-*.trig"))


def patched(good: Path, fixture: Path, fmt: str = "turtle") -> Graph:
    g = Graph().parse(good, format=fmt)
    delta = Dataset()
    delta.parse(fixture, format="trig")
    for triple in delta.graph(FX.remove):
        assert triple in g, f"{fixture.name}: removes {triple}, which {good.name} does not state"
        g.remove(triple)
    for triple in delta.default_graph:
        g.add(triple)
    return g


def check_of(fixture: Path) -> str:
    match = re.match(r"skos-(\d+)", fixture.name)
    assert match, fixture
    return f"SKOS-{int(match.group(1))}"


def cube_problems(data: Graph) -> list[str]:
    """The stage's problems other than SKOS (the Data Cube fixtures are not SKOS-complete)."""
    return [p for p in check_integrity(data, SHAPES).problems if not p.startswith("SKOS")]


def test_the_good_vocabulary_passes_every_skos_check() -> None:
    assert check_skos(Graph().parse(SKOS_FIXTURES / "good.ttl")) == []


@pytest.mark.parametrize("fixture", NEGATIVE, ids=[f.stem for f in NEGATIVE])
def test_each_skos_check_fires_on_its_fixture_and_no_other_does(fixture: Path) -> None:
    violations = check_skos(patched(SKOS_FIXTURES / "good.ttl", fixture))
    assert [v.check for v in violations] == [check_of(fixture)]
    assert violations[0].offenders and all("example.org" in o for o in violations[0].offenders)


def test_every_skos_check_has_a_negative_fixture() -> None:
    assert sorted(check_of(f) for f in NEGATIVE) == sorted(c.check for c in load_checks())
    assert load_checks(SKOS_DIR)[0].title.startswith("Top concept")


def test_a_broken_cube_is_named_with_its_constraint_and_offenders() -> None:
    """IC-12 is the constraint the figures broke before issue #15: two observations with the
    same dimension values. The stage names it and both observations."""
    data = patched(QB_FIXTURES / "good.ttl", QB_FIXTURES / "ic-12.trig")
    (problem,) = cube_problems(data)
    assert problem.startswith("Data Cube IC-12. No duplicate observations: ")
    assert "http://example.org/qb/" in problem
    assert "BROKEN" in check_integrity(data, SHAPES).headline()


def test_a_missing_dimension_names_the_observation() -> None:
    data = patched(QB_FIXTURES / "good.ttl", QB_FIXTURES / "ic-11.trig")
    (problem,) = cube_problems(data)
    assert problem.startswith("Data Cube IC-11.") and "http://example.org/qb/a2" in problem


def test_a_ref_area_that_is_not_a_place_is_a_problem() -> None:
    data = Graph().parse(QB_FIXTURES / "good.ttl")
    data.parse(data="""
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
        <http://example.org/qb/b1> sdmx-dimension:refArea <http://example.org/qb/cluster> .
        <http://example.org/qb/cluster> a org:FormalOrganization .
        """, format="turtle")
    (problem,) = cube_problems(data)
    assert problem.startswith("refArea is not a place: <http://example.org/qb/cluster>")


def test_the_published_dataset_passes_the_integrity_stage(built: BuildResult) -> None:
    """Acceptance of issue #15: on a fresh build every W3C Data Cube integrity constraint holds
    after normalisation, every refArea value is a place, and the SKOS checks hold."""
    report = check_integrity(built.out / TRIG, SHAPES)
    assert report.problems == ()
    assert "holds" in report.headline()


def test_a_broken_cube_stops_the_build_and_writes_nothing(tmp_path: Path) -> None:
    """The same figure twice (same area, indicator, measured thing and place) breaks IC-12: the
    build fails like a SHACL violation, names the constraint and both observations, and
    publishes nothing."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "annotations" / "foedevarer.yaml"
    text = path.read_text(encoding="utf-8")
    twice = text.replace("\nsectors:\n", """
  - id: foedevareeksport-danmark-igen
    area: foedevarer
    indicator: export
    quote: "den samlede danske fødevareeksport på 152 mia. kr."
    expression: "152 mia. kr."
    measured: foedevareerhvervet
    scope: danmark
    label: {da: Samme tal igen, en: The same figure again}

sectors:
""", 1)
    assert twice != text
    path.write_text(twice, encoding="utf-8")
    out = tmp_path / "dist"
    with pytest.raises(ShaclViolation) as info:
        build(project_settings(dist_dir=out, data_dir=data))
    message = str(info.value)
    assert "Data Cube IC-12. No duplicate observations" in message
    assert "id/figure/foedevareeksport-danmark," in message
    assert "id/figure/foedevareeksport-danmark-igen" in message
    assert not out.exists()
