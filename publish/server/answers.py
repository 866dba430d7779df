"""The server's error answers: our error tree mapped to statuses, and the one negotiated 404.

Both are registered in `create_app` (``exception_handlers``), so every route raises an error
from `publish.errors` and none writes an error response itself.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from publish.errors import QueryTimeout, VestlodError
from publish.formats import by_suffix, negotiate
from publish.server.conditional import NO_STORE, cache_headers
from publish.server.negotiation import DOC_FORMATS, HTML, rdf_bytes, request_lang
from publish.server.pages import Pages

log = logging.getLogger("vestlod.server")


async def vestlod_error(request: Request, exc: Exception) -> Response:
    """Map our error tree to statuses in one place; messages are written for the client.

    Plain text, like Fuseki and Oxigraph, so every SPARQL client shows the parser's message.
    A 5xx from an unexpected place is logged; its text is still ours, never a traceback.
    """
    assert isinstance(exc, VestlodError)
    if isinstance(exc, QueryTimeout):
        request.app.state.metrics.query_timed_out()
    if exc.status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": "1"} if exc.status == 503 else None
    return PlainTextResponse(f"{exc}\n", status_code=exc.status, headers=headers)


async def not_found(request: Request, exc: Exception) -> Response:
    """The one 404 of the app: an HTML page for people, an empty graph for RDF clients.

    Registered in `create_app` for `NotFound` and for unmatched routes, so a typo anywhere
    gets the same negotiated answer, never a 500.
    """
    if isinstance(exc, HTTPException) and exc.status_code != 404:
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code)
    suffix = Path(request.url.path).suffix or None
    fmt = negotiate(request.headers.get("accept"), None, DOC_FORMATS)
    if suffix and (by_suffix(suffix) in DOC_FORMATS):
        fmt = by_suffix(suffix)
    headers = cache_headers(vary="Accept, Accept-Language", policy=NO_STORE)
    if fmt is not None and fmt.kind == "rdf":
        body = b"# not found\n" if fmt.key == "turtle" else rdf_bytes([], fmt)
        return Response(body, status_code=404, media_type=fmt.content_type, headers=headers)
    pages: Pages = request.app.state.pages
    html = pages.not_found(request_lang(request), request.url.path)
    return Response(html, status_code=404, media_type=HTML.content_type, headers=headers)
