"""`create_app(settings, store)`: the ASGI app, built but never run here (only the CLI runs it).

Stack, outermost first: ServerErrorMiddleware (Starlette's, via FastAPI; a bare 500) →
RequestContext (request id, JSON access log, metrics; a body over the limit is a 413 here) →
EncodedETags → CompressMiddleware (zstd/br/gzip by Accept-Encoding; `compression`) →
SharedCachePolicy (a lifetime for what routes mark cacheable; `cachepolicy`) → SecurityHeaders
→ RequestLimits (URL, header and body sizes) → CORS (read-only, no credentials)
→ ExceptionMiddleware with our one error map (`answers`) → router. Routes: `sparql`, `deref`
(/id, /doc, /def, /), `void` (VoID, sitemap, robots), `files` (catalog, dumps), plus health,
metrics and the OpenAPI document here.

The lifespan forks the query workers for the given store (or loads dist/ when no store is
given; if that fails ``/readyz`` stays 503 until a build loads) and starts the watcher that
swaps in a new build. With ``pool="threads"`` (in-process tests) queries run in threads and
nothing forks.

FastAPI is the application class (lifespan, exception handlers, middleware) and serves the
typed JSON endpoints (`search`: parameters checked by FastAPI, their OpenAPI part generated
from the models and merged into the hand-written ``openapi.yaml`` of the negotiated routes,
which stay plain Starlette `Route`s; see docs/design-notes.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles
from starlette_compress import CompressMiddleware

from publish.config import Settings
from publish.errors import NotFound, VestlodError
from publish.query.store import Store
from publish.query.workers import PoolKind
from publish.server import browse, deref, files, search, sparql, void
from publish.server.answers import not_found, vestlod_error
from publish.server.cachepolicy import SharedCachePolicy
from publish.server.compression import MINIMUM_SIZE, EncodedETags
from publish.server.live import Serving
from publish.server.metrics import CONTENT_TYPE as METRICS_TYPE
from publish.server.metrics import Metrics
from publish.server.middleware import (
    RequestContext,
    RequestLimits,
    SecurityHeaders,
    access_logger,
)
from publish.server.pages import Pages
from publish.server.ui import UI_STATIC, make_ui_renderer

log = logging.getLogger("vestlod.server")

EXPOSED_HEADERS = [
    "ETag",
    "Vestlod-Result-Cap",
    "Vestlod-Result-Count",
    "Vestlod-Result-Truncated",
    "Vestlod-Dataset-Version",
    "Vestlod-Cache",
    "Content-Profile",
    "Link",
]


async def healthz(request: Request) -> Response:
    """Liveness: the process answers. Never touches the store."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Readiness: a dataset is loaded and its workers are forked."""
    serving: Serving = request.app.state.serving
    live = serving.current
    if live is None:
        return JSONResponse(
            {"status": "loading", "error": serving.last_error}, status_code=503
        )
    return JSONResponse(
        {
            "status": "ready",
            "version": live.version,
            "quads": live.store.stats.quads,
            "graphs": list(live.store.stats.graphs),
            "loaded_at": live.loaded_at.isoformat(),
            "workers": live.pool.size,
            "fast_workers": live.pool.fast,
            "queries_per_lane": live.pool.lanes,
            "timeouts": live.pool.timeouts,
            "swaps": serving.swaps,
            "cache": {
                "entries": len(serving.cache),
                "bytes": serving.cache.bytes,
                "hits": serving.cache.hits,
                "misses": serving.cache.misses,
            },
        }
    )


async def metrics(request: Request) -> Response:
    """Prometheus scrape target: this app's counters, histograms and live gauges."""
    return PlainTextResponse(request.app.state.metrics.render(), media_type=METRICS_TYPE)


OPENAPI = Path(__file__).with_name("openapi.yaml")
"""The public API as data; tests/server/test_openapi.py keeps it and the routes in step."""


@cache
def openapi_bytes() -> bytes:
    """The document as shipped, read once (it is part of the code, not of the data)."""
    return OPENAPI.read_bytes()


@cache
def openapi_document() -> dict[str, object]:
    """The hand-written document plus the paths and schemas FastAPI generates for the typed
    routes (`publish.server.search`), so those are described by their code, not by hand."""
    data: dict[str, Any] = yaml.safe_load(openapi_bytes())
    generated = search.openapi_paths()
    data["paths"] = {**data["paths"], **generated["paths"]}
    components = data.setdefault("components", {})
    components["schemas"] = {**components.get("schemas", {}), **generated["schemas"]}
    return data


