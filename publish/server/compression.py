"""Compressed answers: zstd, Brotli or gzip as the client accepts, with one ETag per encoding.

The 1.5 MB Turtle dump and every page used to go out raw. `starlette-compress` (a maintained
middleware) encodes text answers above ``MINIMUM_SIZE`` bytes when ``Accept-Encoding`` allows and
adds ``Vary: Accept-Encoding``; it leaves alone what is already encoded: the ``.gz`` files the
build published, and the precompressed gzip twin `publish.server.files` sends for a dump (it
carries ``Content-Encoding: gzip``, so nothing is compressed twice).

A compressed body is a different representation, so it needs its own validator (RFC 9110
§8.8.3): `EncodedETags` turns ``"tag"`` into ``"tag-gzip"`` (``-br``, ``-zstd``) on the way out,
and `publish.server.conditional.etag_matches` accepts either form from ``If-None-Match``, so a
cache that stored the gzip variant gets its 304 (repeating the tag it holds).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_compress import add_compress_type

from publish.server.conditional import ENCODING_SUFFIXES

#: below this many bytes the framing costs more than compression saves
MINIMUM_SIZE = 1024

#: our media types, beyond the web types starlette-compress knows
for _media_type in (
    "text/turtle", "application/trig", "application/n-triples", "application/n-quads",
    "application/ld+json", "application/rdf+xml", "application/sparql-results+json",
    "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "application/json", "application/yaml", "application/sparql-query",
):
    add_compress_type(_media_type)


class EncodedETags:
    """Give a compressed answer its own ETag; give a 304 the tag the client sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = [v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"]

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                etag = headers.get("etag")
                if etag:
                    encoding = headers.get("content-encoding", "").strip().lower()
                    if encoding in ENCODING_SUFFIXES:
                        headers["etag"] = encoded(etag, encoding)
                    elif message["status"] == 304:
                        headers["etag"] = echoed(etag, asked)
            await send(message)

        await self.app(scope, receive, send_tagged)


def encoded(etag: str, encoding: str) -> str:
    """``"abc"`` → ``"abc-gzip"`` (weak tags keep their ``W/``); a tag already of that encoding
    (a precompressed dump's, set by `publish.server.files`) is left as it is."""
    weak = etag.startswith("W/")
    core = etag.removeprefix("W/")
    if not (core.startswith('"') and core.endswith('"')) or core.endswith(f'-{encoding}"'):
        return etag
    return ("W/" if weak else "") + core[:-1] + "-" + encoding + '"'


def echoed(etag: str, asked: list[str]) -> str:
    """The encoded variant of ``etag`` the client holds, if it sent one; else ``etag``."""
    for header in asked:
        for candidate in header.split(","):
            candidate = candidate.strip()
            for encoding in ENCODING_SUFFIXES:
                if candidate.removeprefix("W/") == encoded(etag, encoding).removeprefix("W/"):
                    return candidate
    return etag
