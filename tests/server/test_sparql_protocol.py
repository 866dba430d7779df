"""The SPARQL 1.1 Protocol at /sparql, as a client sees it.

In-process (conftest `asgi`): nothing here needs the server's process. A real client over a
real socket is tests/server/test_sparqlwrapper.py."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import xml.etree.ElementTree as ET

import httpx
import pytest
import rdflib

from tests.server.conftest import InProcess

LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?a ?label WHERE { ?a skos:prefLabel ?label FILTER(lang(?label) = "en") } ORDER BY ?label
LIMIT 3"""
CONSTRUCT = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?a skos:prefLabel ?l } WHERE { ?a skos:prefLabel ?l FILTER(lang(?l) = "da") }
ORDER BY ?l LIMIT 2"""
SRJ = "application/sparql-results+json"


@pytest.fixture
def client(asgi_client: httpx.Client) -> httpx.Client:
    return asgi_client


def bindings(response: httpx.Response) -> list[dict[str, str]]:
    data = response.json()
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_get_with_query_parameter_returns_json_results(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": LABELS}, headers={"Accept": SRJ})
    assert r.status_code == 200
    assert r.headers["content-type"] == SRJ
    assert [b["label"] for b in bindings(r)] == ["Actor 0", "Actor 1", "Actor 10"]


def test_post_form_and_post_raw_query_give_the_same_answer(client: httpx.Client) -> None:
    get = client.get("/sparql", params={"query": LABELS})
    form = client.post("/sparql", data={"query": LABELS})
    raw = client.post(
        "/sparql/", content=LABELS, headers={"Content-Type": "application/sparql-query"}
    )
    assert form.status_code == raw.status_code == 200
    assert bindings(get) == bindings(form) == bindings(raw)


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9",
         "application/sparql-results+xml; charset=utf-8"),
    ],
)
def test_select_results_format_follows_accept(
    client: httpx.Client, accept: str, content_type: str
) -> None:
    r = client.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert "Vary" in r.headers and "Accept" in r.headers["vary"]


def test_select_results_parse_in_every_format(client: httpx.Client) -> None:
    xml = client.get("/sparql", params={"query": LABELS, "format": "xml"})
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    literals = [e.text for e in ET.fromstring(xml.content).iterfind(".//s:literal", ns)]
    assert literals == ["Actor 0", "Actor 1", "Actor 10"]
    table = list(csv.reader(io.StringIO(client.get(
        "/sparql", params={"query": LABELS, "format": "csv"}).text)))
    assert table[0] == ["a", "label"] and table[1][1] == "Actor 0"
    tsv = client.get("/sparql", params={"query": LABELS, "format": "tsv"}).text.splitlines()
    assert tsv[0] == "?a\t?label" and tsv[1].endswith('"Actor 0"@en')


def test_format_parameter_beats_accept(client: httpx.Client) -> None:
    r = client.get(
        "/sparql", params={"query": LABELS, "format": "csv"}, headers={"Accept": SRJ}
    )
    assert r.headers["content-type"].startswith("text/csv")


def test_ask_answers_a_boolean(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_returns_rdf_in_the_negotiated_syntax(
    client: httpx.Client, accept: str, rdflib_format: str
) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert {str(o) for o in graph.objects()} == {"Aktør 0", "Aktør 1"}


def test_describe_returns_the_resource(client: httpx.Client) -> None:
    query = "DESCRIBE <https://w3id.org/vestlod/id/actor/a3>"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=r.content, format="turtle")
    assert rdflib.Literal("Actor 3", lang="en") in set(graph.objects())


def test_default_graph_is_the_union_of_the_named_graphs(client: httpx.Client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = int(bindings(client.get("/sparql", params={"query": query}))[0]["n"])
    per_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert union == int(bindings(client.get("/sparql", params={"query": per_graph}))[0]["n"])
    assert union > 30


def test_default_graph_uri_and_named_graph_uri_set_the_dataset(client: httpx.Client) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    meta = client.get("/sparql", params={
        "query": query, "default-graph-uri": "https://w3id.org/vestlod/graph/metadata"})
    assert [b["s"] for b in bindings(meta)] == ["https://w3id.org/vestlod/dataset"]
    named = client.get("/sparql", params=[
        ("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
        ("named-graph-uri", "https://w3id.org/vestlod/graph/provenance"),
        ("named-graph-uri", "https://w3id.org/vestlod/graph/metadata"),
    ])
    assert sorted(b["g"] for b in bindings(named)) == [
        "https://w3id.org/vestlod/graph/metadata",
        "https://w3id.org/vestlod/graph/provenance",
    ]


def test_a_graph_uri_that_is_not_an_iri_is_a_400_not_a_store_error(client: httpx.Client) -> None:
    # found by tests/server/test_schemathesis.py: these were 502s from the worker
    for name in ("default-graph-uri", "named-graph-uri"):
        for bad in ("J", "", "not an iri"):
            answer = client.get("/sparql", params={"query": "ASK {}", name: bad})
            assert answer.status_code == 400, (name, bad, answer.text)
            assert name in answer.text
        posted = client.post("/sparql", data={"query": "ASK {}", name: "J"})
        assert posted.status_code == 400


def test_malformed_query_is_a_400_with_the_parsers_message(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?p }"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "error at 1:" in r.text


def test_post_without_query_and_unknown_body_types_are_client_errors(
    client: httpx.Client,
) -> None:
    assert client.post("/sparql", data={"nothing": "x"}).status_code == 400
    r = client.post("/sparql", content="x", headers={"Content-Type": "image/png"})
    assert r.status_code == 415
    two = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400 and "only once" in two.text


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"content": "DELETE WHERE { ?s ?p ?o }",
         "headers": {"Content-Type": "application/sparql-update"}},
        {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}},
        {"data": {"query": "PREFIX x: <urn:x#> CLEAR ALL"}},
    ],
)
def test_updates_and_load_are_refused_with_403(
    client: httpx.Client, request_kwargs: dict[str, object]
) -> None:
    r = client.post("/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert r.status_code == 403
    assert "read-only" in r.text


@pytest.fixture
def listener() -> object:
    """A loopback socket that counts connection attempts (it never answers)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    hits: list[int] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                hits.append(1)
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], hits
    stop.set()
    thread.join()
    sock.close()


