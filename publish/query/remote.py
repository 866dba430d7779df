"""A remote SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB …) behind the same `Store` interface.

Why this exists: one machine's embedded store stops being the right home once the publication
sits beside much larger datasets in an existing triple store. The server keeps doing what it
does (screening, negotiation, caps, caching, dereferencing, pages); only ``execute`` talks to
another process, over HTTP.

Choices, each with its reason:

* **httpx, not SPARQLWrapper, on the query path.** We need the raw answer to re-serialise it
  with the shared helpers in `publish.query.store` (so both backends return byte-identical shapes,
  counts and truncation flags), a connection pool shared by threads, and timeouts that really
  end the wait. SPARQLWrapper parses into Python objects and uses urllib without pooling.
* **Two timeouts.** The store is sent its own limit (Virtuoso's ``timeout`` parameter, in ms)
  so it stops working on the query; httpx waits a little longer so the store's own verdict
  arrives. Virtuoso answers a query cut by that limit with 200 and *partial* rows, marked only
  by ``X-SQL-State: S1TAT``: we turn that into `QueryTimeout`, never a silently short answer.
* **Our dataset only.** A store's default graph is usually the union of *everything* it holds
  (Virtuoso adds its own system graphs). Unless the query names its own dataset (FROM …), every
  query is sent with ``default-graph-uri`` and, when it can see them, ``named-graph-uri``, which
  gives the embedded store's semantics: default graph = union of our named graphs.
* **One union graph for the default graph.** Virtuoso is slow over a default graph made of
  several graphs: a page description took 1.3 s with our four graphs, 0.19 s over one graph
  and 0.08 s unrestricted (100k triples, measured). So `load_remote` also writes the union of
  our graphs into ``urn:vestlod:union:{version}`` and queries use the union of the version they
  serve as their default graph. It is written *before* the switch under its own name (moving
  two copies in the switch's one transaction timed out in Virtuoso at 1M triples), so the
  switch stays as small as before; the previous version's union is kept for a server that has
  not reloaded yet, older ones are dropped. It costs the store a second copy of the triples and
  the load a second upload; a store loaded without it is still served, over the four graphs.
* **Descriptions in the store's dialect.** Pinned to our union graph, Virtuoso 7.2 plans the
  generic `/doc` description badly (0.7 s at 1M triples, 25 ms unrestricted). `connect` reads
  the ``Server`` header of the store's answer; a Virtuoso gets `dialect` ``"virtuoso"`` and the
  server sends it the variant of `publish.server.describe.DIALECTS` with index hints and a
  candidate step over any graph (for that request no ``named-graph-uri`` is sent). Any other
  store, or a Virtuoso behind a proxy that hides the header, gets plain SPARQL: slower there,
  never wrong.
* **Screened again here.** The server screens before it calls a store; a remote store screens
  once more because it is the last point before another machine, so no code path (pages,
  dereferencing, the CLI) can send it an update or an outbound SERVICE.
* **Substitution by token.** ``?this`` is replaced by a `pyoxigraph.NamedNode` (which validates
  the IRI) token by token, never by string formatting; in a SELECT projection it becomes
  ``(<iri> AS ?this)`` so the query stays valid.
* **Loading lives in `publish.query.remote_load`.** Querying and loading share only what
  this module exports (the store's error mapping, version graph, union graph names); a server
  never imports the loader.

Credentials come from `publish.config` (environment only) and are sent by the loader as HTTP
digest auth; they never appear in a message: URLs are shown without user info.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from publish.config import Settings
from publish.errors import (
    NotAcceptableKind,
    QueryRefused,
    QuerySyntax,
    QueryTimeout,
    StoreError,
)
from publish.query.screening import lexemes, screen, tokens
from publish.query.store import (
    QueryRequest,
    QueryResult,
    StoreStats,
    boolean_result,
    solutions_result,
    triples_result,
)
from publish.vocab import DCTERMS, XSD

RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"
#: where `load_remote` records the loaded version; not under the base IRI, so never served
LOAD_GRAPH = "urn:vestlod:load"
UNION = "urn:vestlod:union:"  # + version: internal default graphs, never published
HAS_VERSION = str(DCTERMS.hasVersion)
#: extra seconds httpx waits beyond the store's own limit, so the store's verdict arrives first
GRACE = 2.0
_XSD_STRING = str(XSD.string)


def public_url(url: str) -> str:
    """``url`` without user info, for messages and logs."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def sparql_iri(value: str) -> str:
    """``<value>`` for a SPARQL text, validated by pyoxigraph (raises on a bad IRI)."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise StoreError(f"not an IRI: {value!r}") from exc


def substitute(query: str, bindings: Mapping[str, str]) -> str:
    """Replace the variables in ``bindings`` by IRIs, token by token (see module docstring)."""
    if not bindings:
        return query
    iris = {name: sparql_iri(iri) for name, iri in bindings.items()}
    out: list[str] = []
    in_projection = False
    depth = 0
    pos = 0
    for kind, start, end in lexemes(query):
        text = query[start:end]
        out.append(query[pos:start])
        pos = end
        if kind == "word" and text.upper() == "SELECT":
            in_projection, depth = True, 0
        elif in_projection and (kind == "word" and text.upper() in ("WHERE", "FROM")):
            in_projection = False
        elif in_projection and text == "{":
            in_projection = False
        elif in_projection and text in "()":
            depth += 1 if text == "(" else -1
        if kind == "var" and text[1:] in iris:
            if in_projection and depth == 0:
                text = f"({iris[text[1:]]} AS {text})"
            else:
                text = iris[text[1:]]
        out.append(text)
    out.append(query[pos:])
    return "".join(out)


def names_its_dataset(query: str) -> bool:
    """True if the query has a FROM / FROM NAMED clause (then the protocol must not override)."""
    return any(kind == "word" and text.upper() == "FROM" for kind, text in tokens(query))


def reads_named_graphs(query: str) -> bool:
    """True if the query can see the dataset's named graphs: it has a ``GRAPH`` pattern, or it
    is a DESCRIBE (whose answer each store defines for itself)."""
    words = {text.upper() for kind, text in tokens(query) if kind == "word"}
    return bool(words & {"GRAPH", "DESCRIBE"})


def _term(value: dict[str, Any]) -> dict[str, Any]:
    """One term of a store's JSON results in the shape `publish.query.store` writes (same keys, same
    order), so both backends give the same bytes. Virtuoso speaks an old dialect besides:
    ``typed-literal`` and ``nodeID://`` blank nodes."""
    kind = value.get("type")
    if kind in ("literal", "typed-literal"):
        out: dict[str, Any] = {"type": "literal", "value": value["value"]}
        if value.get("xml:lang"):
            out["xml:lang"] = value["xml:lang"]
        elif value.get("datatype") and value["datatype"] != _XSD_STRING:
            out["datatype"] = value["datatype"]
        return out
    if kind == "bnode":
        label = str(value["value"]).removeprefix("nodeID://").removeprefix("_:")
        return {"type": "bnode", "value": label}
    return {"type": kind, "value": value.get("value")}


