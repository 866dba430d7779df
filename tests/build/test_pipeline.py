"""The built dataset answers the questions the annex answers, traced to its words.

These run SPARQL over the real annex built once (see conftest.built/store).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from publish.build.pipeline import BuildResult, build, check_annotations
from publish.errors import AnnotationError, AnnotationErrors, BuildError, SourceError
from tests.conftest import ROOT, project_settings

BASE = "https://w3id.org/vestlod/"
PREFIXES = f"""
PREFIX vl: <{BASE}def/vestlod#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX doco: <http://purl.org/spar/doco/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [
        {n: (row[n].value if row[n] is not None else None) for n in names}  # type: ignore[union-attr]
        for row in result
    ]


def test_a_list_item_carries_its_lead_in_as_evidence_and_in_its_scope_note(
        store: ox.Store) -> None:
    """*En tværregional indsats kan med fordel have fokus på:* governs every item under it; the
    item's label keeps *kan med fordel*, so its evidence must carry those words (§A6, frame)."""
    iri = "<https://w3id.org/vestlod/id/focus-area/foedevarer-sammenhaeng-og-synergi>"
    quotes = {" ".join(r["exact"].split()) for r in select(store, f"""
        SELECT ?exact WHERE {{ ?a oa:hasBody {iri} ; oa:hasTarget/oa:hasSelector ?s .
                               ?s a oa:TextQuoteSelector ; oa:exact ?exact }}""")}
    assert quotes == {
        "En tværregional indsats kan med fordel have fokus på",
        "at sikre bedre sammenhæng, samarbejde og synergi mellem de mange initiativer og aktører"}
    [note] = select(store, f"SELECT ?n WHERE {{ {iri} skos:scopeNote ?n }}")
    assert note["n"] == ("En tværregional indsats kan med fordel have fokus på … at sikre bedre "
                         "sammenhæng, samarbejde og synergi mellem de mange initiativer og aktører")


def test_a_figure_whose_place_the_annex_leaves_open_has_none(store: ox.Store) -> None:
    """*Som eksempler kan nævnes, at eksporten … udgjorde i 2014 ca. 15 mia. kr.*: no place is
    guessed; the dated figure sits in the data set without a place (§A4)."""
    rows = select(store, """
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        SELECT ?ds ?area ?period WHERE {
          <https://w3id.org/vestlod/id/figure/eksport-energieffektive-teknologier-vandsektoren-2014>
            qb:dataSet ?ds ; sdmx-dimension:refPeriod ?period .
          OPTIONAL { <https://w3id.org/vestlod/id/figure/eksport-energieffektive-teknologier-vandsektoren-2014>
                       sdmx-dimension:refArea ?area } }""")
    assert [(r["ds"].rsplit("/", 1)[-1], r["area"]) for r in rows] == [("figures-dated", None)]


