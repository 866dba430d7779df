"""Compressed answers (issue #19, item 1): encoded when accepted, the same bytes once decoded,
``Vary: Accept-Encoding``, and an ETag per encoding that still gives a 304.

In-process over the real build (`create_app` + `httpx.ASGITransport`); httpx decodes gzip,
Brotli and zstd itself, so ``content`` is the identity body in every case.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server.conftest import InProcess


@pytest.fixture(scope="module")
def client(asgi_annex: InProcess) -> Iterator[httpx.Client]:
    """The real build served in-process (tests/server/conftest.py)."""
    with asgi_annex.client() as c:
        yield c


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
@pytest.mark.parametrize(("path", "accept"), [
    ("/doc/org/vestas", "text/turtle"),
    ("/doc/area/energiteknologi", "text/html"),
    ("/dumps/vestlod.ttl", "*/*"),
])
def test_encoded_when_accepted_and_the_same_bytes_decoded(client: httpx.Client, path: str,
                                                          accept: str, encoding: str) -> None:
    plain = client.get(path, headers={"Accept": accept, "Accept-Encoding": "identity"})
    packed = client.get(path, headers={"Accept": accept, "Accept-Encoding": encoding})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == encoding
    assert packed.content == plain.content
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + f'-{encoding}"'


def test_a_cached_encoded_variant_revalidates_to_a_304(client: httpx.Client) -> None:
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


def test_small_answers_are_not_worth_compressing(client: httpx.Client) -> None:
    r = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
