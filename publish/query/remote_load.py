"""`vestlod load`: replace our named graphs in a remote SPARQL 1.1 store by a built folder.

Why it is shaped this way: readers of the store must see the old dataset or the new one, never a
mix, and a failed load must leave what was served untouched.

* **Staging, then one switch.** Each graph is PUT through the Graph Store Protocol into a
  staging graph named after the version, the staging counts are checked against the dump, then
  one SPARQL Update request MOVEs every staging graph onto its public name and records the
  version (one request is one transaction in Virtuoso, so readers see the old or the new
  dataset); the public counts are checked again afterwards.
* **The union graph** of the version (see `publish.query.remote`) is written before the switch
  under its own name; the union of the version served until now is kept for a server that has
  not reloaded yet, older ones are dropped.
* **A failure cleans up what it wrote.** The staging graphs (and a union graph nobody serves)
  are dropped with one SPARQL Update; when the update endpoint refuses that too (a 401 for the
  switch is also a 401 for the drop), they are deleted through the Graph Store endpoint that
  accepted them. Only the load's own error is reported.
* **Chunks.** One PUT of a 500 000-triple graph stalled Virtuoso 7.2, so graphs travel in
  requests of `CHUNK` triples that never split a blank-node group.

* **A bulk path** (``store_bulk_dir`` + ``store_isql``, Virtuoso only): the staging graphs are
  written as N-Triples files into a folder the store can read and loaded by Virtuoso's own
  bulk loader (``ld_dir`` + ``rdf_loader_run`` × `LOADERS` side by side + ``checkpoint``,
  through ``isql``): at 1M triples the Graph Store path spends most of its time in Virtuoso
  parsing one request at a time. Everything after the upload (counts, the one switch, the
  cleanup) is the same. The folder must have the same path on both machines (usually: the
  same machine) and be in Virtuoso's ``DirsAllowed``. What bounds it at 1M triples (2 cores,
  measured step by step): reading the dump and building the union here ~7 s, the bulk
  loader ~11 s (staging and union: 2M quads), the switch ~13 s into an empty store and ~30 s
  over a loaded version (Virtuoso's MOVE copies and deletes every quad in one transaction;
  it has no rename), the counts ~1.5 s.

Credentials come only from the environment (`publish.config`) and are sent as HTTP digest auth.
``isql`` takes its password on the command line, so on the bulk path it is visible in the
process list of the loading machine for as long as the loader runs; that is why the bulk path
is an option and not the default.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from publish.config import Settings
from publish.errors import StoreError
from publish.query.remote import (
    HAS_VERSION,
    LOAD_GRAPH,
    RESULTS_ACCEPT,
    UNION,
    failure,
    graph_counts,
    public_url,
    select,
    sparql_iri,
    union_graph,
    version_query,
)
from publish.query.store import read_dist

NTRIPLES = "application/n-triples"
STAGING = "urn:vestlod:staging:"
#: loading a large graph over HTTP is slow; this bounds each request, not the whole load
LOAD_TIMEOUT = 1800.0
#: triples per Graph Store request: one PUT of a 500 000-triple graph stalled Virtuoso 7.2
#: (idle, "locks are held for a long time"); 50 000 per request loads steadily
CHUNK = 50_000
#: bulk loaders run side by side (Virtuoso's advice is about one per 2.5 cores; at 1M triples
#: two took the load of staging and union from 12.5 s to 10.9 s on 2 cores, measured)
LOADERS = 2


@dataclass(frozen=True)
class LoadReport:
    version: str
    counts: Mapping[str, int]
    seconds: float

    @property
    def quads(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        graphs = ", ".join(f"{g.rsplit('/', 1)[-1]} {n}" for g, n in sorted(self.counts.items()))
        return (f"loaded {self.quads} triples ({graphs}) as version {self.version[:12]} "
                f"in {self.seconds:.1f} s; counts verified")


def _auth(settings: Settings) -> httpx.Auth | None:
    if not settings.store_user:
        return None
    return httpx.DigestAuth(settings.store_user, settings.store_password)


def _update(client: httpx.Client, url: str, operations: list[str]) -> None:
    try:
        response = client.post(url, data={"update": " ;\n".join(operations)},
                               headers={"Accept": RESULTS_ACCEPT})
    except httpx.TransportError as exc:
        raise StoreError(
            f"the update endpoint {public_url(url)} is unreachable ({type(exc).__name__})"
        ) from None
    if response.status_code not in (200, 204):
        raise failure(response, url)


def _send_graph(client: httpx.Client, url: str, graph: str, body: bytes, replace: bool) -> None:
    """PUT (replace) or POST (add to) one graph through the Graph Store Protocol."""
    try:
        response = client.request("PUT" if replace else "POST", url, params={"graph": graph},
                                  content=body, headers={"Content-Type": NTRIPLES})
    except httpx.TransportError as exc:
        raise StoreError(
            f"the graph store {public_url(url)} is unreachable ({type(exc).__name__})"
        ) from None
    if response.status_code not in (200, 201, 204):
        raise failure(response, url)


def chunks(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """``triples`` in groups of about ``size``, never splitting triples that share a blank node.

    Each Graph Store request is parsed on its own, so ``_:b1`` in two requests would become two
    nodes; triples connected through blank nodes therefore travel in the same request.
    """
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    def blanks(t: ox.Triple) -> list[str]:
        return [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]

    for t in triples:
        labels = blanks(t)
        for other in labels[1:]:
            parent[root(other)] = root(labels[0])
    groups: dict[str, list[ox.Triple]] = {}
    batch: list[ox.Triple] = []
    for t in triples:
        labels = blanks(t)
        if labels:
            groups.setdefault(root(labels[0]), []).append(t)
        else:
            batch.append(t)
            if len(batch) >= size:
                yield batch
                batch = []
    for group in groups.values():
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_remote(settings: Settings, log: Callable[[str], None] = lambda _m: None) -> LoadReport:
    """Replace our named graphs in the remote store by ``dist/`` (see the module docstring)."""
    started = time.monotonic()
    if not settings.store_url:
        raise StoreError("no remote store configured (setting store_url / --store)")
    if not settings.store_graph_store_url and not settings.store_bulk_dir:
        raise StoreError("loading needs the store's Graph Store Protocol endpoint "
                         "(setting store_graph_store_url)")
    data, version = read_dist(settings.dist_dir)
    local = ox.Store()
    try:
        local.bulk_load(data, ox.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise StoreError(f"{settings.dist_dir}: {exc}") from None
    if any(True for _ in local.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise StoreError("the dump has triples outside a named graph; only named graphs load")
    graphs = tuple(sorted(g.value for g in local.named_graphs() if isinstance(g, ox.NamedNode)))
    expected = {
        g: sum(1 for _ in local.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        for g in graphs
    }
    # the default graph: the set of triples of all graphs (a triple in two graphs counts once);
    # sorted only for the Graph Store path, whose chunks should not depend on hashing (the bulk
    # loader reads one file in any order; sorting 1M triples costs ~2 s)
    distinct = {q.triple for q in local.quads_for_pattern(None, None, None, None)}
    union = list(distinct) if settings.store_bulk_dir else sorted(distinct, key=str)
    expected_union = len(union)
    staging = {g: f"{STAGING}{version}:{g.rsplit('/', 1)[-1]}" for g in graphs}
    new_union = union_graph(version)
    query_url, update_url = settings.store_url, settings.update_endpoint
    graph_store_url = settings.store_graph_store_url
    with httpx.Client(auth=_auth(settings),
                      timeout=httpx.Timeout(LOAD_TIMEOUT, connect=10.0)) as client:
        # Asked first: an unreachable or refusing store fails here, before anything is
        # written, and the cleanup below knows whether this version's union is in use.
        served = select(client, query_url, version_query())
        served_version = served[0]["v"] if served else None
        bulk = BulkLoad(settings, version) if settings.store_bulk_dir else None
        try:
            def upload(graph: str, triples: list[ox.Triple]) -> None:
                if bulk is not None:
                    bulk.add(graph, triples)
                    return
                for n, part in enumerate(chunks(triples, CHUNK)):
                    body = ox.serialize(part, format=ox.RdfFormat.N_TRIPLES) or b""
                    _send_graph(client, graph_store_url, graph, body, replace=n == 0)

            for g in graphs:
                log(f"{g}: {expected[g]} triples → staging")
                if bulk is not None:
                    bulk.dump(local, g, staging[g])
                else:
                    quads = local.quads_for_pattern(None, None, None, ox.NamedNode(g))
                    upload(staging[g], [q.triple for q in quads])
            have = graph_counts(client, query_url, (new_union,), "").get(new_union, 0)
            if served_version == version and have == expected_union:
                log(f"union of the graphs: {expected_union} triples already there (in use)")
            else:  # never the union in use: its version differs from the one being loaded
                log(f"union of the graphs: {expected_union} triples → {new_union}")
                upload(new_union, union)
            if bulk is not None:
                log(f"bulk loader: {len(bulk.files)} files from {bulk.folder}")
                bulk.run(client, update_url)
            got = graph_counts(client, query_url, (*staging.values(), new_union), "")
            for g in graphs:
                if got.get(staging[g], 0) != expected[g]:
                    raise StoreError(
                        f"{g}: the store holds {got.get(staging[g], 0)} triples after the "
                        f"upload, the dump has {expected[g]}; nothing was switched"
                    )
            if got.get(new_union, 0) != expected_union:
                raise StoreError(
                    f"the union graph holds {got.get(new_union, 0)} triples after the "
                    f"upload, the dump has {expected_union}; nothing was switched")
            old = graph_counts(client, query_url, None, settings.base_iri + "graph/")
            switch = [f"MOVE SILENT GRAPH {sparql_iri(staging[g])} TO GRAPH {sparql_iri(g)}"
                      for g in graphs]
            switch += [f"DROP SILENT GRAPH {sparql_iri(g)}" for g in old if g not in expected]
            switch += [
                f"DROP SILENT GRAPH {sparql_iri(LOAD_GRAPH)}",
                f"INSERT DATA {{ GRAPH {sparql_iri(LOAD_GRAPH)} {{ {sparql_iri(LOAD_GRAPH)} "
                f"{sparql_iri(HAS_VERSION)} {ox.Literal(version)} }} }}",
            ]
            log("switching the graphs in one update request")
            _update(client, update_url, switch)
        except BaseException:
            if bulk is not None:
                shutil.rmtree(bulk.folder, ignore_errors=True)
            spare = [new_union] if served_version != version else []
            _drop_quietly(client, update_url, graph_store_url, [*staging.values(), *spare])
            raise
        # Keep the union of the version served until now (a server may not have reloaded
        # yet); drop any older one.
        keep = {new_union, *([union_graph(served_version)] if served_version else [])}
        stale = [g for g in graph_counts(client, query_url, None, UNION) if g not in keep]
        if stale:
            _drop_quietly(client, update_url, graph_store_url, stale)
        now = graph_counts(client, query_url, None, settings.base_iri + "graph/")
        now_union = graph_counts(client, query_url, (new_union,), "")
        recorded = select(client, query_url, version_query())
    if now != expected:
        raise StoreError(f"after the switch the store holds {now}, the dump has {expected}")
    if now_union.get(new_union, 0) != expected_union:
        raise StoreError(f"after the switch the union graph holds "
                         f"{now_union.get(new_union, 0)} triples, the dump has "
                         f"{expected_union}")
    if not recorded or recorded[0]["v"] != version:
        raise StoreError("the store did not record the loaded version")
    return LoadReport(version, expected, time.monotonic() - started)


class BulkLoad:
    """Staging graphs as N-Triples files, loaded by Virtuoso's bulk loader through ``isql``."""

    def __init__(self, settings: Settings, version: str) -> None:
        if not settings.store_isql:
            raise StoreError("the bulk path needs the store's SQL port (setting store_isql, "
                             "host:port)")
        # not a plain "isql": on most systems that is unixODBC's, which takes other arguments
        self.isql = shutil.which(ISQL_COMMAND)
        if self.isql is None:
            raise StoreError(f"the bulk path needs Virtuoso's {ISQL_COMMAND} on this machine")
        self.settings = settings
        base = Path(settings.store_bulk_dir).absolute()
        # a name never used before: the loader skips a file name it has registered already
        self.folder = base / f"vestlod-{version[:16]}-{os.getpid()}-{time.time_ns()}"
        self.files: list[tuple[Path, str]] = []

    def add(self, graph: str, triples: list[ox.Triple]) -> None:
        """Write ``triples`` for ``graph``: one file, so its blank nodes stay one set."""
        path = self._next_file()
        ox.serialize(triples, output=str(path), format=ox.RdfFormat.N_TRIPLES)
        self.files.append((path, graph))

    def dump(self, local: ox.Store, source: str, graph: str) -> None:
        """Write the triples of ``local``'s graph ``source`` for ``graph`` (pyoxigraph writes
        them itself: ~3× faster than through Python objects at 1M triples)."""
        path = self._next_file()
        local.dump(output=str(path), format=ox.RdfFormat.N_TRIPLES,
                   from_graph=ox.NamedNode(source))
        self.files.append((path, graph))

    def _next_file(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"g{len(self.files):03d}.nt"

    def run(self, client: httpx.Client, update_url: str) -> None:
        """Register the files, run the loaders, checkpoint; raise with the loader's errors.
        The files are removed whatever happens (the counts are checked by the caller)."""
        try:
            # replace, as the Graph Store path's PUT does (a staging graph left by a crash)
            _update(client, update_url, [f"DROP SILENT GRAPH {sparql_iri(g)}"
                                         for _, g in self.files])
            folder = _sql_string(str(self.folder))
            sql = "".join(f"ld_dir({folder}, {_sql_string(p.name)}, {_sql_string(g)});\n"
                          for p, g in self.files)
            self._isql(sql)
            with ThreadPoolExecutor(LOADERS) as pool:
                list(pool.map(lambda _n: self._isql("rdf_loader_run();\n"), range(LOADERS)))
            self._isql("checkpoint;\n")
            ours = f"ll_file like {_sql_string(str(self.folder) + '/%')}"
            errors = self._isql("select ll_file, ll_error from DB.DBA.LOAD_LIST where "
                                f"{ours} and ll_error is not null;\n")
            if errors.strip():
                raise StoreError(f"Virtuoso's bulk loader reported: {errors.strip()[:2000]}")
            self._isql(f"delete from DB.DBA.LOAD_LIST where {ours};\n")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _isql(self, sql: str) -> str:
        settings = self.settings
        assert self.isql is not None
        try:
            done = subprocess.run(
                [self.isql, settings.store_isql, settings.store_user or "dba",
                 settings.store_password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
                 "ECHO=OFF", "ERRORS=stdout"],
                input=sql.encode("utf-8"), capture_output=True, timeout=LOAD_TIMEOUT,
                check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(f"isql failed ({type(exc).__name__})") from None
        text = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0 or "*** Error" in text:
            # never the command line: it holds the password
            raise StoreError(f"isql at {settings.store_isql} failed: {text.strip()[-1000:]}")
        return text


#: Virtuoso's SQL client as Debian names it (``isql`` elsewhere)
ISQL_COMMAND = "isql-vt"


def _sql_string(text: str) -> str:
    """A SQL string literal (quotes doubled); file names and IRIs here never hold one."""
    return "'" + text.replace("'", "''") + "'"


def _drop_quietly(client: httpx.Client, update_url: str, graph_store_url: str,
                  graphs: list[str]) -> None:
    """Drop ``graphs`` in one update; if the update endpoint refuses, DELETE each one through
    the Graph Store endpoint (the one that accepted them). Errors are swallowed: the load has
    already failed, and its own error is the one to report."""
    if not graphs:
        return
    try:
        _update(client, update_url, [f"DROP SILENT GRAPH {sparql_iri(g)}" for g in graphs])
        return
    except StoreError:
        pass
    for g in graphs:
        try:
            client.delete(graph_store_url, params={"graph": g})
        except httpx.HTTPError:
            return  # the store is gone: nothing more can be cleaned up from here