async def openapi_yaml(request: Request) -> Response:
    return Response(yaml.safe_dump(openapi_document(), sort_keys=False, allow_unicode=True),
                    media_type="application/yaml")


async def openapi_json(request: Request) -> Response:
    return Response(json.dumps(openapi_document(), indent=1), media_type="application/json")


def create_app(
    settings: Settings, store: Store | None = None, *, pool: PoolKind = "auto"
) -> FastAPI:
    """Build the app for ``settings``; serve ``store`` if given, else load ``dist/`` at start.

    ``pool`` is how queries run: ``"auto"`` (what ``vestlod serve`` uses) forks workers for the
    embedded store; ``"threads"`` never forks, for tests that drive the app in-process (a
    query past the time limit is then answered 503 but not stopped: see `ThreadPool`).
    """
    serving = Serving(settings, pool=pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            await serving.swap(store)
        else:
            await serving.reload()
        serving.start_watching()
        try:
            yield
        finally:
            await serving.stop()

    app = FastAPI(
        title="vestlod",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # ours is data (openapi.yaml), served by the routes below
        # Our own /metrics and JSON request log are the telemetry; FastAPI's OpenTelemetry
        # hooks would otherwise ask three providers on every request (~3 % CPU, profiled).
        telemetry={"tracing": False, "metrics": False, "logs": False},
        exception_handlers={
            RequestValidationError: search.invalid_parameters,
            VestlodError: vestlod_error,
            NotFound: not_found,
            404: not_found,
        },
    )
    app.state.settings = settings
    app.state.serving = serving
    ui_assets = Path(settings.ui_assets_dir)
    app.state.render_ui = make_ui_renderer(settings, ui_assets)
    app.state.pages = Pages(settings.base_iri, settings.sparql_endpoint)
    network_assets = Path(settings.network_assets_dir)
    app.state.have_network_lib = (network_assets / "cytoscape.min.js").is_file()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Accept-Profile", "Content-Type", "If-None-Match"],
        expose_headers=EXPOSED_HEADERS,
        max_age=3600,
    )
    # Outermost first after FastAPI's ServerErrorMiddleware: id + log + metrics, security
    # headers, request limits, then CORS (add_middleware prepends, so added innermost first).
    app.add_middleware(
        RequestLimits,
        max_url_bytes=settings.max_url_bytes,
        max_header_bytes=settings.max_header_bytes,
        max_body_bytes=settings.max_body_bytes,
    )
    app.add_middleware(SecurityHeaders)
    app.state.metrics = Metrics()
    app.state.metrics.gauge(
        "vestlod_ready", "1 when a dataset is loaded and served.",
        lambda: 1.0 if serving.current is not None else 0.0,
    )
    app.state.metrics.gauge(
        "vestlod_cache_entries", "Entries in the result cache.", lambda: len(serving.cache)
    )
    app.add_middleware(SharedCachePolicy, max_age=settings.cache_max_age,
                       stale_while_revalidate=settings.cache_stale_while_revalidate)
    # Compression inside the log (which then records the bytes really sent), outside the rest.
    app.add_middleware(CompressMiddleware, minimum_size=MINIMUM_SIZE)
    app.add_middleware(EncodedETags)
    app.add_middleware(RequestContext, metrics=app.state.metrics, logger=access_logger())
    app.router.routes.extend(
        [
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/openapi.yaml", openapi_yaml, methods=["GET"]),
            Route("/openapi.json", openapi_json, methods=["GET"]),
            *sparql.routes,
            *deref.routes,
            *void.routes,
            *files.routes,
            *browse.routes,
            # FastAPI's typed routes, added as routes (not a nested router) so the route
            # table stays flat: tests/server/test_openapi.py reads it against the document
            *search.router.routes,
        ]
    )
    app.mount("/static/vestlod", StaticFiles(directory=UI_STATIC), name="static")
    if (ui_assets / "yasgui.min.js").is_file():
        app.mount("/static/yasgui", StaticFiles(directory=ui_assets), name="yasgui")
    if app.state.have_network_lib:
        app.mount("/static/lib/cytoscape", StaticFiles(directory=network_assets),
                  name="cytoscape")
    return app
