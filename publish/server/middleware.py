"""Pure ASGI middleware at the edge of the app: request limits, security headers, request ids.

Each class checks its arguments in ``__init__`` (a bad limit fails at startup, not on the first
request) and is then only ``__call__(scope, receive, send)``; no `BaseHTTPMiddleware`, so
streamed responses stay streamed and nothing is buffered twice.

* `RequestLimits` turns what a public endpoint meets (a 2 MB URL, a 500 KB header, a body
  that never ends, ``%ZZ``, bytes that are not UTF-8) into a clear 4xx with a plain-text
  message *before* any route runs, so no handler has to be defensive about it.
* `SecurityHeaders` adds ``nosniff``, a referrer policy and framing refusal to every answer
  and a Content-Security-Policy to HTML: the pages show text quoted from the annex and labels
  from Wikidata; escaping is the first line, the CSP the second.
* `RequestContext` gives every request an id (echoed as ``X-Request-Id``), writes one JSON log
  line per request and feeds the app's `Metrics`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publish.server.metrics import Metrics

_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""For HTML only. Inline styles are allowed (the charts and YASGUI set ``style=``); scripts
come from our own /static only, so a quote that slipped past escaping still cannot run."""

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)


class MalformedQuery(ValueError):
    """A query string or form body that is not percent-encoded UTF-8."""


def strict_pairs(raw: bytes | str, where: str = "the query string") -> list[tuple[str, str]]:
    """Decode ``application/x-www-form-urlencoded`` text, refusing what `parse_qsl` would guess.

    `urllib.parse.parse_qsl` keeps ``%ZZ`` literally and replaces invalid UTF-8 with U+FFFD,
    so a broken request reaches the SPARQL parser and fails there with a confusing message.
    """
    data = raw.encode("latin-1", "replace") if isinstance(raw, str) else raw
    if _BAD_PERCENT.search(data):
        raise MalformedQuery(f"{where} has a '%' that is not followed by two hex digits")
    pairs = []
    for field in data.split(b"&"):
        if not field:
            continue
        name, _, value = field.partition(b"=")
        try:
            pairs.append(
                (
                    unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8"),
                    unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8"),
                )
            )
        except UnicodeDecodeError:
            raise MalformedQuery(f"{where} is not percent-encoded UTF-8") from None
    return pairs


async def _plain(send: Send, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """413 / 414 / 431 / 400 for requests over the limits or not decodable, before routing."""

    def __init__(
        self, app: ASGIApp, *, max_url_bytes: int, max_header_bytes: int, max_body_bytes: int
    ) -> None:
        for name, value in (
            ("max_url_bytes", max_url_bytes),
            ("max_header_bytes", max_header_bytes),
            ("max_body_bytes", max_body_bytes),
        ):
            if not isinstance(value, int) or value < 1024:
                raise ValueError(f"{name} must be an integer of at least 1024, not {value!r}")
        self.app = app
        self.max_url = max_url_bytes
        self.max_header = max_header_bytes
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refuse(scope)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        await self.app(scope, self._bounded(receive, send), send)

    def refuse(self, scope: Scope) -> tuple[int, str] | None:
        """The status and message for a request refused on its head alone, else None."""
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        query: bytes = scope.get("query_string", b"")
        if len(raw_path) + len(query) > self.max_url:
            return 414, (
                f"the URL is longer than {self.max_url} bytes: "
                "POST long queries as application/sparql-query"
            )
        header_bytes = sum(len(k) + len(v) + 4 for k, v in scope["headers"])
        if header_bytes > self.max_header:
            return 431, f"the request headers are larger than {self.max_header} bytes"
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    return 400, "Content-Length is not a number"
                if int(value) > self.max_body:
                    return 413, f"the request body is larger than {self.max_body} bytes"
        if _BAD_PERCENT.search(raw_path):
            return 400, "the path has a '%' that is not followed by two hex digits"
        try:
            unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            return 400, "the path is not percent-encoded UTF-8"
        try:
            strict_pairs(query)
        except MalformedQuery as exc:
            return 400, str(exc)
        return None

    def _bounded(self, receive: Receive, send: Send) -> Receive:
        """``receive`` that stops a chunked body at the limit (Content-Length may be absent)."""
        seen = 0
        limit = self.max_body

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return bounded


class BodyTooLarge(Exception):
    """Raised inside `receive`; `RequestContext` answers 413 if no response has started."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is larger than {limit} bytes")


class SecurityHeaders:
    """Add the usual security headers to every response and a CSP to HTML ones."""

    def __init__(self, app: ASGIApp, *, csp: str = CSP) -> None:
        if not csp or "\n" in csp or "\r" in csp:
            raise ValueError("csp must be one non-empty header line")
        self.app = app
        self.csp = csp.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html") and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.csp))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _AccessHandler(logging.StreamHandler[TextIO]):
    """Ours, so a second app in the same process finds it and adds no second handler."""


def access_logger(name: str = "vestlod.access") -> logging.Logger:
    """The JSON access log on stderr; one handler, however many apps are built in a process."""
    logger = logging.getLogger(name)
    if not any(isinstance(h, _AccessHandler) for h in logger.handlers):
        handler = _AccessHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class RequestContext:
    """Request id, one structured log line and the metrics for every HTTP request.

    An incoming ``X-Request-Id`` made of safe characters is kept (so a proxy's id follows the
    request through); anything else gets a fresh one. The id is in ``scope["state"]`` for
    handlers and in the response header. An exception escaping the app is logged with its
    traceback here (server-side only) and counted as a 500 before it propagates to the
    outermost error middleware, which answers a bare "Internal Server Error".
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        logger: logging.Logger,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if not isinstance(metrics, Metrics):
            raise TypeError("metrics must be a Metrics instance")
        self.app = app
        self.metrics = metrics
        self.log = logger
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        text = incoming.decode("latin-1")
        rid = text if _REQUEST_ID.fullmatch(text) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = rid
        started = self.clock()
        status = 500
        sent = 0
        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent, started_response
            if message["type"] == "http.response.start":
                status = message["status"]
                started_response = True
                headers = [*message.get("headers", []), (b"x-request-id", rid.encode())]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        error: str | None = None
        try:
            await self.app(scope, receive, send_with_id)
        except BodyTooLarge as exc:
            if started_response:
                raise
            status = 413
            await _plain(send_with_id, 413, str(exc))
        except Exception as exc:
            error = type(exc).__name__
            status = 500
            self.log.exception("unhandled error in request %s", rid)
            raise
        finally:
            seconds = self.clock() - started
            path = scope["path"]
            self.metrics.observe(scope["method"], path, status, seconds)
            record: dict[str, Any] = {
                "event": "request",
                "request_id": rid,
                "method": scope["method"],
                "path": path[:200],
                "status": status,
                "ms": round(seconds * 1000, 2),
                "bytes": sent,
            }
            if error:
                record["error"] = error
            self.log.info(json.dumps(record, ensure_ascii=False))