def test_service_to_a_host_not_allowlisted_is_refused_without_any_request(
    client: httpx.Client, listener: tuple[int, list[int]]
) -> None:
    port, hits = listener
    endpoint = f"http://127.0.0.1:{port}/sparql"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> "
        f"SELECT * {{ SERVICE SILENT e:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        r = client.post("/sparql", data={"query": query})
        assert r.status_code == 403, query
        assert "SERVICE" in r.text and "service_allowlist" in r.text
    assert hits == []


def test_unacceptable_accept_is_a_406_that_lists_the_alternatives(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": LABELS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    construct_as_csv = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert construct_as_csv.status_code == 406
    assert "text/turtle" in construct_as_csv.text


def test_result_cap_is_announced_never_silent(client: httpx.Client) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": everything})
    assert len(r.json()["results"]["bindings"]) == 5
    assert r.headers["Vestlod-Result-Cap"] == "5"
    assert r.headers["Vestlod-Result-Truncated"] == "true"
    small = client.get("/sparql", params={"query": LABELS})
    assert small.headers["Vestlod-Result-Truncated"] == "false"
    assert small.headers["Vestlod-Result-Count"] == "3"
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                       headers={"Accept": "application/n-triples"})
    assert len(graph.text.strip().splitlines()) == 5
    assert graph.headers["Vestlod-Result-Truncated"] == "true"


def test_etag_gives_304_and_repeats_come_from_the_cache(
    client: httpx.Client, asgi: InProcess
) -> None:
    query = "SELECT ?s WHERE { ?s a ?t } ORDER BY ?s LIMIT 2"
    first = client.get("/sparql", params={"query": query})
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    again = client.get("/sparql", params={"query": query})
    assert again.headers["Vestlod-Cache"] == "hit"
    assert again.headers["ETag"] == etag and again.content == first.content
    not_modified = client.get("/sparql", params={"query": query}, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    as_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.headers["ETag"] != etag  # the ETag names the representation, not just the query
    assert first.headers["Vestlod-Dataset-Version"] == asgi.version


def test_cors_is_open_for_reading_without_credentials(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://x.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    assert "ETag" in r.headers["access-control-expose-headers"]
    pre = client.options("/sparql", headers={
        "Origin": "https://x.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert pre.status_code == 200


def test_get_without_query_and_rdf_accept_is_a_service_description(
    client: httpx.Client,
) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef("https://w3id.org/vestlod/sparql")
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    formats = {str(o) for o in graph.objects(service, sd.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert "https://w3id.org/vestlod/graph/provenance" in names
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert json.loads(jsonld.content)


def test_get_without_query_for_a_browser_is_the_query_ui(client: httpx.Client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "vestlod SPARQL endpoint" in r.text
    assert "Strength positions per business area" in r.text
    # This server was started without the YASGUI bundle: the page must say so plainly.
    assert 'id="ui-missing"' in r.text and "make setup" in r.text


def test_health_and_readiness(client: httpx.Client, asgi: InProcess) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["version"] == asgi.version
    assert ready["workers"] == 2
