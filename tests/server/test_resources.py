"""Dereferencing on the real annex: 303s, negotiation, caching, 404s, traversal, VoID, dumps,
sitemap, and every /id/ subject in all five formats.

In-process (conftest `asgi_annex`), but for rdflib, a real Linked Data client: it follows the
303 over a socket to a real `vestlod serve` (`annex_server`)."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from markupsafe import escape

from tests.server.conftest import InProcess, Server

BASE = "https://w3id.org/vestlod/"
ORG = "org/aalborg-universitet"
LABELS = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
}
SUFFIXES = {
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".nt": "application/n-triples",
}
OX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


@pytest.fixture(scope="module")
def http(asgi_annex: InProcess) -> Iterator[httpx.Client]:
    """One client for the whole module (thousands of requests)."""
    with asgi_annex.client(follow_redirects=False) as c:
        yield c


def subjects(server: InProcess) -> list[str]:
    """Every IRI under /id/ (without a fragment) that is the subject of a triple, except the
    tombstones of retired IRIs (they answer 301 or 410: tests/server/test_retired.py)."""
    store = ox.Store()
    store.bulk_load(path=str(server.dist / "vestlod.trig"), format=ox.RdfFormat.TRIG)
    found = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)
             if isinstance(q.subject, ox.NamedNode)}
    deprecated = ox.NamedNode("http://www.w3.org/2002/07/owl#deprecated")
    retired = {q.subject.value for q in store.quads_for_pattern(None, deprecated, None, None)}
    return sorted(s for s in found - retired if s.startswith(BASE + "id/") and "#" not in s)


def test_id_answers_303_to_its_description(http: httpx.Client) -> None:
    r = http.get(f"/id/{ORG}")
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/{ORG}"
    page = http.get(r.headers["location"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


def test_redirect_keeps_the_language_parameter(http: httpx.Client) -> None:
    r = http.get(f"/id/{ORG}?lang=en")
    assert r.headers["location"] == f"/doc/{ORG}?lang=en"


def test_unknown_id_is_404_not_a_redirect(http: httpx.Client) -> None:
    assert http.get("/id/org/no-such-organisation").status_code == 404


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("text/html;q=0.1, application/rdf+xml;q=0.9", "application/rdf+xml"),
        ("text/*;q=0.2, text/turtle", "text/turtle"),
        ("application/xhtml+xml", "text/html"),
    ],
)
def test_doc_negotiates_on_accept(http: httpx.Client, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = http.get(f"/doc/{ORG}", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]
    suffix = next(s for s, m in SUFFIXES.items() if m == expected)
    assert r.headers["content-location"] == f"/doc/{ORG}{suffix}"


def test_suffix_beats_accept(http: httpx.Client) -> None:
    r = http.get(f"/doc/{ORG}.ttl", headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert "Accept" in r.headers["vary"]


def test_nothing_acceptable_is_406_with_the_list(http: httpx.Client) -> None:
    r = http.get(f"/doc/{ORG}", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.text and "application/ld+json" in r.text


def test_link_header_names_every_other_form(http: httpx.Client) -> None:
    r = http.get(f"/doc/{ORG}.html")
    links = r.headers["link"]
    for suffix, media in SUFFIXES.items():
        if suffix != ".html":
            assert f'</doc/{ORG}{suffix}>; rel="alternate"; type="{media}"' in links
    assert f'<{BASE}doc/{ORG}>; rel="canonical"' in links


def test_etag_and_last_modified_give_304(http: httpx.Client) -> None:
    first = http.get(f"/doc/{ORG}.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = http.get(f"/doc/{ORG}.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = http.get(f"/doc/{ORG}.ttl", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = http.get(f"/doc/{ORG}.nt", headers={"If-None-Match": etag})
    assert other.status_code == 200, "an ETag names one representation, not the resource"
    stale = http.get(f"/doc/{ORG}.ttl", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_etag_differs_by_language(http: httpx.Client) -> None:
    da = http.get(f"/doc/{ORG}?lang=da").headers["etag"]
    en = http.get(f"/doc/{ORG}?lang=en").headers["etag"]
    assert da != en


def test_head_has_the_headers_and_no_body(http: httpx.Client) -> None:
    get = http.get(f"/doc/{ORG}.ttl")
    head = http.head(f"/doc/{ORG}.ttl")
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "etag", "last-modified", "vary", "link"):
        assert head.headers[name] == get.headers[name]


def test_bodies_carry_canonical_iris_on_a_local_origin(http: httpx.Client) -> None:
    body = http.get(f"/doc/{ORG}.nt").text
    assert f"<{BASE}id/{ORG}>" in body
    assert "127.0.0.1" not in body


def test_rdflib_dereferences_like_a_linked_data_client(annex_server: Server) -> None:
    g = rdflib.Graph()
    g.parse(f"{annex_server.url}/id/{ORG}")
    me = rdflib.URIRef(f"{BASE}id/{ORG}")
    labels = {str(o) for o in g.objects(me, rdflib.SKOS.prefLabel)}
    assert {"Aalborg Universitet", "Aalborg University"} <= labels
    assert (me, rdflib.OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q601956")) in g


def test_organisation_description_holds_inverse_links_and_mentions(http: httpx.Client) -> None:
    g = rdflib.Graph().parse(data=http.get(f"/doc/{ORG}.ttl").text, format="turtle")
    me = rdflib.URIRef(f"{BASE}id/{ORG}")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    relations = set(g.subjects(rdflib.RDF.subject, me))
    assert rdflib.URIRef(f"{BASE}id/relation/aalborg-universitet-member-of-danish-food-cluster") in relations
    mentions = set(g.subjects(oa.hasBody, me))
    assert len(mentions) >= 2
    sentences = {s for ann in mentions for t in g.objects(ann, oa.hasTarget)
                 for s in g.objects(t, rdflib.DCTERMS.isPartOf)}
    texts = {str(o) for s in sentences for o in g.objects(s, rdflib.RDF.value)}
    assert any("Aalborg Universitet" in t for t in texts)
    areas = set(g.subjects(rdflib.SDO.subjectOf, None))
    assert rdflib.URIRef(f"{BASE}id/area/foedevarer") in areas
    # labels of what it links to
    cluster = rdflib.URIRef(f"{BASE}id/org/danish-food-cluster")
    assert any(True for _ in g.objects(cluster, rdflib.SKOS.prefLabel))


def test_vocabulary_dereferences(http: httpx.Client) -> None:
    r = http.get("/def/vestlod", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = ox.Store()
    g.load(r.content, ox.RdfFormat.TURTLE)
    actor = ox.NamedNode(f"{BASE}def/vestlod#Actor")
    assert list(g.quads_for_pattern(actor, None, None))
    html = http.get("/def/vestlod.html?lang=en").text
    assert 'id="Actor"' in html and 'id="businessArea"' in html
    assert http.get("/def/other").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/doc/org/no-such-thing",
        "/doc/nokind",
        "/doc/org/Aalborg-Universitet",
        "/doc/org/x/y",
        "/doc/org/aalborg-universitet.exe",
        "/doc/..%2F..%2Fetc%2Fpasswd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/id/org/%2e%2e%2f%2e%2e%2fsparql",
        "/id/org/aalborg-universitet%00",
        "/dumps/..%2Fvestlod.trig",
        "/dumps/%2Fetc%2Fpasswd",
        "/dumps/.vestlod.trig",
        "/def/..%2Fetc%2Fpasswd",
        "/no/such/page",
    ],
)
def test_unknown_and_traversal_are_404_never_500(http: httpx.Client, path: str) -> None:
    r = http.get(path)
    assert r.status_code in (400, 404), path
    assert "root:" not in r.text


def test_404_is_negotiated(http: httpx.Client) -> None:
    page = http.get("/doc/org/no-such-thing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text and "/doc/org/no-such-thing" in page.text
    ttl = http.get("/doc/org/no-such-thing", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 404 and ttl.headers["content-type"].startswith("text/turtle")
    g = ox.Store()
    g.load(ttl.content, ox.RdfFormat.TURTLE)  # an empty graph, but a graph
    assert len(g) == 0
    nt = http.get("/doc/org/no-such-thing.nt")
    assert nt.status_code == 404 and nt.headers["content-type"].startswith("application/n-triples")


def test_void_counts_what_the_endpoint_counts(http: httpx.Client) -> None:
    r = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef(f"{BASE}id/dataset/vestlod")
    counted = http.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    n = int(counted.json()["results"]["bindings"][0]["n"]["value"])
    assert int(g.value(ds, void.triples)) == n
    assert str(g.value(ds, void.uriSpace)) == f"{BASE}id/"
    assert g.value(ds, void.sparqlEndpoint) == rdflib.URIRef(f"{BASE}sparql")
    dumps = {str(o) for o in g.objects(ds, void.dataDump)}
    assert f"{BASE}dumps/vestlod.nt.gz" in dumps and f"{BASE}dumps/vestlod.ttl" in dumps
    assert f"{BASE}dumps/vestlod.ttl.gz" not in dumps  # a twin is an encoding, not a dump
    classes = {g.value(p, void["class"]) for p in g.objects(ds, void.classPartition)}
    assert rdflib.URIRef(f"{BASE}def/vestlod#Actor") in classes
    assert rdflib.URIRef(f"{BASE}def/vestlod#") in set(g.objects(ds, void.vocabulary))
    props = list(g.objects(ds, void.propertyPartition))
    assert sum(int(g.value(p, void.triples)) for p in props) == n
    # the entry points a curator chose in data/catalog.yaml, each a page that answers
    root = g.value(ds, void.rootResource)
    assert root == rdflib.URIRef(f"{BASE}id/document/bilag-styrket-vestdansk-samarbejde")
    examples = set(g.objects(ds, void.exampleResource))
    assert rdflib.URIRef(f"{BASE}id/org/vestas") in examples
    for iri in (root, *examples):
        assert http.get(str(iri).replace(BASE, "/doc/", 1).replace("/doc/id/", "/doc/")
                        ).status_code == 200, iri


def test_dumps_are_listed_with_size_and_sha256_and_downloadable(
        http: httpx.Client, asgi_annex: InProcess) -> None:
    listing = http.get("/dumps/", headers={"Accept": "application/json"}).json()
    names = {f["name"] for f in listing}
    assert {"vestlod.ttl", "vestlod.nt.gz", "vestlod.trig"} <= names
    html = http.get("/dumps/").text
    for f in listing:
        assert f["name"] in html and f["sha256"] in html
        body = http.get(f"/dumps/{f['name']}").content
        assert len(body) == f["size"]
        assert hashlib.sha256(body).hexdigest() == f["sha256"]
    gz = http.get("/dumps/vestlod.nt.gz")
    assert gz.headers["content-type"] == "application/gzip"
    assert gz.headers.get("content-encoding") is None, "the client gets the .gz as published"
    assert gzip.decompress(gz.content).startswith(b"<")
    sums = http.get("/dumps/SHA256SUMS").text
    assert sums == (asgi_annex.dist / "SHA256SUMS").read_text()


def test_sitemap_lists_every_doc_page(http: httpx.Client, asgi_annex: InProcess) -> None:
    xml = http.get("/sitemap.xml")
    assert xml.headers["content-type"].startswith("application/xml")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", xml.text))
    for s in subjects(asgi_annex):
        assert s.replace("/id/", "/doc/", 1) in locs
    robots = http.get("/robots.txt").text
    assert f"Sitemap: {BASE}sitemap.xml" in robots


def _has_label(store: ox.Store, iri: str) -> bool:
    me = ox.NamedNode(iri)
    return any(q.predicate.value in LABELS and isinstance(q.object, ox.Literal)
               for q in store.quads_for_pattern(me, None, None))


@pytest.mark.slow
def test_every_id_subject_dereferences_in_all_five_formats(
        http: httpx.Client, asgi_annex: InProcess) -> None:
    """The acceptance check: 303 → 200 in all five formats, parseable, with a label."""
    failures: list[str] = []
    all_subjects = subjects(asgi_annex)
    assert len(all_subjects) > 1000
    for i, iri in enumerate(all_subjects):
        path = iri[len(BASE) - 1:]
        r = http.get(path)
        if r.status_code != 303:
            failures.append(f"{path}: {r.status_code}")
            continue
        doc = r.headers["location"]
        for suffix, fmt in OX_FORMATS.items():
            body = http.get(doc + suffix)
            if body.status_code != 200:
                failures.append(f"{doc}{suffix}: {body.status_code}")
                continue
            store = ox.Store()
            try:
                store.load(body.content, fmt)
            except (SyntaxError, ValueError) as exc:
                failures.append(f"{doc}{suffix}: does not parse: {exc}")
                continue
            if not _has_label(store, iri):
                failures.append(f"{doc}{suffix}: no label for {iri}")
        lang = ("da", "en")[i % 2]
        page = http.get(doc + ".html", params={"lang": lang})
        if page.status_code != 200:
            failures.append(f"{doc}.html: {page.status_code}")
            continue
        ttl = ox.Store()
        ttl.load(http.get(doc + ".nt").content, ox.RdfFormat.N_TRIPLES)
        wanted = [q.object.value for q in ttl.quads_for_pattern(ox.NamedNode(iri), None, None)
                  if q.predicate.value in LABELS and isinstance(q.object, ox.Literal)
                  and q.object.language == lang]
        if wanted and not any(str(escape(w)) in page.text for w in wanted):
            failures.append(f"{doc}.html?lang={lang}: none of {wanted} on the page")
    assert not failures, f"{len(failures)} failures, first: {failures[:10]}"
