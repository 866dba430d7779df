"""/catalog serves the DCAT-AP catalog the build wrote; every distribution URL answers.
In-process over the real build (conftest `asgi_annex`)."""

from __future__ import annotations

import hashlib

import httpx
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, RDF

from tests.server.conftest import InProcess

SPDX = Namespace("http://spdx.org/rdf/terms#")
BASE = "https://w3id.org/vestlod/"


def catalog_graph(asgi_annex: InProcess, accept: str, fmt: str) -> Graph:
    with asgi_annex.client() as client:
        r = client.get("/catalog", headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(accept)
    assert "Accept" in r.headers["vary"]
    return Graph().parse(data=r.content, format=fmt)


def test_the_catalog_is_served_in_the_formats_harvesters_ask_for(asgi_annex: InProcess) -> None:
    ttl = catalog_graph(asgi_annex, "text/turtle", "turtle")
    assert len(list(ttl.subjects(RDF.type, DCAT.Catalog))) == 1
    for accept, fmt in (("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")):
        g = catalog_graph(asgi_annex, accept, fmt)
        assert len(g) == len(ttl)


def test_every_distribution_url_answers_with_the_checksummed_file(asgi_annex: InProcess) -> None:
    g = catalog_graph(asgi_annex, "text/turtle", "turtle")
    distributions = list(g.subjects(RDF.type, DCAT.Distribution))
    downloads = [(d, g.value(d, DCAT.downloadURL)) for d in distributions]
    downloads = [(d, str(u)) for d, u in downloads if u is not None]
    assert len(downloads) >= 5
    with asgi_annex.client() as client:
        for dist, url in downloads:
            assert url.startswith(BASE)
            r = client.get("/" + url[len(BASE):])  # the canonical URL on the local origin
            assert r.status_code == 200, url
            checksum = g.value(dist, SPDX.checksum)
            expected = str(g.value(checksum, SPDX.checksumValue))
            assert hashlib.sha256(r.content).hexdigest() == expected, url


def test_conditional_get_of_the_catalog(asgi_annex: InProcess) -> None:
    with asgi_annex.client() as client:
        first = client.get("/catalog")
        again = client.get("/catalog", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert isinstance(first, httpx.Response)