def test_every_business_area_has_its_strength_positions(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?area ?sp ?da ?en WHERE {
          ?sp a vl:StrengthPosition ; vl:businessArea ?area ;
              skos:prefLabel ?da , ?en .
          FILTER(lang(?da) = "da" && lang(?en) = "en")
        }""")
    by_area: dict[str, set[str]] = {}
    for r in rows:
        by_area.setdefault(r["area"], set()).add(r["da"])
    # only what the annex calls a styrkeposition (issue #15, README §A5): the health chapter
    # calls none so; its resources and competences are vl:Resource
    assert set(by_area) == {
        f"{BASE}id/area/{a}" for a in ("foedevarer", "energiteknologi", "fremtidens-industri")
    }
    assert "Vindenergi" in by_area[f"{BASE}id/area/energiteknologi"]
    resources = select(store, """
        SELECT ?r WHERE { ?r a vl:Resource ; vl:businessArea ?area ; skos:inScheme ?scheme }""")
    assert {r["r"].removeprefix(f"{BASE}id/resource/") for r in resources} == {
        "veludbygget-sundheds-og-velfaerdssystem", "staerke-sundhedsvidenskabelige-forskningsmiljoeer",
        "rammer-for-offentlig-privat-innovation-velfaerdsteknologi", "robotteknologi",
        "automatisering-til-smart-industri",
        "gts-kompetencer-sundheds-og-velfaerdsinnovation",
        "olie-og-gaskompetencer-til-vindsektoren"}  # a competence the status names (re-read 2)


def test_every_sentence_mentioning_vestas_with_its_offsets(store: ox.Store, annex: str) -> None:
    rows = select(store, f"""
        SELECT DISTINCT ?sentence ?start ?end ?text WHERE {{
          ?annotation oa:hasBody <{BASE}id/org/vestas> ; oa:hasTarget ?mention .
          ?mention dcterms:isPartOf ?sentence .
          ?sentence a doco:Sentence ; rdf:value ?text ;
                    oa:hasSelector [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] .
        }} ORDER BY ?start""")
    assert rows, "Vestas is mentioned in the annex"
    for r in rows:
        original = annex[int(r["start"]):int(r["end"])]
        assert "Vestas" in original
        assert " ".join(original.split()) == " ".join(r["text"].split())
    assert annex.count("Vestas") == len(rows)


def test_the_food_export_figure_with_its_quote(store: ox.Store, annex: str) -> None:
    rows = select(store, f"""
        SELECT ?figure ?exact ?start ?end WHERE {{
          ?figure a qb:Observation ;
                  sdmx-measure:obsValue ?value ;
                  sdmx-attribute:unitMeasure <{BASE}id/unit/dkk> ;
                  vl:businessArea <{BASE}id/area/foedevarer> ;
                  prov:wasDerivedFrom ?target .
          ?target oa:hasSelector ?q , ?p .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact .
          ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          FILTER(?value = 152000000000)
        }}""")
    assert len(rows) == 1
    (row,) = rows
    assert "152 mia. kr." in row["exact"]
    assert annex[int(row["start"]):int(row["end"])] == row["exact"]


def test_region_midtjylland_helped_found_danish_food_cluster_in_2014(store: ox.Store) -> None:
    rows = select(store, f"""
        SELECT ?relation ?exact ?label WHERE {{
          ?relation a rdf:Statement ;
              rdf:subject <{BASE}id/region/midtjylland> ;
              rdf:object ?cluster ;
              dcterms:type <{BASE}id/relation-type/initiated> ;
              dcterms:date "2014"^^xsd:gYear ;
              skos:prefLabel ?label ;
              prov:wasDerivedFrom/oa:hasSelector/oa:exact ?exact .
          ?cluster skos:prefLabel "Danish Food Cluster"@da .
          <{BASE}id/region/midtjylland> vl:initiated ?cluster .
          FILTER(lang(?label) = "en")
        }}""")
    assert len(rows) == 1
    assert "initiere dannelsen af Danish Food Cluster" in rows[0]["exact"]
    # the label keeps the annex's verb "var med til at initiere" (issue #15, README §A6)
    assert rows[0]["label"] == (
        "Central Denmark Region helped initiate the founding of Danish Food Cluster (2014)")


def test_every_organisation_has_a_danish_and_an_english_label(store: ox.Store) -> None:
    orgs = select(store, "SELECT DISTINCT ?o WHERE { ?o a org:Organization }")
    assert len(orgs) >= 60
    missing = select(store, """
        SELECT ?o ?lang WHERE {
          ?o a org:Organization . VALUES ?lang { "da" "en" }
          FILTER NOT EXISTS { ?o skos:prefLabel ?l FILTER(lang(?l) = ?lang) }
        }""")
    assert missing == []


def test_every_actor_figure_and_relation_traces_to_the_annex(store: ox.Store) -> None:
    unsupported = select(store, """
        SELECT ?x WHERE {
          { ?x a vl:Actor } UNION { ?x a qb:Observation } UNION { ?x a rdf:Statement }
          FILTER NOT EXISTS { ?x prov:wasDerivedFrom/oa:hasSelector/oa:exact ?e }
        }""")
    assert unsupported == []


def test_spans_quote_the_original_exactly(store: ox.Store, annex: str) -> None:
    rows = select(store, """
        SELECT ?start ?end ?exact WHERE {
          ?t oa:hasSelector ?p , ?q .
          ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
        }""")
    assert len(rows) > 500
    for r in rows:
        assert annex[int(r["start"]):int(r["end"])] == r["exact"]


def test_figures_carry_decimal_values_in_base_units(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?value ?expr WHERE { ?f a qb:Observation ; sdmx-measure:obsValue ?value ;
                                      vl:expression ?expr }""")
    values = {r["expr"]: Decimal(r["value"]) for r in rows}
    assert values["152 mia. kr."] == Decimal("152000000000")
    assert values["40 mio. kr."] == Decimal("40000000")


