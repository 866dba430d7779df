"""``/sparql``: the SPARQL 1.1 Protocol, read-only, with limits, caching and a service description.

One handler serves GET and POST (both ``/sparql`` and ``/sparql/``, so no redirect breaks a
proxy). It only collects the protocol parameters, negotiates, screens and hands a picklable
`QueryRequest` to the worker pool; all query work happens in worker processes, never on the
event loop. Every answer says how it relates to the result cap in ``Vestlod-Result-*`` headers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from publish.errors import (
    BadRequest,
    NotAcceptable,
    NotAcceptableKind,
    QueryRefused,
    UnsupportedMediaType,
)
from publish.formats import Format, by_key, by_name, negotiate, of_kind
from publish.query.screening import screen
from publish.query.store import QueryRequest, prefix_items
from publish.server.cache import Cached
from publish.server.conditional import cache_headers, not_modified
from publish.server.live import Live, Serving
from publish.server.middleware import BodyTooLarge, MalformedQuery, strict_pairs
from publish.server.service import service_description

KNOWN_PARAMS = frozenset(
    {"query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri",
     "using-named-graph-uri", "format", "output", "results"}
)
"""The protocol's parameters plus the format aliases SPARQLWrapper sends (format/output/results);
anything else is a 400 naming it, so a typo (``qurey=``) is not silently a service description."""

RESULT_FORMATS: tuple[Format, ...] = of_kind("results")
GRAPH_FORMATS: tuple[Format, ...] = tuple(
    f for f in of_kind("rdf") if f.key in ("turtle", "ntriples", "jsonld", "rdfxml")
)
SERVICE_FORMATS: tuple[Format, ...] = (*GRAPH_FORMATS[:1], by_key("html"), *GRAPH_FORMATS[1:])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolParams:
    """The SPARQL 1.1 Protocol parameters of one request, decoded exactly once."""

    query: str | None
    update: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise BadRequest(f"the parameter {name!r} may be given only once")
    return values[0] if values else None


def _graph_iris(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    """The values of ``name``, each an absolute IRI, or a 400 here (not a store error later)."""
    iris = tuple(v for k, v in pairs if k == name)
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise BadRequest(f"{name} {iri[:80]!r} is not an absolute IRI") from None
    return iris


def _params(pairs: list[tuple[str, str]], body_query: str | None = None) -> ProtocolParams:
    unknown = sorted({k for k, _ in pairs} - KNOWN_PARAMS)
    if unknown:
        raise BadRequest(
            f"unknown parameter {unknown[0][:80]!r}; this endpoint takes "
            + ", ".join(sorted(KNOWN_PARAMS))
        )
    query = _one(pairs, "query")
    if body_query is not None:
        if query is not None:
            raise BadRequest("send the query either in the body or as ?query=, not both")
        query = body_query
    return ProtocolParams(
        query=query,
        update=_one(pairs, "update"),
        default_graphs=_graph_iris(pairs, "default-graph-uri"),
        named_graphs=_graph_iris(pairs, "named-graph-uri"),
        format=_one(pairs, "format") or _one(pairs, "output"),
    )


async def protocol_params(request: Request, max_body_bytes: int) -> ProtocolParams:
    """Read the parameters from the query string, a form body or a raw query body.

    A body over ``max_body_bytes`` (the setting) is the same 413 `RequestLimits` gives; the
    middleware normally stops it first, this keeps the endpoint safe where it is not in front.
    """
    try:
        url_pairs = strict_pairs(request.scope.get("query_string", b""))
    except MalformedQuery as exc:
        raise BadRequest(str(exc)) from None
    if request.method != "POST":
        return _params(url_pairs)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    body = await request.body()
    if len(body) > max_body_bytes:
        raise BodyTooLarge(max_body_bytes)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not UTF-8") from None
    if media == FORM:
        try:
            form = strict_pairs(body, "the form body")
        except MalformedQuery as exc:
            raise BadRequest(str(exc)) from None
        return _params(url_pairs + form)
    if media == SPARQL_QUERY:
        return _params(url_pairs, body_query=text)
    if media == SPARQL_UPDATE:
        return ProtocolParams(None, text, (), (), None)
    raise UnsupportedMediaType(
        f"POST a body of type {FORM} (query=…) or {SPARQL_QUERY}, not {media or 'nothing'}"
    )


def _choose(
    offered: tuple[Format, ...], accept: str | None, fmt_param: str | None
) -> Format | None:
    if fmt_param:
        return by_name(fmt_param, offered)
    return negotiate(accept, None, offered)


def cache_key(live: Live, request: QueryRequest) -> str:
    material = json.dumps(
        [
            live.version,
            request.query,
            request.default_graphs,
            request.named_graphs,
            request.results_format,
            request.graph_format,
            request.cap,
        ]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _offered_list(formats: tuple[Format, ...]) -> str:
    return ", ".join(f"{f.media_type} (format={f.names[0]})" for f in formats)


async def sparql_endpoint(request: Request) -> Response:
    """GET/POST ``/sparql``: see the module docstring; errors are raised, mapped in app.py."""
    serving: Serving = request.app.state.serving
    settings = serving.settings
    params = await protocol_params(request, settings.max_body_bytes)
    if params.update is not None:
        raise QueryRefused(
            "SPARQL Update is not accepted: this endpoint is read-only. "
            "Download the data from /dumps to change it locally."
        )
    accept = request.headers.get("accept")
    if params.query is None:
        if request.method not in ("GET", "HEAD"):  # HEAD answers like GET (link checkers)
            raise BadRequest(
                f"no query: send query=… as a form field or a body of type {SPARQL_QUERY}"
            )
        return await service_or_ui(request, serving, accept)
    if not params.query.strip():
        raise BadRequest("the query is empty")

    results_fmt = _choose(RESULT_FORMATS, accept, params.format)
    graph_fmt = _choose(GRAPH_FORMATS, accept, params.format)
    if results_fmt is None and graph_fmt is None:
        raise NotAcceptable(
            "no format we offer matches the request; results: "
            f"{_offered_list(RESULT_FORMATS)}; graphs: {_offered_list(GRAPH_FORMATS)}"
        )
    screen(params.query, settings.service_allowlist)
    live = serving.live()
    query = QueryRequest(
        query=params.query,
        results_format=results_fmt.key if results_fmt else None,
        graph_format=graph_fmt.key if graph_fmt else None,
        default_graphs=params.default_graphs,
        named_graphs=params.named_graphs,
        cap=settings.result_cap,
        prefixes=prefix_items(settings.base_iri),
    )
    key = cache_key(live, query)
    # A POST is not cached by anyone, so only a GET carries a validator to send back.
    get = request.method in ("GET", "HEAD")
    common = cache_headers(etag=f'"{key[:40]}"' if get else None, vary="Accept")
    unchanged = not_modified(request.headers, common) if get else None
    if unchanged is not None:
        return unchanged

    cached = serving.cache.get(key)
    if cached is None:
        try:
            result = await live.pool.run(query)
        except NotAcceptableKind as exc:
            offered = RESULT_FORMATS if exc.kind in ("results", "boolean") else GRAPH_FORMATS
            raise NotAcceptable(
                f"this query returns a {exc.kind} answer; offered: {_offered_list(offered)}"
            ) from None
        cached = Cached(
            body=result.body,
            content_type=result.media.content_type,
            headers=(
                ("Vestlod-Result-Cap", str(settings.result_cap)),
                ("Vestlod-Result-Count", str(result.count)),
                ("Vestlod-Result-Truncated", "true" if result.truncated else "false"),
                ("Vestlod-Dataset-Version", live.version),
            ),
        )
        if serving.current is live:  # an answer from a swapped-out dataset is not kept
            serving.cache.put(key, cached)
        state = "miss"
    else:
        state = "hit"
    headers = {**common, **dict(cached.headers), "Vestlod-Cache": state}
    return Response(cached.body, headers=headers, media_type=cached.content_type)


async def service_or_ui(request: Request, serving: Serving, accept: str | None) -> Response:
    """``GET /sparql`` without a query: the query UI for people, a service description else."""
    chosen = negotiate(accept, None, SERVICE_FORMATS)
    if chosen is None:
        raise NotAcceptable(f"offered here: {_offered_list(SERVICE_FORMATS)}")
    headers = {"Vary": "Accept"}
    if chosen.kind == "page":
        render = request.app.state.render_ui
        return Response(render(request), media_type=chosen.content_type, headers=headers)
    live = serving.live()
    body = service_description(serving.settings, live.store.stats, chosen)
    return Response(body, media_type=chosen.content_type, headers=headers)


routes = [
    Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
    Route("/sparql/", sparql_endpoint, methods=["GET", "POST"]),
]
