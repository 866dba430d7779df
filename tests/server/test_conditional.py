"""Conditional GET: one reading of If-None-Match / If-Modified-Since for every cached route.

RFC 9110 §13.1.2: If-None-Match is a list of tags or ``*``, compared weakly (``W/"x"`` matches
``"x"``); when it is present, If-Modified-Since is ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from publish.server.conditional import (
    cache_headers,
    etag_matches,
    http_date,
    is_fresh,
    make_etag,
)
from tests.server.test_files_version import publish, serve

TAG = make_etag("version", "variant")
NOON = datetime(2026, 12, 1, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("if_none_match", "matches"),
    [
        (TAG, True),
        (f"W/{TAG}", True),
        (f'"other", {TAG}', True),
        (f'"other",W/{TAG} , "third"', True),
        ("*", True),
        ('"other"', False),
        ('"other", W/"another"', False),
        ("", False),
        (None, False),
    ],
)
def test_if_none_match_takes_lists_star_and_weak_tags(
    if_none_match: str | None, matches: bool
) -> None:
    assert etag_matches(if_none_match, TAG) is matches


def test_if_none_match_beats_if_modified_since() -> None:
    headers = cache_headers(etag=TAG, last_modified=NOON)
    later = http_date(NOON + timedelta(hours=1))
    assert not is_fresh({"if-none-match": '"other"', "if-modified-since": later}, headers)
    assert is_fresh({"if-none-match": TAG, "if-modified-since": "garbage"}, headers)


def test_if_modified_since_compares_whole_seconds() -> None:
    headers = cache_headers(etag=TAG, last_modified=NOON)
    assert is_fresh({"if-modified-since": http_date(NOON)}, headers)
    assert is_fresh({"if-modified-since": http_date(NOON + timedelta(days=1))}, headers)
    assert not is_fresh({"if-modified-since": http_date(NOON - timedelta(seconds=1))}, headers)
    assert not is_fresh({"if-modified-since": "not a date"}, headers)
    assert not is_fresh({}, headers)


def test_cache_headers_are_spelled_once() -> None:
    assert cache_headers(etag=TAG, last_modified=NOON, vary="Accept") == {
        "Cache-Control": "public, no-cache",
        "Vary": "Accept",
        "ETag": TAG,
        "Last-Modified": "Tue, 01 Dec 2026 12:00:00 GMT",
    }


ROUTES = [
    ("/doc/actor/a0", {"Accept": "text/turtle"}),
    ("/doc/actor/a0", {"Accept": "text/html"}),
    ("/catalog", {"Accept": "text/turtle"}),
    ("/dumps/vestlod.trig", {}),
    ("/dumps/SHA256SUMS", {}),
    ("/.well-known/void", {"Accept": "text/turtle"}),
    ("/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"}),
]


def test_every_cached_route_answers_304_to_a_list_a_star_and_a_weak_tag(
    tmp_path: Path,
) -> None:
    publish(tmp_path / "dist", "A", 3, ())

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        # identity bodies: how a compressed variant's tag revalidates is test_compression's
        client.headers["Accept-Encoding"] = "identity"
        for path, accept in ROUTES:
            first = await client.get(path, headers=accept)
            assert first.status_code == 200, path
            etag = first.headers["ETag"]
            # routes mark the answer cacheable; the default shared lifetime goes on top
            assert first.headers["Cache-Control"] == (
                "public, max-age=60, stale-while-revalidate=300"), path
            for condition in (f'"nope", {etag}', "*", f"W/{etag}"):
                again = await client.get(path, headers={**accept, "If-None-Match": condition})
                assert again.status_code == 304, (path, condition)
                assert again.content == b"" and again.headers["ETag"] == etag
            other = await client.get(path, headers={**accept, "If-None-Match": '"nope"'})
            assert other.status_code == 200, path

    serve(tmp_path, check)


def test_a_doc_page_is_not_modified_since_the_swap(tmp_path: Path) -> None:
    publish(tmp_path / "dist", "A", 3, ())

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        first = await client.get("/doc/actor/a0.ttl")
        since = first.headers["Last-Modified"]
        again = await client.get("/doc/actor/a0.ttl", headers={"If-Modified-Since": since})
        assert again.status_code == 304

    serve(tmp_path, check)
