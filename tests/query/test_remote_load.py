"""`vestlod load` against a store that refuses: one line, a non-zero exit, nothing left behind.

The store here is a small but real SPARQL server on a loopback port (a thread running
`http.server` over a pyoxigraph store): its query endpoint answers, its Graph Store endpoint
accepts graphs, and its update endpoint answers 401 to everything, as a store does when the
credentials for updates are missing or wrong. The closed-port case runs the real CLI.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from publish.config import load_settings
from publish.errors import StoreError
from publish.query.remote_load import STAGING, load_remote
from tests.server.conftest import VESTLOD, clean_env, fixture_trig, write_dist

STAGING_LEFT = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
)


@dataclass
class RefusingStore:
    """A SPARQL store whose update endpoint answers 401; it records every request it got."""

    data: ox.Store = field(default_factory=ox.Store)
    requests: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    @property
    def graph_store_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/gsp"

    def count(self, query: str) -> int:
        answer = self.data.query(query)
        assert isinstance(answer, ox.QuerySolutions)
        value = next(iter(answer))["n"]
        assert isinstance(value, ox.Literal)
        return int(value.value)


def _handler(store: RefusingStore) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:  # keep the test output clean
            pass

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _answer(self, status: int, body: bytes = b"", media: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _graph(self) -> ox.NamedNode:
            return ox.NamedNode(parse_qs(urlsplit(self.path).query)["graph"][0])

        def do_POST(self) -> None:  # noqa: N802 — http.server's naming
            path = urlsplit(self.path).path
            body = self._body()
            store.requests.append(("POST", path))
            if path == "/update":
                self._answer(401, b"Unauthorized")
            elif path == "/sparql":
                query = parse_qs(body.decode("utf-8"))["query"][0]
                results = store.data.query(query)
                assert isinstance(results, ox.QuerySolutions)
                out = results.serialize(format=ox.QueryResultsFormat.JSON) or b""
                self._answer(200, out, "application/sparql-results+json")
            elif path == "/gsp":
                self._load(body, replace=False)
            else:
                self._answer(404)

        def do_PUT(self) -> None:  # noqa: N802
            store.requests.append(("PUT", urlsplit(self.path).path))
            self._load(self._body(), replace=True)

        def do_DELETE(self) -> None:  # noqa: N802
            store.requests.append(("DELETE", urlsplit(self.path).path))
            graph = self._graph()
            if not store.data.contains_named_graph(graph):
                self._answer(404)
                return
            store.data.remove_graph(graph)
            self._answer(204)

        def _load(self, body: bytes, replace: bool) -> None:
            graph = self._graph()
            if replace and store.data.contains_named_graph(graph):
                store.data.clear_graph(graph)
            store.data.load(body, ox.RdfFormat.N_TRIPLES, to_graph=graph)
            self._answer(201)

    return Handler


@pytest.fixture
def refusing_store() -> Iterator[RefusingStore]:
    store = RefusingStore()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store))
    store.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield store
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_refused_switch_is_reported_and_the_staging_graphs_are_dropped(
    refusing_store: RefusingStore, tmp_path: Path
) -> None:
    """The uploads succeed, the switch gets a 401: the load fails with the store's answer, and
    the staging graphs it wrote are gone again (the update endpoint refuses the drop as well,
    so they are deleted through the Graph Store endpoint that accepted them)."""
    write_dist(tmp_path / "dist", fixture_trig())
    settings = load_settings(
        {
            "store_url": refusing_store.query_url,
            "store_update_url": refusing_store.update_url,
            "store_graph_store_url": refusing_store.graph_store_url,
            "dist_dir": tmp_path / "dist",
        },
        environ={},
        toml_path=tmp_path / "none.toml",
    )
    with pytest.raises(StoreError, match="answered 401"):
        load_remote(settings)
    assert ("PUT", "/gsp") in refusing_store.requests  # the staging graphs were written …
    assert ("POST", "/update") in refusing_store.requests  # … the switch was refused …
    assert refusing_store.count(STAGING_LEFT) == 0  # … and nothing of them is left
    assert refusing_store.count(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 0


def test_a_closed_port_gives_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    write_dist(tmp_path / "dist", fixture_trig())
    closed = "http://127.0.0.1:1"
    done = subprocess.run(
        [VESTLOD, "load", "--store", f"{closed}/sparql", "--update", f"{closed}/update",
         "--graph-store", f"{closed}/gsp", "--dist", str(tmp_path / "dist")],
        env=clean_env(), cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: the remote store http://127.0.0.1:1/sparql is unreachable (ConnectError)"
    ]
