"""The SHACL gate: every shape catches what it is for, and nothing invalid is published.

`tests/fixtures/shacl/valid.trig` is a tiny dataset that conforms; each `<Shape>.trig` beside it
adds triples (default graph), takes some out (graph `fx:remove`) and states the one result it
must cause (graph `fx:expect`). A shape that silently stops matching turns its test red, and a
new shape without a fixture fails `test_every_shape_has_a_fixture`.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from publish.build.pipeline import BuildResult, build
from publish.build.validate import (
    SH,
    Finding,
    data_graph,
    read_findings,
    run_shacl,
    shape_names,
    shapes_graph,
    validate_dataset,
    validate_dist,
    write_report,
)
from publish.cli import main
from publish.config import Settings
from publish.errors import BuildError, ShaclViolation
from publish.layout import read_sums
from tests.conftest import ROOT, project_settings

BASE = "https://w3id.org/vestlod/"
FIXTURES = ROOT / "tests" / "fixtures" / "shacl"
VLS = Namespace(BASE + "shapes/vestlod#")
FX = Namespace("urn:fixture:")
ORG = URIRef(BASE + "id/org/aarhus-universitet")


@pytest.fixture(scope="module")
def settings() -> Settings:
    return project_settings()


@pytest.fixture(scope="module")
def shapes(settings: Settings) -> Graph:
    return shapes_graph(settings)


@pytest.fixture(scope="module")
def valid() -> Graph:
    """The real ontology and schemes plus the valid fixture, as the build would merge them."""
    g = Graph()
    for path in [ROOT / "ontology" / "vestlod.ttl", *sorted((ROOT / "ontology" / "schemes").glob(
            "*.ttl"))]:
        g.parse(path, format="turtle", publicID=BASE)
    ds = Dataset()
    ds.parse(FIXTURES / "valid.trig", format="trig", publicID=BASE)
    for triple in data_graph(ds):
        g.add(triple)
    return g


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.trig") if p.stem != "valid")


def patched(valid: Graph, name: str) -> tuple[Graph, Graph]:
    """valid + the fixture's additions − its removals, and the fixture's expectations."""
    ds = Dataset()
    ds.parse(FIXTURES / f"{name}.trig", format="trig", publicID=BASE)
    g = Graph()
    for triple in valid:
        g.add(triple)
    for triple in ds.graph(FX.remove):
        assert triple in g, f"{name}.trig removes a triple valid.trig does not have: {triple}"
        g.remove(triple)
    for triple in ds.default_context:
        g.add(triple)
    return g, ds.graph(FX.expect)


def findings(data: Graph, shapes: Graph) -> list[Finding]:
    _conforms, report = run_shacl(data, shapes)
    return read_findings(report, data, BASE)


def test_the_valid_fixture_conforms(valid: Graph, shapes: Graph) -> None:
    assert findings(valid, shapes) == []


@pytest.mark.parametrize("name", fixture_names())
def test_each_fixture_violates_exactly_its_shape(valid: Graph, shapes: Graph, name: str) -> None:
    data, expect = patched(valid, name)
    results = findings(data, shapes)
    assert {f.shape for f in results} == {str(VLS[name])}, "\n".join(
        f"{f.shape} {f.focus} {f.path}" for f in results)
    focus = expect.value(FX.result, FX.focus)
    path = expect.value(FX.result, FX.path)
    severity = expect.value(FX.result, FX.severity)
    assert [(f.focus, f.path, f.severity) for f in results] == [
        (str(focus), None if path == FX.none else str(path), str(severity).rsplit(":", 1)[-1])
    ]
    assert results[0].message


def test_every_shape_has_a_fixture(shapes: Graph) -> None:
    names = {str(s).removeprefix(str(VLS)) for s in shape_names(shapes)}
    assert names == set(fixture_names())


def test_every_shape_is_labelled_in_both_languages_and_explains_itself(shapes: Graph) -> None:
    for shape in shape_names(shapes):
        langs = {lit.language for lit in shapes.objects(shape, RDFS.label)
                 if isinstance(lit, Literal)}
        assert {"da", "en"} <= langs, shape
        carriers = [shape, *shapes.objects(shape, SH.sparql)]
        messages = [m for c in carriers for m in shapes.objects(c, SH.message)]
        assert any(isinstance(m, Literal) and m.language == "en" and len(m) > 20
                   for m in messages), shape


def test_the_unit_list_is_the_units_scheme(shapes: Graph) -> None:
    """sh:in is a fixed list on purpose; this keeps it in step with ontology/schemes/units.ttl."""
    units = Graph().parse(ROOT / "ontology" / "schemes" / "units.ttl", publicID=BASE)
    scheme = URIRef(BASE + "id/scheme/units")
    listed = shapes.value(VLS.FigureUnitShape, SH["in"])
    assert listed is not None
    assert set(shapes.items(listed)) == set(units.subjects(SKOS.inScheme, scheme))


def test_shapes_follow_the_base_iri() -> None:
    """Relative IRIs and SPARQL prefixes both resolve against the configured base."""
    other = "https://example.org/lod/"
    g = shapes_graph(project_settings(base_iri=other))
    assert (URIRef(other + "shapes/vestlod#ActorShape"), SH.targetClass,
            URIRef(other + "def/vestlod#Actor")) in g
    namespaces = {str(ns) for ns in g.objects(None, SH.namespace)}
    assert {other + "id/", other + "def/vestlod#"} <= namespaces
    assert all(isinstance(ns, Literal) and ns.datatype == XSD.anyURI
               for ns in g.objects(None, SH.namespace))


def test_a_finding_names_the_label_and_the_annotation_line(valid: Graph, shapes: Graph) -> None:
    data, _expect = patched(valid, "QuoteMatchesSourceShape")
    [finding] = findings(data, shapes)
    assert finding.label == "Evidence for acme (#quote)"
    assert finding.origin == "data/annotations/fixture.yaml:3"
    assert "«Acme A/B»" in finding.message and "«Acme A/S»" in finding.message


def test_the_gate_raises_with_a_readable_summary(valid: Graph, settings: Settings) -> None:
    data, _expect = patched(valid, "PrefLabelEnglishShape")
    ds = Dataset()
    g = ds.graph(URIRef(BASE + "graph/data"))
    for triple in data:
        g.add(triple)
    with pytest.raises(ShaclViolation) as caught:
        validate_dataset(ds, settings)
    text = str(caught.value)
    assert "1 violations" in text
    assert f"<{BASE}id/org/acme> \"Acme Ltd\"" in text  # rdfs:label@en is still there
    assert "vls:PrefLabelEnglishShape" in text
    assert "from:    data/annotations/fixture.yaml:3" in text


# ---------------------------------------------------------------- the real annex


def test_vestlod_validate_passes_the_built_annex(built: BuildResult, tmp_path: Path) -> None:
    report = tmp_path / "report.ttl"
    result = CliRunner().invoke(main, ["validate", "--dist", str(built.out),
                                       "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("validation: conforms, 0 violations")
    assert (None, SH.conforms, Literal(True)) in Graph().parse(report)


def test_an_organisation_without_english_label_fails_and_is_named(
        built: BuildResult, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(built.out, copy)
    ds = Dataset()
    ds.parse(copy / "vestlod.trig", format="trig")
    removed = [(s, p, o, g) for s, p, o, g in ds.quads((ORG, None, None, None))
               if p in (SKOS.prefLabel, RDFS.label) and isinstance(o, Literal)
               and o.language == "en"]
    assert len(removed) == 2
    for quad in removed:
        ds.remove(quad)
    ds.serialize(copy / "vestlod.trig", format="trig")

    report_path = tmp_path / "report.ttl"
    result = CliRunner().invoke(main, ["validate", "--dist", str(copy),
                                       "--report", str(report_path)])
    assert result.exit_code == ShaclViolation.exit_code, result.output
    assert f"Violation: <{ORG}> \"Aarhus Universitet\"" in result.output
    assert "vls:PrefLabelEnglishShape" in result.output
    assert "vls:LabelEnglishShape" in result.output
    assert "annotations/common.yaml:" in result.output
    report = Graph().parse(report_path)
    assert set(report.objects(None, SH.focusNode)) == {ORG}


# ---------------------------------------------------------------- validating never changes a build


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of a folder with its modification time and bytes."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def _sums_hold(folder: Path) -> bool:
    """What `sha256sum -c SHA256SUMS` checks, through the one SHA256SUMS reader."""
    sums = read_sums(folder)
    return bool(sums) and all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        for name, digest in sums.items())


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_validating_a_published_build_leaves_every_file_as_it_was(
        built: BuildResult, settings: Settings, tmp_path: Path, engine: str) -> None:
    if engine == "fast":
        pytest.importorskip("shacl", reason="the fast path needs the Rust `shacl` package")
    published = tmp_path / "dist"
    shutil.copytree(built.out, published)  # a build of its own: copytree keeps the mtimes
    before = _snapshot(published)
    assert _sums_hold(published)

    report = validate_dist(published, settings, engine=engine)

    assert report.conforms and report.turtle
    assert _snapshot(published) == before
    assert _sums_hold(published)


def test_validate_prints_the_summary_and_writes_no_report_unless_asked(
        built: BuildResult, tmp_path: Path) -> None:
    published = tmp_path / "dist"
    shutil.copytree(built.out, published)
    before = _snapshot(published)
    result = CliRunner().invoke(main, ["validate", "--dist", str(published),
                                       "--engine", "pyshacl"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("validation: conforms")
    assert _snapshot(published) == before


def test_a_report_path_inside_the_validated_folder_is_refused(
        built: BuildResult, settings: Settings, tmp_path: Path) -> None:
    """`dist` is a link to `dist.<version>`: both spellings of the folder are inside it."""
    report = validate_dist(built.out, settings, engine="pyshacl")
    before = _snapshot(built.out)
    for inside in (built.out / "validation-report.ttl", built.out.resolve() / "other.ttl"):
        with pytest.raises(BuildError, match="inside the validated folder"):
            write_report(report, inside, built.out)
    assert _snapshot(built.out) == before
    write_report(report, tmp_path / "report.ttl", built.out)
    assert (tmp_path / "report.ttl").read_text(encoding="utf-8") == report.turtle


def test_a_violation_stops_the_build_and_keeps_the_last_good_output(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<shapes/test#NoActors> a sh:NodeShape ; sh:targetClass <def/vestlod#Actor> ;\n"
        "    sh:property [ sh:path rdfs:label ; sh:maxCount 0 ] .\n")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "vestlod.trig").write_text("# the last good build\n")
    with pytest.raises(ShaclViolation):
        build(project_settings(dist_dir=dist, shapes_dir=shapes))
    assert [p.name for p in dist.iterdir()] == ["vestlod.trig"]
    assert (dist / "vestlod.trig").read_text() == "# the last good build\n"


# ---------------------------------------------------------------- the fast path


def _key(findings_: list[Finding]) -> list[tuple[str, str, str | None, str, str]]:
    """What both engines must agree on. sh:value is left out: the fast path omits it for
    SPARQL-based results (the message, which quotes it, is compared instead)."""
    return sorted((f.severity, f.focus, f.path, f.shape, f.message) for f in findings_)


@pytest.mark.parametrize("name", ["valid", *fixture_names()])
def test_the_fast_path_reports_what_pyshacl_reports(
        valid: Graph, shapes: Graph, settings: Settings, tmp_path: Path, name: str) -> None:
    pytest.importorskip("shacl", reason="the fast path needs the Rust `shacl` package")
    from publish.build.validate import validate_fast

    data = valid if name == "valid" else patched(valid, name)[0]
    data.serialize(tmp_path / "vestlod.trig", format="trig")
    assert _key(validate_fast(tmp_path, settings).findings) == _key(findings(data, shapes))


def test_the_fast_path_agrees_on_the_annex_and_on_a_broken_copy(
        built: BuildResult, settings: Settings, tmp_path: Path) -> None:
    pytest.importorskip("shacl", reason="the fast path needs the Rust `shacl` package")
    from publish.build.validate import load_dist

    assert validate_dist(built.out, settings, engine="fast").conforms
    copy = tmp_path / "copy"
    shutil.copytree(built.out, copy)
    text = (copy / "vestlod.trig").read_text(encoding="utf-8")
    (copy / "vestlod.trig").write_text(text.replace('"Aarhus University"@en', '"AU"@de'),
                                       encoding="utf-8")
    fast = validate_dist(copy, settings, engine="fast")
    reference = findings(load_dist(copy), shapes_graph(settings))
    assert fast.violations and _key(list(fast.findings)) == _key(reference)