def _rows(bindings: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in bindings:
        yield {name: _term(term) for name, term in row.items()}


def failure(response: httpx.Response, url: str) -> StoreError:
    """The store's error as ours: its first lines, never our request or credentials."""
    text = response.text.strip().split("\n\nSPARQL query:", 1)[0]  # not Virtuoso's rewrite
    short = "\n".join(text.splitlines()[:6])[:800]
    if "exceeds the limit" in text or ("timeout" in text.lower() and response.status_code >= 500):
        return QueryTimeout(f"the remote store refused to run the query that long: {short}")
    if "SR325" in text:  # Virtuoso: the transaction's log grew past TransactionAfterImageLimit
        return StoreError("the store refused a transaction this large (Virtuoso SR325); raise "
                          "TransactionAfterImageLimit in virtuoso.ini")
    if response.status_code == 400:
        return QuerySyntax(short or "the remote store rejected the query")
    status = response.status_code
    return StoreError(f"the remote store {public_url(url)} answered {status}: {short}")


@dataclass
class RemoteSparqlStore:
    """Queries a SPARQL 1.1 endpoint; ``stats`` were read from it when it was connected."""

    endpoint: str
    stats: StoreStats
    timeout: float = 10.0
    allowlist: tuple[str, ...] = ()
    #: the store's copy of the union of our graphs, used as the default graph when present
    union: str | None = None
    #: how the server writes descriptions for this store (`dialect_of` its answers)
    dialect: str = "sparql"
    #: queries run in another process: threads suffice, forking would only copy memory
    forked: ClassVar[bool] = False
    _client: httpx.Client | None = field(default=None, repr=False)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout + GRACE, connect=5.0),
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            )
        return self._client

    def prepare_worker(self) -> None:
        """A forked copy must not share the parent's sockets: open its own client."""
        self._client = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def execute(self, request: QueryRequest) -> QueryResult:
        screened = screen(request.query, self.allowlist)
        if screened.form is None:
            # The store parses more than SPARQL 1.1: Virtuoso's DEFINE pragmas before the query
            # (get:soft, input:grab-…) would have it fetch other data from the web, which a
            # read-only endpoint refuses like SERVICE to the outside.
            raise QueryRefused(
                "Only SPARQL 1.1 queries are accepted: after its PREFIX and BASE declarations a "
                "query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (store-specific pragmas "
                "such as DEFINE are not passed on)."
            )
        query = substitute(request.query, dict(request.substitutions))
        graph_answer = screened.form in ("CONSTRUCT", "DESCRIBE")
        if graph_answer and request.graph_format is None:
            raise NotAcceptableKind("graph")
        if screened.form in ("SELECT", "ASK") and request.results_format is None:
            raise NotAcceptableKind("boolean" if screened.form == "ASK" else "results")
        params: list[tuple[str, str]] = [
            ("query", query),
            ("timeout", str(max(int(self.timeout * 1000), 1))),
        ]
        if not names_its_dataset(query):
            default = request.default_graphs or (
                (self.union,) if self.union else self.stats.graphs)
            params += [("default-graph-uri", g) for g in default]
            # Named graphs only matter to a query that can see them; leaving them out when
            # it cannot made Virtuoso answer a page description ~20 % faster (measured).
            if reads_named_graphs(query) and not request.named_graphs_unrestricted:
                named = request.named_graphs or self.stats.graphs
                params += [("named-graph-uri", g) for g in named]
        accept = GRAPH_ACCEPT if graph_answer else RESULTS_ACCEPT
        body = self._post(params, accept)
        if graph_answer:
            try:
                quads = ox.parse(body, ox.RdfFormat.N_TRIPLES)  # N-Triples parse as quads
                return triples_result((q.triple for q in quads), request)
            except SyntaxError as exc:
                raise StoreError(f"the remote store sent unreadable N-Triples: {exc}") from None
        try:
            data = json.loads(body)
        except ValueError:
            raise StoreError("the remote store sent unreadable JSON results") from None
        if "boolean" in data:
            return boolean_result(bool(data["boolean"]), request)
        names = list(data.get("head", {}).get("vars", []))
        return solutions_result(names, _rows(data["results"]["bindings"]), request)

    def _post(self, params: list[tuple[str, str]], accept: str) -> bytes:
        try:
            response = self._http().post(self.endpoint, data=dict_list(params),
                                         headers={"Accept": accept})
        except httpx.TimeoutException:
            raise QueryTimeout(
                f"the remote store did not answer within {self.timeout:g} s "
                "(setting query_timeout)"
            ) from None
        except httpx.TransportError as exc:
            raise StoreError(
                f"the remote store {public_url(self.endpoint)} is unreachable "
                f"({type(exc).__name__})"
            ) from None
        if response.headers.get("x-sql-state") == "S1TAT":
            raise QueryTimeout(
                f"the query ran longer than {self.timeout:g} s and was stopped by the remote "
                "store (setting query_timeout)"
            )
        if response.status_code != 200:
            raise failure(response, self.endpoint)
        return response.content


