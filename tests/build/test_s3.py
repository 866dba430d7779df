"""Issue #16: the annex joined to the smart-specialisation world.

Our own scheme of the EU's industrial ecosystems (no official code list exists), the mappings to
it, the national clusters that carry the annex's clusters today, and the Eurostat datasets whose
keys (NUTS 2, NACE) the annex's regions and strength positions share.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from publish.build.annotations import Annotations
from publish.build.links import LinkSet, collect_links, parse_mappings, scheme_coverage
from publish.build.pipeline import load_all
from publish.query.store import prefixes_for
from publish.server.ui import EXAMPLES
from tests.conftest import project_settings

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/vestlod/"
PROLOGUE = "".join(f"PREFIX {p}: <{i}>\n" for p, i in prefixes_for(BASE).items())
ECO = f"{BASE}id/industrial-ecosystem/"
SCHEME = f"{BASE}id/scheme/industrial-ecosystems"
DEFINITION = "https://clustercollaboration.eu/in-focus/industrial-ecosystems/definition/"


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (r[n].value if r[n] is not None else "") for n in names} for r in result]


def example(title_start: str) -> str:
    return next(q for t, q in EXAMPLES if t.startswith(title_start))


# ---------------------------------------------------------------- the ecosystem scheme


def test_the_ecosystem_scheme_has_the_fourteen_and_is_marked_as_ours(store: ox.Store) -> None:
    rows = select(store, f"""
        SELECT ?c ?label ?n WHERE {{
          ?c skos:inScheme <{SCHEME}> ; skos:prefLabel ?label ; skos:notation ?n ;
             rdfs:seeAlso <{DEFINITION}> .
          FILTER(lang(?label) = "en")
        }}""")
    assert sorted(int(r["n"]) for r in rows) == list(range(1, 15))
    assert {r["label"] for r in rows} >= {"Agri-food", "Energy-renewables", "Health", "Digital",
                                          "Cultural and creative industries", "Tourism"}
    assert all(r["c"].startswith(ECO) for r in rows)
    marks = select(store, f"""
        SELECT ?creator ?note WHERE {{
          <{SCHEME}> dcterms:creator ?creator ; skos:scopeNote ?note .
          FILTER(lang(?note) = "en")
        }}""")
    assert marks and marks[0]["creator"] == f"{BASE}id/agent/vestlod"
    assert "Not an official code list: none exists" in marks[0]["note"]


def test_mappings_to_ecosystems_are_never_exact_and_each_names_the_platform() -> None:
    with (ROOT / "data/links/ecosystems.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 10
    assert {r["property"] for r in rows} <= {"skos:closeMatch", "skos:relatedMatch",
                                             "skos:broadMatch", "skos:narrowMatch"}
    assert all("clustercollaboration.eu" in r["source"] and r["justification"] for r in rows)


def test_every_area_reaches_an_ecosystem(store: ox.Store) -> None:
    rows = select(store, f"""
        SELECT DISTINCT ?area WHERE {{
          ?area a vl:BusinessArea ; skos:closeMatch|skos:relatedMatch|skos:broadMatch ?eco .
          ?eco skos:inScheme <{SCHEME}> .
        }}""")
    assert len(rows) == 4


def test_an_unknown_ecosystem_is_refused(ann: Annotations, tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text(
        "subject,property,target,justification,source,held\n"
        "area:foedevarer,skos:relatedMatch,ecosystem:fisheries,j,s,\n"
        "area:foedevarer,skos:exactMatch,ecosystem:Agri-food,j,s,\n", encoding="utf-8")
    _, _, errors = collect_links(tmp_path, ROOT / "data/vocabularies", ann, ROOT / "ontology")
    messages = [str(e) for e in errors]
    assert any("ecosystem:fisheries is not in the shipped industrial-ecosystem" in m
               for m in messages), messages
    assert any("malformed industrial-ecosystem target" in m for m in messages), messages


def test_an_ecosystem_target_needs_the_scheme_file(ann: Annotations, tmp_path: Path) -> None:
    """Without ontology/ the slugs are unknown, so nothing passes unchecked."""
    (tmp_path / "x.csv").write_text(
        "subject,property,target,justification,source,held\n"
        "area:foedevarer,skos:closeMatch,ecosystem:agri-food,j,s,\n", encoding="utf-8")
    _, _, errors = collect_links(tmp_path, ROOT / "data/vocabularies", ann)
    assert len(errors) == 1


# ---------------------------------------------------------------- clusters today


def test_the_health_clusters_merged_into_danish_life_science_cluster(store: ox.Store) -> None:
    rows = select(store, example("Clusters named in the annex"))
    got = {(r["clusterLabel"], r["successorLabel"], r["year"]) for r in rows}
    assert {("Welfare Tech", "Danish Life Science Cluster", "2021"),
            ("MedTech Innovation Consortium (MTIC)", "Danish Life Science Cluster", "2021"),
            ("BioPeople", "Danish Life Science Cluster", "2021"),
            ("CLEAN", "Energy Cluster Denmark", "2020")} <= got
    assert not any("Ministry" in r["successorLabel"] for r in rows)
    sources = select(store, f"""
        SELECT ?s WHERE {{ <{BASE}id/change-event/danish-life-science-cluster-2021>
                           dcterms:source ?s }}""")
    assert {r["s"] for r in sources} >= {
        "https://echalliance.com/welfare-tech-has-merged-into-the-newly-established-"
        "danish-life-science-cluster/"}


# ---------------------------------------------------------------- Eurostat


def test_regions_and_areas_reference_the_eurostat_datasets(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?s ?code ?api WHERE {
          ?s dcterms:relation ?d .
          ?d a dcat:Dataset ; dcterms:identifier ?code ; dcat:landingPage ?d ; rdfs:seeAlso ?api .
          FILTER(CONTAINS(STR(?api), "/api/dissemination/sdmx/2.1/data/"))
        }""")
    regions = {r["s"] for r in rows if "/id/region/" in r["s"]}
    areas = {r["s"] for r in rows if "/id/area/" in r["s"]}
    assert len(regions) == 3 and len(areas) == 4
    assert {r["code"] for r in rows} == {"nama_10r_3empers", "sbs_r_nuts06_r2", "lfst_r_lfe2en2"}
    assert all(r["api"].endswith("/data/" + r["code"]) for r in rows)