def test_two_builds_give_identical_dumps(built: BuildResult, tmp_path: Path) -> None:
    """A second build in a separate process (another hash seed) gives the same bytes."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = tmp_path / "B"
    subprocess.run(
        [sys.executable, "-m", "publish.cli", "build", "--dist", str(out)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    assert (out / "SHA256SUMS").read_text() == (built.out / "SHA256SUMS").read_text()
    # the gzip twins the server sends (issue #19) are among the identical bytes
    for name in ("vestlod.ttl.gz", "vestlod.trig.gz", "vestlod.jsonld.gz"):
        assert (out / name).read_bytes() == (built.out / name).read_bytes()
        assert f"  {name}\n" in (out / "SHA256SUMS").read_text()


def test_sha256sums_match_the_files(built: BuildResult) -> None:
    import hashlib

    for line in (built.out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((built.out / name).read_bytes()).hexdigest() == digest


def copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def test_a_broken_annotation_stops_the_build_and_keeps_the_last_good_output(
    tmp_path: Path,
) -> None:
    out = tmp_path / "dist"
    data = copy_data(tmp_path)
    build(project_settings(dist_dir=out, data_dir=data))
    before = (out / "SHA256SUMS").read_text()

    path = data / "annotations" / "foedevarer.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("dannelsen af Danish Food Cluster", "dannelsen af Danish Food Klynge", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    line = 1 + broken[: broken.index("Danish Food Klynge")].count("\n")

    with pytest.raises(AnnotationError) as info:
        build(project_settings(dist_dir=out, data_dir=data))
    assert str(info.value).startswith(f"{path}:{line}: [quote")
    assert (out / "SHA256SUMS").read_text() == before  # nothing replaced


def test_the_cli_names_file_and_line_and_exits_non_zero(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    path = data / "annotations" / "common.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    kind: place\n", "    kind: place\n    colour: red\n", 1),
                    encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "publish.cli", "build", "--data", str(data),
         "--dist", str(tmp_path / "dist")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert f"{path}:" in proc.stderr and "[colour] unknown field" in proc.stderr
    assert not (tmp_path / "dist").exists()


def test_a_changed_annex_stops_the_build(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    annex = data / "source" / "annex.txt"
    annex.write_text(annex.read_text(encoding="utf-8") + "x", encoding="utf-8")
    with pytest.raises(SourceError, match="sha256"):
        build(project_settings(dist_dir=tmp_path / "dist", data_dir=data))


# ---------------------------------------------------------------- check runs what build runs


def test_check_refuses_a_broken_links_row_with_the_message_build_gives(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    path = data / "links" / "organisations.csv"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("https://ror.org/04m5j1k67", "https://ror.org/not-a-ror-id", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    line = 1 + broken[: broken.index("not-a-ror-id")].count("\n")
    settings = project_settings(dist_dir=tmp_path / "dist", data_dir=data)

    with pytest.raises(AnnotationErrors) as checked:
        check_annotations(settings)
    with pytest.raises(AnnotationErrors) as built:
        build(settings)
    assert str(checked.value) == str(built.value)
    assert str(checked.value).startswith(f"data/links/organisations.csv:{line}:")
    assert not (tmp_path / "dist").exists()


def test_check_refuses_a_catalog_yaml_the_catalog_cannot_be_built_from(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    path = data / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("modified: 2026-11-27", "modified: 2026-01-01", 1),
                    encoding="utf-8")
    with pytest.raises(BuildError, match="modified is before issued"):
        check_annotations(project_settings(data_dir=data))


def test_a_void_example_the_build_does_not_describe_stops_it(tmp_path: Path) -> None:
    """VoID's entry points are curated data: one that names no resource of the build (a typo,
    a retired IRI) stops the build instead of advertising a 404 to crawlers."""
    data = copy_data(tmp_path)
    path = data / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id/org/vestas,", "id/org/vestas-typo,", 1), encoding="utf-8")
    with pytest.raises(BuildError, match=r"dataset.void.examples: 'id/org/vestas-typo'"):
        check_annotations(project_settings(data_dir=data))


def test_check_refuses_a_heading_without_english_title(tmp_path: Path) -> None:
    """The graph is built by check too: a heading the annex gained is found before the build."""
    data = copy_data(tmp_path)
    path = data / "source" / "headings.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if ":" in line and not line.startswith("#"))
    path.write_text("".join(lines[:first] + lines[first + 1:]), encoding="utf-8")
    with pytest.raises(BuildError, match="no English title for the heading"):
        check_annotations(project_settings(data_dir=data))


def test_check_says_ok_for_the_committed_data() -> None:
    assert check_annotations(project_settings()).startswith("ok: ")


def test_footnote_markers_link_to_the_cited_work(store: ox.Store, annex: str) -> None:
    rows = select(store, """
        PREFIX schema: <https://schema.org/>
        SELECT ?note ?work ?start ?end WHERE {
          ?a oa:motivatedBy oa:linking ; oa:hasBody ?work ; oa:hasTarget ?t .
          ?t dcterms:references ?note ;
             oa:hasSelector [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] .
          ?note schema:citation ?work .
        } ORDER BY ?start""")
    assert [(r["note"].rsplit("/", 1)[-1], r["work"].rsplit("/", 1)[-1]) for r in rows] == [
        ("1", "produktionspanelet-gode-job-2015"),
        ("2", "iris-group-digitalisation-and-automation-2015"),
    ]
    # the markers are the glued digits of "år1," and "IRIS Group2"
    assert [annex[int(r["start"]) - 2:int(r["end"]) + 1] for r in rows] == ["år1,", "up2 "]