def dict_list(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    """httpx wants repeated form fields as one key with a list of values."""
    out: dict[str, list[str]] = {}
    for key, value in params:
        out.setdefault(key, []).append(value)
    return out


# ---- connecting: read what the store holds ------------------------------------------------


def select(client: httpx.Client, url: str, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT as plain strings; any failure, including an answer that is not
    SPARQL JSON (a login page, a proxy's error), is a `StoreError`, never a bare exception."""
    return select_answer(client, url, query)[0]


def select_answer(client: httpx.Client, url: str, query: str
                  ) -> tuple[list[dict[str, str]], httpx.Response]:
    """`select`, and the response it came in (whose headers say which store answered)."""
    try:
        response = client.post(url, data={"query": query}, headers={"Accept": RESULTS_ACCEPT})
    except httpx.TransportError as exc:
        raise StoreError(
            f"the remote store {public_url(url)} is unreachable ({type(exc).__name__})"
        ) from None
    if response.status_code != 200:
        raise failure(response, url)
    try:
        rows = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows], response
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(
            f"the remote store {public_url(url)} sent no SPARQL JSON results"
        ) from None


def dialect_of(response: httpx.Response) -> str:
    """``"virtuoso"`` when the answer comes from Virtuoso (its ``Server`` header says so, e.g.
    ``Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu``), else plain ``"sparql"``."""
    return "virtuoso" if "virtuoso" in response.headers.get("server", "").lower() else "sparql"


def version_query() -> str:
    return (f"SELECT ?v WHERE {{ GRAPH {sparql_iri(LOAD_GRAPH)} "
            f"{{ {sparql_iri(LOAD_GRAPH)} {sparql_iri(HAS_VERSION)} ?v }} }}")


def graph_counts(client: httpx.Client, url: str, graphs: tuple[str, ...] | None,
            prefix: str) -> dict[str, int]:
    """Triples per graph: of ``graphs``, or of every graph whose name starts with ``prefix``.

    With a prefix the graphs' names are listed first and then counted by name: a count
    filtered on the name read every quad of the store (3.4 s at 2M quads in Virtuoso 7.2,
    against 0.05 s for the names and 0.4 s for the counts); `connect` and `vestlod load` ask
    this several times.
    """
    if graphs is None:
        names = select(client, url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        graphs = tuple(sorted(row["g"] for row in names if row["g"].startswith(prefix)))
    if not graphs:
        return {}
    values = " ".join(sparql_iri(g) for g in graphs)
    query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
             "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in select(client, url, query)}


def union_graph(version: str) -> str:
    """The graph that holds the union of our graphs for one loaded version."""
    return UNION + version


def remote_version(settings: Settings) -> str | None:
    """The version `vestlod load` recorded in the remote store (cheap: the watcher polls it)."""
    with httpx.Client(timeout=httpx.Timeout(10.0)) as client:
        rows = select(client, settings.store_url, version_query())
    return rows[0]["v"] if rows else None


def connect(settings: Settings) -> RemoteSparqlStore:
    """A store for ``settings.store_url``, with the counts and version it holds right now.

    Fails here (at startup), not on the first request, when the store is unreachable or holds
    none of our graphs.
    """
    url = settings.store_url
    if not url:
        raise StoreError("no remote store configured (setting store_url / --store)")
    with httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0)) as client:
        counts = graph_counts(client, url, None, settings.base_iri + "graph/")
        rows, answer = select_answer(client, url, version_query())
        union = union_graph(rows[0]["v"]) if rows else None
        if union is not None:
            probe = f"SELECT ?s WHERE {{ GRAPH {sparql_iri(union)} {{ ?s ?p ?o }} }} LIMIT 1"
            if not select(client, url, probe):
                union = None  # loaded by a vestlod without it: serve over our graphs
    if not counts:
        raise StoreError(
            f"the remote store {public_url(url)} holds no graph under {settings.base_iri}graph/; "
            "run `vestlod load --store URL` first"
        )
    version = rows[0]["v"] if rows else "unrecorded"
    stats = StoreStats(version=version, quads=sum(counts.values()), graphs=tuple(sorted(counts)),
                       path=public_url(url))
    return RemoteSparqlStore(url, stats, settings.query_timeout, settings.service_allowlist,
                             union=union, dialect=dialect_of(answer))