def test_the_join_gives_each_strength_position_its_nace_and_nuts_keys(store: ox.Store) -> None:
    """The query UI's example (and the README's): strength position -> NACE code -> the annex's
    regions' NUTS 2 codes, the keys of the Eurostat datasets listed beside them."""
    rows = select(store, example("Strength positions by NACE code and NUTS 2 region"))
    keys = {(r["positionLabel"], r["naceCode"], r["nutsCode"]) for r in rows}
    assert {("Wind energy", "28", "DK04"), ("Wind energy", "35", "DK05"),
            ("District heating", "35", "DK03")} <= keys
    assert {r["nutsCode"] for r in rows} == {"DK03", "DK04", "DK05"}
    assert all(set(r["eurostatDatasets"].split()) == {
        "nama_10r_3empers", "sbs_r_nuts06_r2", "lfst_r_lfe2en2"} for r in rows)


def test_a_relation_to_a_page_that_is_not_a_dataset_address_is_refused(ann: Annotations) -> None:
    links, errors = parse_mappings(
        "subject,property,target,justification,source,held\n"
        "actor:region-midtjylland,dcterms:relation,"
        "https://ec.europa.eu/eurostat/web/main/home,j,s,\n", "data/links/x.csv")
    assert not errors
    ls = LinkSet(tuple(links), ())
    assert all(link.malformed for link in ls.links)


@pytest.fixture(scope="module")
def ann() -> Annotations:
    return load_all(project_settings())[1]


def test_vestlod_links_reports_coverage_per_target_scheme(ann: Annotations) -> None:
    linkset, _, errors = collect_links(ROOT / "data/links", ROOT / "data/vocabularies", ann,
                                       ROOT / "ontology")
    assert errors == []
    lines = scheme_coverage(linkset)
    rows = {line[:36].strip(): line[36:].split() for line in lines[1:]}
    for scheme in ("EuroVoc", "NACE Rev. 2", "NUTS", "S3: industrial ecosystems (ours)",
                   "Eurostat datasets", "Wikidata", "ROR", "CVR"):
        assert int(rows[scheme][0]) > 0, (scheme, lines)
    assert rows["PIC (EU participant code)"][0] == "0"
    assert rows["S3: national-cluster changes"][:2] == ["4", "events"]
    assert lines[-1] == "  published rows without a source: 0"


# ---------------------------------------------------------------- cluster profiles


def test_made_points_to_its_cluster_profile_as_a_related_page(store: ox.Store) -> None:
    """The annex's MADE is an initiative; the platform's profile is of the cluster organisation,
    so rdfs:seeAlso, never owl:sameAs."""
    profile = ("https://www.clustercollaboration.eu/cluster-organisations/"
               "made-manufacturing-academy-denmark")
    rows = select(store, f"SELECT ?s ?p WHERE {{ ?s ?p <{profile}> }}")
    assert [(r["s"].rsplit("/", 1)[1], r["p"]) for r in rows] == [
        ("made", "http://www.w3.org/2000/01/rdf-schema#seeAlso")]


@pytest.mark.parametrize(("row", "message"), [
    ("actor:made,rdfs:seeAlso,https://clustercollaboration.eu/cluster-organisations/made,j,s,",
     "malformed eccp target"),
    ("actor:made,owl:sameAs,https://www.clustercollaboration.eu/cluster-organisations/made,j,s,",
     "owl:sameAs may point to ror, wikidata, not to eccp"),
    ("area:foedevarer,rdfs:seeAlso,"
     "https://www.clustercollaboration.eu/cluster-organisations/made,j,s,",
     "rdfs:seeAlso does not fit a area"),
    ("actor:made,rdfs:seeAlso,https://www.clustercollaboration.eu/cluster-organisations/made,j,,",
     "required: a link without source does not go in"),
])
def test_a_bad_cluster_profile_row_is_refused(ann: Annotations, tmp_path: Path, row: str,
                                              message: str) -> None:
    (tmp_path / "x.csv").write_text("subject,property,target,justification,source,held\n"
                                    + row + "\n", encoding="utf-8")
    _, _, errors = collect_links(tmp_path, ROOT / "data/vocabularies", ann, ROOT / "ontology")
    assert any(message in str(e) for e in errors), [str(e) for e in errors]
