"""The one format table and content negotiation."""

from __future__ import annotations

import pytest

from publish.formats import FORMATS, by_key, by_media_type, by_name, by_suffix, negotiate, of_kind

RDF = of_kind("rdf")
RESULTS = of_kind("results")


def test_suffixes_media_types_and_keys_are_unique() -> None:
    for attr in ("key", "suffix", "media_type"):
        values = [getattr(f, attr) for f in FORMATS]
        assert len(values) == len(set(values)), attr


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "turtle"),
        ("", "turtle"),
        ("*/*", "turtle"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml, text/turtle", "rdfxml"),
        ("text/turtle;q=0.5, application/rdf+xml", "rdfxml"),
        ("text/*;q=0.1, text/turtle", "turtle"),
        ("application/*", "ntriples"),
        ("text/turtle;q=0, */*;q=0.1", "ntriples"),
        ("text/plain", "ntriples"),
        ("application/x-turtle", "turtle"),
        ("TEXT/TURTLE", "turtle"),
        ("garbage, application/n-triples", "ntriples"),
    ],
)
def test_negotiate_honours_q_values_and_specificity(accept: str | None, expected: str) -> None:
    chosen = negotiate(accept, None, RDF)
    assert chosen is not None and chosen.key == expected


def test_negotiate_returns_none_when_nothing_fits() -> None:
    assert negotiate("image/png", None, RDF) is None
    assert negotiate("text/turtle;q=0", None, (by_key("turtle"),)) is None


def test_a_suffix_beats_accept_and_must_be_offered() -> None:
    assert negotiate("text/turtle", ".rdf", RDF) == by_key("rdfxml")
    assert negotiate("text/turtle", ".csv", RDF) is None


def test_lookups() -> None:
    assert by_suffix("ttl") == by_key("turtle")
    assert by_media_type("application/sparql-results+json; charset=utf-8") == by_key("srj")
    assert by_name("json", RESULTS) == by_key("srj")
    assert by_name("application/sparql-results+xml", RESULTS) == by_key("srx")
    assert by_name("json", RDF) == by_key("jsonld")  # as Fuseki answers CONSTRUCT
    assert by_name("xml", RDF) == by_key("rdfxml")
    assert by_key("csv").content_type == "text/csv; charset=utf-8"
    assert by_key("srj").content_type == "application/sparql-results+json"
