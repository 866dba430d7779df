"""The largest SPARQL body is the setting ``max_body_bytes``, not a constant of the endpoint."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from publish.server import create_app
from tests.conftest import project_settings
from tests.server.test_files_version import publish

QUERY = "ASK { ?s ?p ?o }"


def post_query(tmp: Path, max_body_bytes: int, size: int) -> httpx.Response:
    """POST an ``application/sparql-query`` body padded with a comment to ``size`` bytes."""
    publish(tmp / "dist", "A", 2, ())
    settings = project_settings(dist_dir=tmp / "dist", query_workers=1, reload_interval=0,
                                ui_assets_dir=tmp / "no-ui", max_body_bytes=max_body_bytes)
    app = create_app(settings, pool="threads")
    body = (QUERY + "\n#" + "x" * size)[:size].encode()
    assert len(body) == size

    async def run() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.post(
                    "/sparql", content=body,
                    headers={"Content-Type": "application/sparql-query",
                             "Accept": "application/sparql-results+json"})

    return asyncio.run(run())


def test_a_body_over_the_setting_is_413(tmp_path: Path) -> None:
    r = post_query(tmp_path, max_body_bytes=2000, size=3000)
    assert r.status_code == 413
    assert "2000" in r.text


def test_a_body_under_a_raised_setting_is_answered(tmp_path: Path) -> None:
    """1.2 MB is over the old fixed 1 MB but under the configured 2 MB: the query runs."""
    r = post_query(tmp_path, max_body_bytes=2_000_000, size=1_200_000)
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is True
