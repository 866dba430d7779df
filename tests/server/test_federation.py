"""Federation, safely (issue #16 item 4): SERVICE reaches only the endpoints in the allowlist.

A second, real SPARQL endpoint on loopback stands in for the EU's public ones (the Publications
Office's endpoint, which serves EuroVoc with labels in every EU language): a pyoxigraph store
behind an HTTP server that speaks the SPARQL protocol and counts the requests it gets. Its graph
is a small EuroVoc-like one: Danish labels for the EuroVoc concepts the annex's business areas
link to, which the published data does not carry (the shipped EuroVoc subset has English and
French only). The labels are test fixtures, not quotations of EuroVoc.

vestlod with that endpoint in `service_allowlist` answers a query that joins its own links to
the remote labels; a SERVICE to any other address is refused before a request is made. No test
reaches an outside address.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from publish.build.pipeline import BuildResult
from publish.layout import TRIG, read_sums
from tests.server.conftest import InProcess

EUROVOC_LIKE = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://eurovoc.europa.eu/4420> skos:prefLabel "energiteknologi (testdata)"@da ,
    "energy technology"@en .
<http://eurovoc.europa.eu/1360> skos:prefLabel "fødevareindustri (testdata)"@da .
<http://eurovoc.europa.eu/3632> skos:prefLabel "industriproduktion (testdata)"@da .
"""


class LoopbackEndpoint:
    """A SPARQL 1.1 protocol endpoint (GET and form POST) over a pyoxigraph store, on
    127.0.0.1 and a free port; `paths` lists the request path of every request received."""

    def __init__(self, turtle: str) -> None:
        self.store = ox.Store()
        self.store.load(turtle.encode(), ox.RdfFormat.TURTLE)
        self.paths: list[str] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet test output
                pass

            def _answer(self, query: str | None) -> None:
                endpoint.paths.append(urlsplit(self.path).path)
                if urlsplit(self.path).path != "/sparql" or not query:
                    self.send_error(404)
                    return
                result = endpoint.store.query(query)
                assert isinstance(result, ox.QuerySolutions)
                body = result.serialize(format=ox.QueryResultsFormat.JSON)
                assert body is not None
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self._answer(parse_qs(urlsplit(self.path).query).get("query", [None])[0])

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                    self._answer(raw)
                else:
                    self._answer(parse_qs(raw).get("query", [None])[0])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def eu_stand_in() -> Iterator[LoopbackEndpoint]:
    endpoint = LoopbackEndpoint(EUROVOC_LIKE)
    yield endpoint
    endpoint.close()


@pytest.fixture(scope="module")
def federating(tmp_path_factory: pytest.TempPathFactory, built: BuildResult,
               eu_stand_in: LoopbackEndpoint) -> Iterator[InProcess]:
    """The built annex served with the stand-in (and only it) in the allowlist."""
    app = InProcess(tmp_path_factory.mktemp("federating"), built.out, read_sums(built.out)[TRIG],
                    query_timeout=20, service_allowlist=(eu_stand_in.url,))
    yield app
    app.close()


JOIN = """PREFIX vl: <https://w3id.org/vestlod/def/vestlod#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?area ?eurovoc ?labelDa WHERE {
  ?area a vl:BusinessArea ; skos:closeMatch|skos:relatedMatch ?eurovoc .
  FILTER(STRSTARTS(STR(?eurovoc), "http://eurovoc.europa.eu/"))
  SERVICE <ENDPOINT> { ?eurovoc skos:prefLabel ?labelDa FILTER(lang(?labelDa) = "da") }
}
ORDER BY ?area ?eurovoc"""


def _post(client: httpx.Client, query: str) -> httpx.Response:
    return client.post("/sparql", data={"query": query},
                       headers={"Accept": "application/sparql-results+json"})


def test_an_allowlisted_endpoint_joins_local_links_to_remote_labels(
        federating: InProcess, eu_stand_in: LoopbackEndpoint) -> None:
    before = len(eu_stand_in.paths)
    with federating.client() as client:
        r = _post(client, JOIN.replace("ENDPOINT", eu_stand_in.url))
    assert r.status_code == 200, r.text
    rows = {(b["area"]["value"].rsplit("/", 1)[1], b["eurovoc"]["value"], b["labelDa"]["value"])
            for b in r.json()["results"]["bindings"]}
    # local: the areas' EuroVoc links (data/links/eurovoc.csv); remote: the Danish labels
    assert rows == {
        ("energiteknologi", "http://eurovoc.europa.eu/4420", "energiteknologi (testdata)"),
        ("foedevarer", "http://eurovoc.europa.eu/1360", "fødevareindustri (testdata)"),
        ("fremtidens-industri", "http://eurovoc.europa.eu/3632",
         "industriproduktion (testdata)"),
    }
    assert len(eu_stand_in.paths) > before  # the answer really came over HTTP


def test_a_service_not_in_the_allowlist_is_refused_and_nothing_is_requested(
        federating: InProcess, eu_stand_in: LoopbackEndpoint) -> None:
    """Same host and port, another path; and the same endpoint spelled through a variable:
    both refused with 403 before the engine runs, so the stand-in sees no request."""
    before = list(eu_stand_in.paths)
    other = f"http://127.0.0.1:{eu_stand_in.port}/other-sparql"
    with federating.client() as client:
        for query in (JOIN.replace("ENDPOINT", other),
                      "SELECT * WHERE { BIND(<" + eu_stand_in.url + "> AS ?e) "
                      "SERVICE ?e { ?s ?p ?o } }"):
            r = _post(client, query)
            assert r.status_code == 403, query
            assert "service_allowlist" in r.text
    assert eu_stand_in.paths == before


def test_without_the_setting_the_same_endpoint_is_refused(
        tmp_path: Path, built: BuildResult, eu_stand_in: LoopbackEndpoint) -> None:
    """Off by default: the query that federates above is refused by a default server."""
    before = list(eu_stand_in.paths)
    app = InProcess(tmp_path, built.out, read_sums(built.out)[TRIG], query_timeout=20)
    try:
        with app.client() as client:
            r = _post(client, JOIN.replace("ENDPOINT", eu_stand_in.url))
        assert r.status_code == 403
    finally:
        app.close()
    assert eu_stand_in.paths == before
