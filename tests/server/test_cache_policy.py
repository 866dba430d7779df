"""Cache policy (issue #19, item 2): shared caches may keep answers for ``cache_max_age``
seconds and revalidate with the ETag; POSTed queries are never stored; a build's files have a
versioned address that never changes and may be kept for a year; the unversioned address names
it in ``Content-Location``. In-process over the real build.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from publish.build.pipeline import BuildResult
from tests.server.conftest import serve_dist

Check = Callable[[httpx.AsyncClient], Awaitable[None]]


def serve(built: BuildResult, check: Check, **settings: object) -> None:
    serve_dist(built.out, check, **settings)


def test_gets_carry_a_shared_lifetime_and_an_etag_posts_are_not_stored(
        built: BuildResult) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        ask = {"query": "ASK { ?s ?p ?o }"}
        for r in (await client.get("/doc/org/vestas", headers={"Accept": "text/turtle"}),
                  await client.get("/doc/area/energiteknologi?lang=da"),
                  await client.get("/sparql", params=ask),
                  await client.get("/catalog"),
                  await client.get("/.well-known/void")):
            assert r.status_code == 200, r.request.url
            assert r.headers["cache-control"] == (
                "public, max-age=120, stale-while-revalidate=30"), r.request.url
            assert r.headers["etag"], r.request.url
            again = await client.get(r.request.url, headers={
                "If-None-Match": r.headers["etag"], "Accept": r.request.headers["accept"]})
            assert again.status_code == 304, r.request.url
        posted = await client.post("/sparql", data=ask)
        assert posted.status_code == 200
        assert posted.headers["cache-control"] == "no-store"
        missing = await client.get("/doc/org/no-such-thing")
        assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"

    serve(built, check, cache_max_age=120, cache_stale_while_revalidate=30)


def test_zero_means_always_revalidate(built: BuildResult) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        r = await client.get("/doc/org/vestas", headers={"Accept": "text/turtle"})
        assert r.headers["cache-control"] == "public, no-cache"

    serve(built, check, cache_max_age=0)


def test_a_dump_has_a_versioned_address_that_may_be_kept_for_a_year(
        built: BuildResult) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        current = await client.get("/dumps/vestlod.ttl")
        assert current.status_code == 200
        version = current.headers["vestlod-dataset-version"]
        location = current.headers["content-location"]
        assert location == f"/dumps/{version}/vestlod.ttl"
        assert "max-age=60," in current.headers["cache-control"]  # short: it names the current
        kept = await client.get(location)
        assert kept.status_code == 200
        assert kept.content == current.content
        policy = kept.headers["cache-control"]
        assert "immutable" in policy
        assert int(policy.split("max-age=")[1].split(",")[0]) >= 86400
        sums = await client.get(f"/dumps/{version}/SHA256SUMS")
        assert sums.status_code == 200 and "immutable" in sums.headers["cache-control"]
        for bad in (f"/dumps/{'0' * 64}/vestlod.ttl", "/dumps/not-a-version/vestlod.ttl",
                    f"/dumps/{version}/no-such-file.ttl"):
            assert (await client.get(bad)).status_code == 404, bad

    serve(built, check)
