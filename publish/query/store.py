"""The SPARQL store: the published dataset in pyoxigraph, behind one small interface.

``load_store(dist_dir)`` reads ``dist/vestlod.trig`` into a *new* store (nothing that is serving
is touched), checks it against the version in ``SHA256SUMS`` and returns it; the caller swaps it
in. In memory by default (measured 2–3× faster than the same engine on disk); with
``store_path`` the store lives on disk in ``{store_path}/{version}``, written aside and renamed
when complete, so a crash mid-load never leaves a half store that looks whole.

Every query goes through `Store.execute`, which runs the query, applies the result cap and
serialises into the negotiated format, returning one `QueryResult` type whatever the backend.
The server runs ``execute`` inside forked worker processes (`publish.query.workers`), so this module
stays synchronous and knows nothing about HTTP.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, TypeVar

import pyoxigraph as ox

from publish.errors import NotAcceptableKind, QuerySyntax, StoreError
from publish.formats import Format, by_key
from publish.layout import SUMS, TRIG, read_sums
from publish.vocab import RDF, XSD, prefixes

log = logging.getLogger("vestlod.store")

GRAPHS = ("vocabulary", "data", "provenance", "metadata")

#: the prefixes written into Turtle answers and offered to the query UI, in this order (a
#: selection from `publish.vocab.PREFIXES`; changing it changes every Turtle answer's bytes)
COMMON_PREFIX_NAMES = (
    "rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "dcat", "prov", "oa", "org", "qb", "schema",
    "void", "sd", "rov", "adms",
)
#: ours, filled per base IRI: ``vl:`` ontology, ``vlid:`` things, ``vlg:`` graphs
OWN_PREFIX_NAMES = ("vl", "vlid", "vlg")


@functools.lru_cache(maxsize=8)
def prefix_items(base_iri: str) -> tuple[tuple[str, str], ...]:
    """`prefixes_for` as a tuple, built once per base (the endpoint sends it with each query)."""
    return tuple(prefixes_for(base_iri).items())


def prefixes_for(base_iri: str) -> dict[str, str]:
    """The common prefixes plus ours for ``base_iri``, all from `publish.vocab`."""
    return prefixes((*COMMON_PREFIX_NAMES, *OWN_PREFIX_NAMES), base_iri)


@dataclass(frozen=True)
class QueryRequest:
    """Everything a query needs, picklable so it can cross into a worker process.

    ``results_format`` and ``graph_format`` are format keys chosen by negotiation *before* the
    query runs, one per possible answer kind; ``None`` means the client accepts none of ours
    for that kind (the caller answers 406 if the query turns out to be of that kind).
    ``default_graphs``/``named_graphs`` are the protocol's ``default-graph-uri`` and
    ``named-graph-uri``; empty means "the default dataset" (default graph = union of all named
    graphs). ``substitutions`` binds variables to IRIs safely (never by string formatting).
    ``named_graphs_unrestricted`` lets the query's GRAPH patterns see every graph of a shared
    store, not only ours: set only by the server's own queries whose GRAPH pattern proposes
    candidates that a pattern over the default graph then checks, so nothing of another graph
    can reach the answer (`publish.server.describe.DIALECTS`); the embedded store holds only our
    graphs and ignores it.
    """

    query: str
    results_format: str | None = "srj"
    graph_format: str | None = "turtle"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    cap: int = 10000
    substitutions: tuple[tuple[str, str], ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()
    named_graphs_unrestricted: bool = False


@dataclass(frozen=True)
class QueryResult:
    """One answer, already serialised. ``count`` rows or triples; ``truncated`` if the cap hit."""

    kind: Literal["results", "boolean", "graph"]
    format: str
    body: bytes
    count: int
    truncated: bool = False

    @property
    def media(self) -> Format:
        return by_key(self.format)


@dataclass(frozen=True)
class StoreStats:
    version: str
    quads: int
    graphs: tuple[str, ...]
    path: str = ""


class Store(Protocol):
    """What the server and CLI need from a store.

    Backends: `OxigraphStore` (embedded, the default) and `publish.query.remote.RemoteSparqlStore`.
    A backend may set a class attribute ``forked = False`` when its queries run elsewhere, so
    the server uses threads instead of forked workers for it (absent means True).
    """

    stats: StoreStats

    @property
    def dialect(self) -> str:
        """The key of `publish.server.describe.DIALECTS` its descriptions are written in."""
        ...

    def execute(self, request: QueryRequest) -> QueryResult:
        """Run one read-only query; raise `QuerySyntax` or `StoreError`, never a bare exception."""
        ...

    def prepare_worker(self) -> None:
        """Called in a freshly forked worker before its first query (reopen files, etc.)."""
        ...


def dist_version(dist_dir: Path) -> str | None:
    """The dataset version (sha256 of vestlod.trig) as announced in ``SHA256SUMS``, if any.

    Cheap (one small file), so the server can poll it to notice a new build.
    """
    return read_sums(dist_dir).get(TRIG)


@dataclass
class OxigraphStore:
    """A loaded pyoxigraph store. In memory unless ``path`` names an on-disk copy."""

    stats: StoreStats
    _store: ox.Store | None = field(default=None, repr=False)
    #: queries run in this process on a shared engine without cancellation → forked workers
    forked: ClassVar[bool] = True
    #: pyoxigraph plans the plain SPARQL of a description well
    dialect: ClassVar[str] = "sparql"

    def _open(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store.read_only(self.stats.path)
        return self._store

    def prepare_worker(self) -> None:
        """On disk, each worker opens its own read-only handle after the fork (RocksDB state
        must not be shared across a fork); in memory the inherited pages are used as they are."""
        if self.stats.path:
            self._store = None
            self._open()

    def close(self) -> None:
        self._store = None

    def execute(self, request: QueryRequest) -> QueryResult:
        store = self._open()
        kwargs: dict[str, Any] = {}
        if request.default_graphs or request.named_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs] or None
        else:
            kwargs["use_default_graph_as_union"] = True
        if request.substitutions:
            kwargs["substitutions"] = {
                ox.Variable(name): ox.NamedNode(iri) for name, iri in request.substitutions
            }
        try:
            answer = store.query(request.query, **kwargs)
            if isinstance(answer, ox.QueryBoolean):
                return _boolean(answer, request)
            if isinstance(answer, ox.QuerySolutions):
                return _solutions(answer, request)
            return triples_result(answer, request)
        except SyntaxError as exc:
            raise QuerySyntax(str(exc)) from None
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise StoreError(f"query evaluation failed: {exc}") from None


def _boolean(answer: ox.QueryBoolean, request: QueryRequest) -> QueryResult:
    if request.results_format is None:
        raise NotAcceptableKind("boolean")
    fmt = by_key(request.results_format)
    body = answer.serialize(format=_results_format(fmt))
    return QueryResult("boolean", fmt.key, body or b"", 1)


def _results_format(fmt: Format) -> ox.QueryResultsFormat:
    """The engine's results format for a negotiated key; the format table allows any kind of
    format in one column, so a graph format here is our bug, reported as such."""
    if not isinstance(fmt.oxigraph, ox.QueryResultsFormat):
        raise StoreError(f"{fmt.key} is not a query results format")
    return fmt.oxigraph


def _rdf_format(fmt: Format) -> ox.RdfFormat:
    """The engine's RDF format for a negotiated key (see `_results_format`)."""
    if not isinstance(fmt.oxigraph, ox.RdfFormat):
        raise StoreError(f"{fmt.key} is not an RDF format")
    return fmt.oxigraph


