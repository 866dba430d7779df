"""The server's own reads of the store: descriptions and small SELECTs behind the pages.

Every call goes through the live dataset's worker pool (never on the event loop) and is cached
per dataset version in the shared result cache, which a swap clears. An answer computed on a
dataset that was swapped out meanwhile is returned but not kept.
"""

from __future__ import annotations

import logging

from publish.indexes import rows_of_results_json
from publish.query.store import QueryRequest
from publish.server.cache import Cached
from publish.server.describe import ONTOLOGY_QUERY, Description, describe_query
from publish.server.live import Live, Serving

log = logging.getLogger("vestlod.server")

#: a description is never cut: the largest (the annex) has ~8 000 triples
INTERNAL_CAP = 1_000_000


async def construct(serving: Serving, live: Live, key: str, query: str,
                    substitutions: tuple[tuple[str, str], ...],
                    named_graphs_unrestricted: bool = False) -> bytes:
    """N-Triples of a CONSTRUCT, cached by (version, key)."""
    cache_key = f"construct\x00{live.version}\x00{key}"
    cached = serving.cache.get(cache_key)
    if cached is None:
        result = await live.pool.run(QueryRequest(
            query=query, results_format=None, graph_format="ntriples", cap=INTERNAL_CAP,
            substitutions=substitutions, named_graphs_unrestricted=named_graphs_unrestricted))
        if result.truncated:
            log.warning("description of %s cut at %d triples", key, INTERNAL_CAP)
        cached = Cached(result.body, "application/n-triples", ())
        if serving.current is live:
            serving.cache.put(cache_key, cached)
    return cached.body


async def select(serving: Serving, live: Live, key: str, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as ``{var: value}``, cached by (version, key)."""
    cache_key = f"select\x00{live.version}\x00{key}"
    cached = serving.cache.get(cache_key)
    if cached is None:
        result = await live.pool.run(QueryRequest(
            query=query, results_format="srj", graph_format=None, cap=INTERNAL_CAP))
        cached = Cached(result.body, "application/sparql-results+json", ())
        if serving.current is live:
            serving.cache.put(cache_key, cached)
    return rows_of_results_json(cached.body)


async def describe(serving: Serving, live: Live, iri: str, kind: str) -> Description:
    """The description of ``iri`` (validated by the caller); empty if the store has none."""
    base = serving.settings.base_iri
    if kind == "ontology":
        body = await construct(serving, live, iri, ONTOLOGY_QUERY, (("this", iri),))
    else:
        dialect = live.store.dialect
        query = describe_query(kind, base + "def/vestlod#", dialect)
        # the dialects' GRAPH patterns only propose candidates (see `DIALECTS`)
        body = await construct(serving, live, iri, query, (("this", iri),),
                               named_graphs_unrestricted=dialect != "sparql")
    return Description.parse(iri, body)
