"""The indexes follow the vocabulary, not today's data: a new kind of actor, a new relation
type, a new dimension of the figures' structure and a figure without a value appear without a
change to the code (two data-model changes are under way; issue #17).

A miniature dataset in the contract's shape (`tests.server.conftest.write_dist`), served
in-process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from publish.server import create_app
from tests.conftest import project_settings
from tests.server.conftest import write_dist

TRIG = """
@prefix vl: <https://w3id.org/vestlod/def/vestlod#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/vestlod/graph/vocabulary> {
  vl:measuredThing rdfs:label "målt størrelse"@da , "measured thing"@en .
  vl:structure a qb:DataStructureDefinition ;
    qb:component [ qb:dimension vl:businessArea ; qb:order 1 ] ,
                 [ qb:dimension vl:measuredThing ; qb:order 2 ] ,
                 [ qb:measure sdmx-measure:obsValue ] .
  <https://w3id.org/vestlod/id/relation-type/advises> a vl:RelationType ;
    skos:prefLabel "rådgiver"@da , "advises"@en ; vl:property vl:advises .
  <https://w3id.org/vestlod/id/actor-type/group> skos:prefLabel "Gruppe"@da , "Group"@en .
}
<https://w3id.org/vestlod/graph/data> {
  <https://w3id.org/vestlod/id/area/food> a vl:BusinessArea ; skos:prefLabel "Fødevarer"@da , "Food"@en .
  <https://w3id.org/vestlod/id/group/g1> a vl:Actor ; skos:prefLabel "Gruppe 1"@da , "Group 1"@en ;
    dcterms:type <https://w3id.org/vestlod/id/actor-type/group> ; vl:advises <https://w3id.org/vestlod/id/org/o1> .
  <https://w3id.org/vestlod/id/org/o1> a vl:Actor ; skos:prefLabel "Org 1"@da .
  <https://w3id.org/vestlod/id/thing/fish> skos:prefLabel "fisk"@da , "fish"@en .
  <https://w3id.org/vestlod/id/figure/f1> a qb:Observation ; skos:prefLabel "Tal 1"@da , "Figure 1"@en ;
    vl:businessArea <https://w3id.org/vestlod/id/area/food> ; vl:measuredThing <https://w3id.org/vestlod/id/thing/fish> ;
    sdmx-measure:obsValue "12.5"^^xsd:decimal .
  <https://w3id.org/vestlod/id/figure/f2> a qb:Observation ; skos:prefLabel "Tal 2"@da , "Figure 2"@en ;
    vl:businessArea <https://w3id.org/vestlod/id/area/food> .
}
"""


class Client:
    def __init__(self, dist: Path) -> None:
        settings = project_settings(dist_dir=dist, query_workers=1, reload_interval=0)
        self.app = create_app(settings)
        self.loop = asyncio.new_event_loop()
        self.lifespan = self.app.router.lifespan_context(self.app)
        self.loop.run_until_complete(self.lifespan.__aenter__())
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                        base_url="http://testserver")

    def json(self, path: str, **params: Any) -> dict[str, Any]:
        r = self.loop.run_until_complete(self.client.get(path, params=params))
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.run_until_complete(self.lifespan.__aexit__(None, None, None))
        self.loop.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    dist = tmp_path_factory.mktemp("generic") / "dist"
    write_dist(dist, TRIG)
    c = Client(dist)
    yield c
    c.close()


def test_a_new_kind_of_actor_is_a_facet_value(client: Client) -> None:
    data = client.json("/browse/actors.json", lang="en")
    kinds = {v["label"]["en"]: v["count"] for v in data["facets"]["type"]}
    assert kinds == {"Group": 1}
    assert data["total"] == 2


def test_a_new_relation_type_is_a_relation(client: Client) -> None:
    items = client.json("/browse/relations.json")["items"]
    assert [(i["source"]["label"]["en"], i["relation"]["label"]["en"], i["target"]["iri"])
            for i in items] == [("Group 1", "advises", "https://w3id.org/vestlod/id/org/o1")]


def test_a_new_dimension_is_a_column_and_a_missing_value_an_empty_cell(client: Client) -> None:
    data = client.json("/browse/figures.json", lang="en")
    columns = {c["key"]: c["label"] for c in data["columns"]}
    thing = "https://w3id.org/vestlod/def/vestlod#measuredThing"
    assert columns[thing] == "Measured thing"
    value = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
    rows = {i["figure"]["label"]["en"]: i for i in data["items"]}
    assert rows["Figure 1"][thing]["label"]["en"] == "fish"
    assert rows["Figure 1"][value] == 12.5
    assert rows["Figure 2"][value] is None and rows["Figure 2"][thing] is None
    ordered = client.json("/browse/figures.json", sort=value, order="desc")["items"]
    assert [i["figure"]["iri"].rsplit("/", 1)[1] for i in ordered] == ["f1", "f2"]
