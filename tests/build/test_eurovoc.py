"""EuroVoc links (issue #16, item 1): regions, business areas and strength positions mapped to
EuroVoc concepts in reviewable CSV, every catalog dataset with EuroVoc subjects, and the labels
shipped so pages show them offline. Each row names its source; an id outside the shipped subset
is refused with file and line.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from publish.build.annotations import Annotations
from publish.build.links import check_links, parse_mappings, read_vocabularies
from publish.build.pipeline import BuildResult, load_all
from tests.conftest import ROOT, project_settings

EV = "http://eurovoc.europa.eu/"
BASE = "https://w3id.org/vestlod/"
HEADER = "subject,property,target,justification,source,held\n"


@pytest.fixture(scope="module")
def ann() -> Annotations:
    return load_all(project_settings())[1]


def ask(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in row) for row in store.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> " + query, use_default_graph_as_union=True)]


def test_each_region_links_to_its_own_eurovoc_region(store: ox.Store) -> None:
    rows = dict(ask(store, f"""SELECT ?r ?c WHERE {{ ?r dcterms:spatial ?c
        FILTER(STRSTARTS(STR(?c), "{EV}")) }}"""))
    assert rows == {
        f"{BASE}id/region/nordjylland": f"{EV}8281",
        f"{BASE}id/region/midtjylland": f"{EV}8280",
        f"{BASE}id/region/syddanmark": f"{EV}8283",
    }


def test_every_area_and_most_strength_positions_have_a_eurovoc_mapping(store: ox.Store) -> None:
    mapped = {s for (s,) in ask(store, f"""SELECT DISTINCT ?s WHERE {{
        ?s skos:exactMatch|skos:closeMatch|skos:relatedMatch|skos:broadMatch|skos:narrowMatch ?c
        FILTER(STRSTARTS(STR(?c), "{EV}")) }}""")}
    areas = {s for (s,) in ask(store, "SELECT ?s WHERE { ?s a <" + BASE
                               + "def/vestlod#BusinessArea> }")}
    positions = {s for (s,) in ask(store, "SELECT ?s WHERE { ?s a <" + BASE
                                   + "def/vestlod#StrengthPosition> }")}
    assert len(areas) == 4 and areas <= mapped
    assert len(positions & mapped) >= 0.8 * len(positions)


def test_eurovoc_concepts_carry_their_english_label_offline(store: ox.Store) -> None:
    labels = dict(ask(store, f"""SELECT ?c ?l WHERE {{ ?c skos:prefLabel ?l
        FILTER(STRSTARTS(STR(?c), "{EV}")) }}"""))
    assert labels[f"{EV}4420"] == "energy technology"
    assert labels[f"{EV}8281"] == "Nordjylland (region)"


def test_every_catalog_dataset_has_a_eurovoc_subject(built: BuildResult) -> None:
    catalog = ox.Store()
    catalog.load(path=str(built.out / "catalog.ttl"), format=ox.RdfFormat.TURTLE)
    datasets = {s for (s,) in ask(catalog, "SELECT ?s WHERE { ?s a "
                                  "<http://www.w3.org/ns/dcat#Dataset> }")}
    with_subject = {s for (s,) in ask(catalog, f"""SELECT DISTINCT ?s WHERE {{
        ?s dcterms:subject ?c FILTER(STRSTARTS(STR(?c), "{EV}")) }}""")}
    assert len(datasets) == 5 and datasets == with_subject


def test_every_row_names_its_release() -> None:
    text = (ROOT / "data" / "links" / "eurovoc.csv").read_text(encoding="utf-8")
    links, errors = parse_mappings(text, "data/links/eurovoc.csv")
    assert not errors and len(links) >= 20
    assert all("2021-06-04" in link.source and link.justification for link in links)


def test_an_id_outside_the_shipped_subset_is_refused(ann: Annotations) -> None:
    row = (f"area:energiteknologi,skos:relatedMatch,{EV}999999,a guess,"
           "EuroVoc 2021-06-04,\n")
    links, errors = parse_mappings(HEADER + row, "data/links/x.csv")
    errors += check_links(links, [], ann, read_vocabularies(ROOT / "data" / "vocabularies"))
    assert len(errors) == 1
    assert (errors[0].path, errors[0].line) == ("data/links/x.csv", 2)


def test_a_danish_page_shows_the_english_eurovoc_label_marked_english(built: BuildResult) -> None:
    import asyncio

    import httpx

    from publish.server import create_app

    app = create_app(project_settings(dist_dir=built.out, query_workers=1, reload_interval=0))

    async def get() -> str:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                r = await client.get("/doc/area/energiteknologi?lang=da",
                                     headers={"Accept": "text/html"})
                return r.text

    page = asyncio.run(get())
    assert (f'<a href="{EV}4420" rel="external" lang="en">energy technology '
            '<small class="lang">(en)</small></a>') in page