def _solutions(answer: ox.QuerySolutions, request: QueryRequest) -> QueryResult:
    """Serialise at most ``cap`` rows. We build SPARQL JSON ourselves (the engine's serialiser
    cannot stop early) and let pyoxigraph convert it when another results format is asked."""
    if request.results_format is None:
        raise NotAcceptableKind("results")
    names = [v.value for v in answer.variables]
    rows = (
        {name: _term_json(term) for name, term in zip(names, solution, strict=True)
         if term is not None}
        for solution in answer
    )
    return solutions_result(names, rows, request)


T = TypeVar("T")


def _take(items: Iterable[T], cap: int) -> tuple[list[T], bool]:
    """At most ``cap`` items, and whether there were more (one extra is read to know)."""
    taken = list(islice(items, cap + 1))
    more = len(taken) > cap
    del taken[cap:]
    return taken, more


def solutions_result(
    names: list[str], rows: Iterable[dict[str, Any]], request: QueryRequest
) -> QueryResult:
    """Rows already in SPARQL JSON term shape → one `QueryResult`, cut at ``cap``.

    Shared by every backend, so a remote store's answer has the same bytes, count and
    truncation flag as the embedded store's for the same data.
    """
    if request.results_format is None:
        raise NotAcceptableKind("results")
    fmt = by_key(request.results_format)
    bindings, truncated = _take(rows, request.cap)
    body = json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    if fmt.key != "srj":
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=_results_format(fmt)) or b""
    return QueryResult("results", fmt.key, body, len(bindings), truncated)


