"""Compressed answers (issue #19, item 1): encoded when accepted, the same bytes once decoded,
``Vary: Accept-Encoding``, and an ETag per encoding that still gives a 304.

In-process over the real build (`create_app` + `httpx.ASGITransport`); httpx decodes gzip,
Brotli and zstd itself, so ``content`` is the identity body in every case.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from publish.build.pipeline import BuildResult
from publish.server import create_app
from tests.conftest import project_settings


class Client:
    def __init__(self, built: BuildResult) -> None:
        settings = project_settings(dist_dir=built.out, query_workers=1, reload_interval=0)
        self.app = create_app(settings)
        self.loop = asyncio.new_event_loop()
        self.lifespan = self.app.router.lifespan_context(self.app)
        self.loop.run_until_complete(self.lifespan.__aenter__())
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                        base_url="http://testserver")

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(path, **kwargs))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.run_until_complete(self.lifespan.__aexit__(None, None, None))
        self.loop.close()


@pytest.fixture(scope="module")
def client(built: BuildResult) -> Iterator[Client]:
    c = Client(built)
    yield c
    c.close()


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
@pytest.mark.parametrize(("path", "accept"), [
    ("/doc/org/vestas", "text/turtle"),
    ("/doc/area/energiteknologi", "text/html"),
    ("/dumps/vestlod.ttl", "*/*"),
])
def test_encoded_when_accepted_and_the_same_bytes_decoded(client: Client, path: str,
                                                          accept: str, encoding: str) -> None:
    plain = client.get(path, headers={"Accept": accept, "Accept-Encoding": "identity"})
    packed = client.get(path, headers={"Accept": accept, "Accept-Encoding": encoding})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == encoding
    assert packed.content == plain.content
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + f'-{encoding}"'


def test_a_cached_encoded_variant_revalidates_to_a_304(client: Client) -> None:
    first = client.get("/doc/org/vestas", headers={"Accept": "text/turtle",
                                                   "Accept-Encoding": "gzip"})
    tag = first.headers["etag"]
    again = client.get("/doc/org/vestas", headers={"Accept": "text/turtle",
                                                   "Accept-Encoding": "gzip",
                                                   "If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["etag"] == tag
    other = client.get("/doc/org/vestas", headers={"Accept": "text/turtle",
                                                   "Accept-Encoding": "gzip",
                                                   "If-None-Match": '"something-else-gzip"'})
    assert other.status_code == 200


def test_small_answers_are_not_worth_compressing(client: Client) -> None:
    r = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
