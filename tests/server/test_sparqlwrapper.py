"""An ordinary SPARQL client (SPARQLWrapper) works against /sparql unchanged."""

from __future__ import annotations

import rdflib
from SPARQLWrapper import GET, JSON, POST, TURTLE, XML, SPARQLWrapper

from tests.server.conftest import Server


def wrapper(server: Server) -> SPARQLWrapper:
    return SPARQLWrapper(server.sparql)


def test_select_over_get_and_post(server: Server) -> None:
    for method in (GET, POST):
        sparql = wrapper(server)
        sparql.setMethod(method)
        sparql.setReturnFormat(JSON)
        sparql.setQuery(
            "SELECT ?l WHERE { <https://w3id.org/vestlod/id/actor/a2> "
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l"
        )
        rows = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        assert [r["l"]["value"] for r in rows] == ["Actor 2", "Aktør 2"]


def test_ask(server: Server) -> None:
    sparql = wrapper(server)
    sparql.setReturnFormat(JSON)
    sparql.setQuery("ASK { ?s a <https://w3id.org/vestlod/def/vestlod#Actor> }")
    assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]
    sparql.setQuery("ASK { ?s a <https://w3id.org/vestlod/def/vestlod#Nothing> }")
    assert sparql.queryAndConvert()["boolean"] is False  # type: ignore[index]


def test_construct_as_turtle_and_rdfxml(server: Server) -> None:
    query = (
        "CONSTRUCT { ?f ?p ?o } WHERE { "
        "BIND(<https://w3id.org/vestlod/id/figure/f1> AS ?f) ?f ?p ?o }"
    )
    for fmt in (TURTLE, XML):
        sparql = wrapper(server)
        sparql.setReturnFormat(fmt)
        sparql.setQuery(query)
        result = sparql.queryAndConvert()
        graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
            data=result, format="turtle")
        assert rdflib.Literal("ca. 152 mia. kr.") in set(graph.objects())
