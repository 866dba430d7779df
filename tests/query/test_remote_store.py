"""The remote store: `vestlod load --store` into a real Virtuoso and `vestlod serve --store` over it.

One Virtuoso (tests/virtuoso.py) is started per module on 127.0.0.1 with a random dba password.
The annex is built into tmp_path, loaded with the real CLI, and served by a real `vestlod serve
--store URL --port 0` process; answers are compared with the embedded store over the same dist/.
Skipped, with the reason, only where the Virtuoso binaries are not installed (.ci/run installs
them with apt).
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from publish.config import ConfigError, load_settings
from publish.errors import QueryTimeout
from publish.query.remote import (
    RemoteSparqlStore,
    _term,
    connect,
    dialect_of,
    names_its_dataset,
    public_url,
    reads_named_graphs,
    substitute,
    union_graph,
)
from publish.query.remote_load import chunks
from publish.query.store import QueryRequest, load_store
from publish.server.describe import DIALECTS, describe_query
from tests import virtuoso
from tests.server.conftest import (
    VESTLOD,
    Server,
    build_annex_dist,
    clean_env,
    fixture_trig,
    start_server,
    stop_server,
    write_dist,
)

BASE = "https://w3id.org/vestlod/"
#: resources of the annex whose descriptions take different branches of the describe query
DESCRIBED = (
    "org/danish-food-cluster",  # an organisation with the most incoming links
    "area/energiteknologi",  # a business area: figures point at it, actors mentioned in it
    "strength-position/design",  # a concept with evidence: annotation, selector, sections
    "figure/welfare-tech-medlemmer",  # an observation: value, unit, evidence
    "unit/dkk",  # observations point at it (their values and units)
    "annotation/strength-position-vindenergi-6227-6292",  # its #target fragment and selector
    "document/bilag-styrket-vestdansk-samarbejde",  # the annex: segments and annotated spans
    "region/nordjylland",
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = "application/sparql-results+json"

# ---- no store needed -------------------------------------------------------------------


def test_substitute_replaces_variables_not_strings_or_comments() -> None:
    query = 'SELECT ?this ?o WHERE { ?this ?p ?o FILTER(?o != "?this") } # ?this\n'
    out = substitute(query, {"this": "https://w3id.org/vestlod/id/a/b"})
    assert out == (
        "SELECT (<https://w3id.org/vestlod/id/a/b> AS ?this) ?o WHERE { "
        '<https://w3id.org/vestlod/id/a/b> ?p ?o FILTER(?o != "?this") } # ?this\n'
    )
    parsed = ox.Store().query(out)  # still valid SPARQL
    assert [v.value for v in parsed.variables] == ["this", "o"]  # type: ignore[union-attr]


def test_substitute_refuses_what_is_not_an_iri() -> None:
    from publish.errors import StoreError

    with pytest.raises(StoreError):
        substitute("SELECT * WHERE { ?this ?p ?o }", {"this": "x> } ; DROP ALL ; <y"})


def test_virtuoso_json_terms_are_normalised() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert _term({"type": "typed-literal", "datatype": xsd + "integer", "value": "3"}) == {
        "type": "literal", "datatype": xsd + "integer", "value": "3"}
    assert _term({"type": "typed-literal", "datatype": xsd + "string", "value": "a"}) == {
        "type": "literal", "value": "a"}
    assert _term({"type": "bnode", "value": "nodeID://b1004"}) == {"type": "bnode",
                                                                  "value": "b1004"}


def test_upload_chunks_keep_blank_node_groups_together() -> None:
    ex = "http://example.org/"
    triples = [ox.Triple(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(ex + "p"), ox.Literal(str(i)))
               for i in range(10)]
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    chain = [ox.Triple(ox.NamedNode(ex + "x"), ox.NamedNode(ex + "t"), a),
             ox.Triple(a, ox.NamedNode(ex + "sel"), b),
             ox.Triple(b, ox.NamedNode(ex + "exact"), ox.Literal("q")),
             ox.Triple(c, ox.NamedNode(ex + "exact"), ox.Literal("r"))]
    mixed = triples[:5] + chain[:2] + triples[5:] + chain[2:]
    parts = list(chunks(mixed, 3))
    assert sorted(map(str, (t for p in parts for t in p))) == sorted(map(str, mixed))
    holding_a_b = [p for p in parts if any(b in (t.subject, t.object) for t in p)]
    assert len(holding_a_b) == 1 and all(t in holding_a_b[0] for t in chain[:3])
    assert max(len(p) for p in parts) <= 3 + 2


def test_from_clause_keeps_its_own_dataset() -> None:
    assert names_its_dataset(f"SELECT * FROM <{BASE}graph/data> WHERE {{ ?s ?p ?o }}")
    assert not names_its_dataset('SELECT * WHERE { ?s ?p "FROM" }')


def test_named_graphs_are_sent_only_to_queries_that_can_see_them() -> None:
    assert reads_named_graphs("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert reads_named_graphs("describe <http://example.org/x>")
    assert not reads_named_graphs('SELECT * WHERE { ?s ?p "GRAPH" } # GRAPH')


def test_only_a_store_that_says_it_is_virtuoso_gets_the_virtuoso_dialect() -> None:
    virtuoso_answer = httpx.Response(200, headers={
        "Server": "Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu"})
    assert dialect_of(virtuoso_answer) == "virtuoso"
    assert dialect_of(httpx.Response(200, headers={"Server": "Apache Jena Fuseki"})) == "sparql"
    assert dialect_of(httpx.Response(200)) == "sparql"
    assert set(DIALECTS) == {"sparql", "virtuoso"}


def test_credentials_only_from_the_environment(tmp_path: Path) -> None:
    toml = tmp_path / "vestlod.toml"
    toml.write_text('store_password = "hunter2"\n')
    with pytest.raises(ConfigError, match="VESTLOD_STORE_PASSWORD"):
        load_settings(environ={}, toml_path=toml)
    with pytest.raises(ConfigError):
        load_settings({"store_password": "hunter2"}, environ={}, toml_path=tmp_path / "none")
    settings = load_settings(environ={"VESTLOD_STORE_PASSWORD": "hunter2"},
                             toml_path=tmp_path / "none")
    assert settings.store_password == "hunter2"
    assert "hunter2" not in repr(settings)
    assert public_url("http://dba:hunter2@127.0.0.1:8890/sparql") == "http://127.0.0.1:8890/sparql"


# ---- against a real Virtuoso ---------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    reason = virtuoso.available()
    if reason:
        pytest.skip(reason)
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def annex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_annex_dist(tmp_path_factory.mktemp("remote") / "dist")


def vestlod_load(store: virtuoso.Virtuoso, dist: Path) -> subprocess.CompletedProcess[str]:
    env = {**clean_env(), **store.env()}
    return subprocess.run(
        [VESTLOD, "load", "--store", store.sparql, "--update", store.update,
         "--graph-store", store.graph_store, "--dist", str(dist)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def count(url: str, query: str = COUNT) -> int:
    response = httpx.post(url, data={"query": query}, headers={"Accept": JSON}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def loaded(store: virtuoso.Virtuoso, annex: Path) -> subprocess.CompletedProcess[str]:
    done = vestlod_load(store, annex)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def front(store: virtuoso.Virtuoso, loaded: object,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("front"), store_url=store.sparql,
                       reload_interval="0.2", query_timeout="20", result_cap="100000")
    yield srv
    stop_server(srv)


def test_load_verifies_counts_and_keeps_the_password_quiet(
    store: virtuoso.Virtuoso, annex: Path, loaded: subprocess.CompletedProcess[str]
) -> None:
    local = load_store(annex)
    assert "counts verified" in loaded.stdout
    assert f"loaded {local.stats.quads} triples" in loaded.stdout
    assert store.password not in loaded.stdout + loaded.stderr
    # Virtuoso itself, restricted to our graphs, holds exactly the dump
    graphs = " ".join(f"<{g}>" for g in local.stats.graphs)
    in_store = count(store.sparql, "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?g { " + graphs
                     + " } GRAPH ?g { ?s ?p ?o } }")
    assert in_store == local.stats.quads
    # no staging graph is left behind
    assert count(store.sparql, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                 'FILTER(STRSTARTS(STR(?g), "urn:vestlod:staging:")) }') == 0


def test_load_writes_the_union_graph_that_queries_use_as_their_default_graph(
    store: virtuoso.Virtuoso, annex: Path, loaded: object
) -> None:
    """One graph holding the union of ours is what Virtuoso answers fast over; it must hold
    exactly the distinct triples of the dump, and a store without it is still served right."""
    local = load_store(annex)
    union = union_graph(local.stats.version)
    distinct = count(store.sparql,
                     f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{union}> {{ ?s ?p ?o }} }}")
    expected = json.loads(local.execute(QueryRequest(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")).body)
    assert distinct == int(expected["results"]["bindings"][0]["n"]["value"])
    settings = load_settings({"store_url": store.sparql}, environ={},
                             toml_path=annex / "no-such.toml")
    remote = connect(settings)
    # without the union graph (a store loaded by an older vestlod) the four graphs serve
    fallback = RemoteSparqlStore(remote.endpoint, remote.stats, union=None)
    try:
        assert remote.union == union
        for served in (remote, fallback):
            answer = json.loads(served.execute(QueryRequest(COUNT)).body)
            assert int(answer["results"]["bindings"][0]["n"]["value"]) == distinct
    finally:
        remote.close()
        fallback.close()


def test_load_without_credentials_fails_and_changes_nothing(
    store: virtuoso.Virtuoso, annex: Path, loaded: object
) -> None:
    env = {k: v for k, v in {**clean_env(), **store.env()}.items()
           if k != "VESTLOD_STORE_PASSWORD"}
    before = count(store.sparql)
    done = subprocess.run(
        [VESTLOD, "load", "--store", store.sparql, "--update", store.update,
         "--graph-store", store.graph_store, "--dist", str(annex)],
        env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "401" in done.stderr
    assert count(store.sparql) == before


def test_front_answers_like_the_embedded_store(front: Server, annex: Path) -> None:
    local = load_store(annex)
    ready = httpx.get(front.url + "/readyz", timeout=10).json()
    assert ready["quads"] == local.stats.quads
    assert ready["version"] == local.stats.version  # the version `load` recorded
    # the default graph is the union of our graphs only (no Virtuoso system graphs)
    assert count(front.sparql) == local.stats.quads
    query = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?l WHERE "
             "{ ?s a <http://www.w3.org/ns/org#Organization> ; skos:prefLabel ?l } ORDER BY ?s ?l")
    remote = httpx.post(front.sparql, data={"query": query}, headers={"Accept": JSON}, timeout=30)
    assert remote.status_code == 200
    expected = local.execute(QueryRequest(query, cap=100000))
    # same rows in the same JSON shape (engines may order equal-valued literals differently)
    assert sorted(remote.json()["results"]["bindings"], key=json.dumps) == sorted(
        json.loads(expected.body)["results"]["bindings"], key=json.dumps)
    assert expected.count > 50
    assert remote.headers["vestlod-result-count"] == str(expected.count)
    # GRAPH sees our named graphs and nothing else of the store
    per_graph = httpx.post(front.sparql, data={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
        headers={"Accept": JSON}, timeout=30).json()["results"]["bindings"]
    assert sorted(row["g"]["value"] for row in per_graph) == sorted(local.stats.graphs)
    assert sum(int(row["n"]["value"]) for row in per_graph) == local.stats.quads
    # the cap still applies in front of the remote store
    capped = httpx.post(front.sparql, data={"query": query, "format": "json"},
                        headers={"Accept": JSON}, timeout=30)
    assert capped.headers["vestlod-result-truncated"] == "false"


def test_front_refuses_update_and_service(store: virtuoso.Virtuoso, front: Server) -> None:
    before = count(store.sparql)
    for data in (
        {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"},
        {"query": "DROP ALL"},
        # a Virtuoso pragma that would have the store fetch a document from the web
        {"query": 'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/x> '
                  "WHERE { ?s ?p ?o }"},
    ):
        response = httpx.post(front.sparql, data=data, timeout=10)
        assert response.status_code == 403, response.text
    assert count(store.sparql) == before


def test_a_slow_query_is_stopped_by_the_store(store: virtuoso.Virtuoso, loaded: object) -> None:
    """Virtuoso cuts the query at our limit and answers 200 with partial rows (X-SQL-State
    S1TAT); that must become a timeout, never a silently short answer."""
    settings = load_settings({"store_url": store.sparql, "query_timeout": 1}, environ={},
                             toml_path=Path("no-such.toml"))
    remote = connect(settings)
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
            "FILTER(STR(?c) < STR(?f)) }")
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        remote.execute(QueryRequest(slow))
    assert time.monotonic() - started < 1 + 3
    assert remote.execute(QueryRequest("ASK { ?s ?p ?o }")).body.endswith(b"true}")
    remote.close()


def test_dereference_through_the_remote_store(front: Server, annex: Path,
                                              tmp_path: Path) -> None:
    """/id → 303 → /doc answered from Virtuoso, the same triples as from the embedded store."""
    path = "region/nordjylland"
    with httpx.Client(base_url=front.url, timeout=30) as client:
        response = client.get(f"/id/{path}", headers={"Accept": "application/n-triples"})
        assert response.status_code == 303
        assert response.headers["location"].endswith(f"/doc/{path}")
        remote = client.get(f"/doc/{path}.nt")
        assert remote.status_code == 200
        html = client.get(f"/doc/{path}", headers={"Accept": "text/html"})
        assert html.status_code == 200 and "Nordjylland" in html.text
        assert client.get("/id/region/no-such-region").status_code == 404
    local = subprocess.run(
        [VESTLOD, "serve", "--dist", str(annex), "--get", f"/doc/{path}.nt"],
        env=clean_env(ui_assets_dir=str(tmp_path), reload_interval="0"), cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=True)
    assert sorted(remote.text.splitlines()) == sorted(local.stdout.splitlines())
    assert len(remote.text.splitlines()) > 50


def _isomorphic_or_diff(expected: bytes, got: bytes) -> str | None:
    """``None`` when both N-Triples texts are the same graph, else what differs (readable)."""
    from rdflib import Graph
    from rdflib.compare import graph_diff, to_isomorphic

    a = to_isomorphic(Graph().parse(data=expected, format="nt"))
    b = to_isomorphic(Graph().parse(data=got, format="nt"))
    if a == b:
        return None
    _, only_expected, only_got = graph_diff(a, b)
    return (f"missing {len(only_expected)}: {sorted(map(str, only_expected))[:5]}; "
            f"extra {len(only_got)}: {sorted(map(str, only_got))[:5]}")


def _embedded_descriptions(annex: Path) -> dict[str, bytes]:
    """``/doc/{path}.nt`` for every path of `DESCRIBED`, from the embedded store in process."""
    from tests.server.conftest import serve_dist

    bodies: dict[str, bytes] = {}

    async def fetch(client: httpx.AsyncClient) -> None:
        for path in DESCRIBED:
            response = await client.get(f"/doc/{path}.nt")
            assert response.status_code == 200, path
            bodies[path] = response.content

    serve_dist(annex, fetch, query_timeout=20)
    return bodies


def test_descriptions_in_each_dialect_are_the_embedded_stores(
    store: virtuoso.Virtuoso, annex: Path, loaded: object
) -> None:
    """Virtuoso answers the description query in both dialects with exactly the triples the
    embedded store gives for the generic one, for every kind of resource (the Virtuoso variant
    reads candidate predicates from any graph and adds index hints; it must change the plan,
    never the answer). Another graph of the shared store links to a described resource: its
    triples must not reach any description."""
    local = load_store(annex)
    foreign = "urn:vestlod:test:another-publication"
    store.isql(f"SPARQL INSERT DATA {{ GRAPH <{foreign}> {{ <urn:x:elsewhere> "
               f"<http://www.w3.org/2004/02/skos/core#related> <{BASE}id/{DESCRIBED[0]}> . "
               f"<urn:x:elsewhere> <http://www.w3.org/2000/01/rdf-schema#label> \"other\" . "
               "} };\n")
    settings = load_settings({"store_url": store.sparql, "query_timeout": 20}, environ={},
                             toml_path=annex / "no-such.toml")
    remote = connect(settings)
    assert remote.dialect == "virtuoso"  # from the Server header of its answers
    vocabulary = BASE + "def/vestlod#"
    try:
        for path in DESCRIBED:
            kind = path.split("/")[0]
            this = (("this", BASE + "id/" + path),)
            expected = local.execute(QueryRequest(
                describe_query(kind, vocabulary), graph_format="ntriples", cap=1_000_000,
                substitutions=this))
            assert expected.count > 5, path
            for dialect in DIALECTS:
                got = remote.execute(QueryRequest(
                    describe_query(kind, vocabulary, dialect), graph_format="ntriples",
                    cap=1_000_000, substitutions=this,
                    named_graphs_unrestricted=dialect != "sparql"))
                assert _isomorphic_or_diff(expected.body, got.body) is None, (
                    f"{path} ({dialect}): {_isomorphic_or_diff(expected.body, got.body)}")
    finally:
        remote.close()
        store.isql(f"SPARQL CLEAR GRAPH <{foreign}>;\n")


def test_doc_pages_through_virtuoso_are_the_embedded_ones(front: Server, annex: Path) -> None:
    """End to end: `vestlod serve --store` (which picks the Virtuoso dialect itself) serves
    the same /doc graphs as `vestlod serve --dist` over the same build."""
    embedded = _embedded_descriptions(annex)
    with httpx.Client(base_url=front.url, timeout=30) as client:
        for path in DESCRIBED:
            remote = client.get(f"/doc/{path}.nt")
            assert remote.status_code == 200, path
            difference = _isomorphic_or_diff(embedded[path], remote.content)
            assert difference is None, f"/doc/{path}: {difference}"


def test_reload_after_a_change(store: virtuoso.Virtuoso, front: Server,
                               tmp_path: Path) -> None:
    """A second `vestlod load` replaces the graphs; the running front notices and swaps."""
    before = httpx.get(front.url + "/readyz", timeout=10).json()
    changed = tmp_path / "dist"
    version = write_dist(changed, fixture_trig(n_actors=7, label_suffix=" (v2)"))
    done = vestlod_load(store, changed)
    assert done.returncode == 0, done.stderr
    expected = len(_quads(changed))
    assert f"loaded {expected} triples" in done.stdout
    deadline = time.monotonic() + 15
    ready = before
    while time.monotonic() < deadline:
        ready = httpx.get(front.url + "/readyz", timeout=10).json()
        if ready.get("version") == version:
            break
        time.sleep(0.1)
    assert ready["version"] == version
    assert ready["quads"] == expected
    assert ready["swaps"] == before["swaps"] + 1
    assert count(front.sparql) == expected
    labels = httpx.post(front.sparql, data={"query": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
        'FILTER(CONTAINS(STR(?l), "(v2)")) }')}, headers={"Accept": JSON}, timeout=10)
    assert labels.json()["results"]["bindings"][0]["n"]["value"] == "14"
    # the annex's graphs and triples are gone, not merged
    assert ready["graphs"] == sorted(ready["graphs"]) and len(ready["graphs"]) == 4
    # the new version has its union graph; the previous one keeps its own (a front that has
    # not reloaded yet still reads it), and nothing older is left
    unions = httpx.post(store.sparql, data={"query": (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER(STRSTARTS(STR(?g), "urn:vestlod:union:")) }')},
        headers={"Accept": JSON}, timeout=30).json()["results"]["bindings"]
    assert {row["g"]["value"] for row in unions} == {union_graph(version),
                                                      union_graph(before["version"])}


def _quads(dist: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(dist / "vestlod.trig"), format=ox.RdfFormat.TRIG))
