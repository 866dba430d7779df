"""What the read-only endpoint refuses before a query runs."""

from __future__ import annotations

import pytest

from publish.errors import QueryRefused
from publish.query.screening import screen

EP = "https://example.org/sparql"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("PREFIX x: <urn:x#> BASE <http://a/> ask {}", "ASK"),
        ("# INSERT DATA in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:a>", "DESCRIBE"),
        ('SELECT * { ?s ?p "SERVICE <http://evil/> {}" }', "SELECT"),
        ("SELECT * { ?s <http://x/SERVICE> ?service }", "SELECT"),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://evil/>", "SELECT"),
    ],
)
def test_queries_pass_and_report_their_form(query: str, form: str) -> None:
    assert screen(query).form == form


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:x#> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "clear all",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DROP GRAPH <urn:g>",
        "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_updates_are_refused(update: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        screen(update)


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ SERVICE <{EP}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ service silent <{EP}> {{ ?s ?p ?o }} }}",
        "PREFIX e: <https://example.org/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "BASE <https://example.org/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        f"SELECT * {{ \\u0053ERVICE <{EP}> {{ ?s ?p ?o }} }}",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_unless_allowlisted(query: str) -> None:
    with pytest.raises(QueryRefused, match="service_allowlist"):
        screen(query)
    if "?endpoint" not in query:
        assert screen(query, allowlist=(EP,)).services == (EP,)