def boolean_result(value: bool, request: QueryRequest) -> QueryResult:
    """An ASK answer in the negotiated format (shared by every backend)."""
    if request.results_format is None:
        raise NotAcceptableKind("boolean")
    body = json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    if not isinstance(parsed, ox.QueryBoolean):
        raise StoreError("a boolean answer did not parse as one")
    return _boolean(parsed, request)


_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = str(RDF.langString)


def _term_json(term: Any) -> dict[str, Any]:
    """One RDF term in SPARQL 1.1 JSON results shape (RDF-star triples included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise StoreError(f"unexpected term {term!r}")


def triples_result(answer: Iterable[ox.Triple], request: QueryRequest) -> QueryResult:
    """Triples → one `QueryResult` in the negotiated graph format, cut at ``cap`` (shared)."""
    if request.graph_format is None:
        raise NotAcceptableKind("graph")
    fmt = by_key(request.graph_format)
    triples, truncated = _take(answer, request.cap)
    prefixes = dict(request.prefixes) if fmt.key == "turtle" else None
    body = ox.serialize(triples, format=_rdf_format(fmt), prefixes=prefixes)
    return QueryResult("graph", fmt.key, body or b"", len(triples), truncated)


def read_dist(dist_dir: Path) -> tuple[bytes, str]:
    """The bytes of ``dist/vestlod.trig`` and their sha256, refused if ``SHA256SUMS`` disagrees.

    The bytes loaded are the bytes hashed, so the version always describes what is served even
    if a build renames a new dist/ into place meanwhile; a mismatch (a torn or hand-edited
    dist/) is refused rather than served under the wrong version. Every backend loads this way.
    """
    trig = dist_dir / TRIG
    try:
        data = trig.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read the dataset {trig}: {exc.strerror or exc}") from None
    version = hashlib.sha256(data).hexdigest()
    announced = dist_version(dist_dir)
    if announced is not None and announced != version:
        raise StoreError(f"{trig} does not match {dist_dir / SUMS}: refusing to serve it")
    return data, version


def load_store(dist_dir: Path, store_path: str = "") -> OxigraphStore:
    """Load ``dist/vestlod.trig`` aside into a new store and return it, ready to swap in."""
    data, version = read_dist(dist_dir)
    trig = dist_dir / TRIG
    if store_path:
        return _load_on_disk(data, version, Path(store_path))
    store = ox.Store()
    try:
        store.bulk_load(data, ox.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise StoreError(f"{trig}: {exc}") from None
    return OxigraphStore(_stats(store, version, ""), store)


def _load_on_disk(data: bytes, version: str, root: Path) -> OxigraphStore:
    """Open the on-disk store of `version`, building it aside from dist/ when it is missing
    or does not open whole (a crash, a full disk or a stray write can leave it corrupt).

    ``.complete`` records the quad count written; a store that fails to open or counts
    differently is rebuilt from the verified dump, with a log line saying so.
    """
    target = root / version
    marker = target / ".complete"
    if marker.exists():
        try:
            store = ox.Store.read_only(str(target))
            stats = _stats(store, version, str(target))
            expected = marker.read_text(encoding="utf-8").strip()
            if expected and int(expected) != stats.quads:
                raise StoreError(f"{stats.quads} quads, {expected} were written")
            return OxigraphStore(stats, None)
        except (OSError, RuntimeError, ValueError, StoreError) as exc:  # RocksDB: RuntimeError
            log.warning("on-disk store %s is corrupt (%s); rebuilding it from dist/", target, exc)
    else:
        log.info("no complete on-disk store for version %s in %s; building it from dist/",
                 version, root)
    aside = root / f".{version}.loading"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir(parents=True)
    store = ox.Store(str(aside))
    try:
        store.bulk_load(data, ox.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise StoreError(f"{TRIG}: {exc}") from None
    store.flush()
    count = len(store)
    del store
    (aside / ".complete").write_text(f"{count}\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    aside.rename(target)
    store = ox.Store.read_only(str(target))
    stats = _stats(store, version, str(target))
    return OxigraphStore(stats, None)


def prune_on_disk(root: Path, keep: str) -> None:
    """Remove on-disk stores of older versions once ``keep`` is being served."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def _stats(store: ox.Store, version: str, path: str) -> StoreStats:
    graphs = tuple(sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)))
    return StoreStats(version=version, quads=len(store), graphs=graphs, path=path)
