"""The edge middleware and the metrics registry in-process: config checked when built, strict
form decoding, a crash that reveals nothing to the client but is logged with its request id."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from publish.server.app import create_app
from publish.server.metrics import Metrics, route_label
from publish.server.middleware import (
    MalformedQuery,
    RequestContext,
    RequestLimits,
    SecurityHeaders,
    strict_pairs,
)
from tests.conftest import project_settings


async def _ok(scope: object, receive: object, send: object) -> None:  # pragma: no cover
    pass


@pytest.mark.parametrize("bad", [0, 10, -1, 1.5, "4096"])
def test_limits_are_checked_when_the_middleware_is_built(bad: object) -> None:
    with pytest.raises(ValueError, match="max_body_bytes"):
        RequestLimits(_ok, max_url_bytes=4096, max_header_bytes=4096, max_body_bytes=bad)  # type: ignore[arg-type]


def test_other_middleware_check_their_arguments() -> None:
    with pytest.raises(ValueError):
        SecurityHeaders(_ok, csp="default-src 'self'\r\nX-Injected: 1")
    with pytest.raises(TypeError):
        RequestContext(_ok, metrics=object(), logger=logging.getLogger("x"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Metrics(buckets=())


@pytest.mark.parametrize(
    ("raw", "pairs"),
    [
        (b"query=ASK+%7B%7D&format=json", [("query", "ASK {}"), ("format", "json")]),
        (b"query=%C3%A6&x", [("query", "æ"), ("x", "")]),
        (b"", []),
        (b"a=1&&b=2", [("a", "1"), ("b", "2")]),
    ],
)
def test_strict_pairs_decode_like_parse_qsl(raw: bytes, pairs: list[tuple[str, str]]) -> None:
    assert strict_pairs(raw) == pairs


@pytest.mark.parametrize("raw", [b"query=%ZZ", b"query=%", b"query=%F", b"q=%FF", b"%C3%28=1"])
def test_strict_pairs_refuse_what_parse_qsl_would_guess(raw: bytes) -> None:
    with pytest.raises(MalformedQuery):
        strict_pairs(raw)


def test_route_labels_are_a_closed_set() -> None:
    assert route_label("/sparql") == "/sparql"
    assert route_label("/doc/actor/x.ttl") == "/doc"
    assert route_label("/") == "/"
    assert {route_label(f"/random-{i}") for i in range(100)} == {"other"}


def test_an_unexpected_error_is_a_bare_500_logged_with_its_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No traceback, exception name or path leaks to the client; the log has all of it."""
    app = create_app(project_settings(dist_dir=tmp_path, ui_assets_dir=str(tmp_path)))

    async def boom(request: Request) -> Response:
        raise RuntimeError("secret internal detail /etc/vestlod")

    app.router.routes.insert(0, Route("/boom", boom))
    logger = logging.getLogger("vestlod.access")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.get("/boom", headers={"X-Request-Id": "req-7"})

        r = asyncio.run(go())
    finally:
        logger.removeHandler(handler)
    assert r.status_code == 500
    assert r.text == "Internal Server Error"
    assert "secret" not in r.text and "Traceback" not in r.text
    crash = [rec for rec in records if rec.exc_info]
    assert crash and "req-7" in crash[0].getMessage()
    line = json.loads([rec for rec in records if not rec.exc_info][-1].getMessage())
    assert line == {**line, "request_id": "req-7", "status": 500, "error": "RuntimeError",
                    "path": "/boom", "method": "GET"}
    assert app.state.metrics.requests[("GET", "other", "500")] == 1


def test_each_app_has_its_own_metrics(tmp_path: Path) -> None:
    settings = project_settings(dist_dir=tmp_path, ui_assets_dir=str(tmp_path))
    one, two = create_app(settings), create_app(settings)
    one.state.metrics.observe("GET", "/sparql", 200, 0.01)
    assert one.state.metrics is not two.state.metrics
    assert 'route="/sparql"' in one.state.metrics.render()
    assert 'route="/sparql"' not in two.state.metrics.render()
