"""Compressed answers (issue #19, item 1): encoded when accepted, the same bytes once decoded,
``Vary: Accept-Encoding``, and an ETag per encoding that still gives a 304.

In-process over the real build (`create_app` + `httpx.ASGITransport`); httpx decodes gzip,
Brotli and zstd itself, so ``content`` is the identity body in every case.
"""

from __future__ import annotations

import gzip
import hashlib
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


# ------------------------------------------------ dumps precompressed at build time (item 1)


def raw_get(client: httpx.Client, path: str, **headers: str) -> tuple[httpx.Response, bytes]:
    """An answer and its body as sent (still encoded)."""
    with client.stream("GET", path, headers=headers) as r:
        return r, b"".join(r.iter_raw())


@pytest.mark.parametrize("versioned", [False, True])
def test_a_dump_is_sent_as_the_gzip_twin_the_build_wrote(client: httpx.Client,
                                                         asgi_annex: InProcess,
                                                         versioned: bool) -> None:
    path = (f"/dumps/{asgi_annex.version}/vestlod.ttl" if versioned else "/dumps/vestlod.ttl")
    plain, plain_bytes = raw_get(client, path, **{"Accept-Encoding": "identity"})
    packed, packed_bytes = raw_get(client, path, **{"Accept-Encoding": "gzip, deflate, br"})
    assert plain.status_code == packed.status_code == 200
    # the twin's bytes exactly (not compressed again, not compressed on the fly) ...
    assert packed_bytes == (asgi_annex.dist / "vestlod.ttl.gz").read_bytes()
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["content-type"] == plain.headers["content-type"]
    assert packed.headers["content-type"].startswith("text/turtle")
    # ... which decode to the identity answer, the file itself
    assert gzip.decompress(packed_bytes) == plain_bytes == (
        asgi_annex.dist / "vestlod.ttl").read_bytes()
    for r in (plain, packed):
        assert "accept-encoding" in r.headers["vary"].lower()
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    assert packed.headers["cache-control"] == plain.headers["cache-control"]
    assert packed.headers["digest"] == "sha-256=" + hashlib.sha256(packed_bytes).hexdigest()
    assert packed.headers["content-length"] == str(len(packed_bytes))


def test_the_gzip_etag_of_a_dump_revalidates_to_a_304(client: httpx.Client) -> None:
    first = client.get("/dumps/vestlod.ttl", headers={"Accept-Encoding": "gzip"})
    tag = first.headers["etag"]
    assert tag.endswith('-gzip"')
    again = client.get("/dumps/vestlod.ttl", headers={"Accept-Encoding": "gzip",
                                                      "If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["etag"] == tag
    assert again.content == b""


@pytest.mark.parametrize("accept_encoding", ["identity", "gzip;q=0, identity", "br;q=0",
                                             "*;q=0, identity", "deflate"])
def test_a_dump_is_not_gzipped_for_a_client_that_refuses_gzip(client: httpx.Client,
                                                               accept_encoding: str) -> None:
    r, body = raw_get(client, "/dumps/vestlod.ttl", **{"Accept-Encoding": accept_encoding})
    assert r.status_code == 200
    assert r.headers.get("content-encoding") is None
    assert body.startswith(b"@prefix")


def test_a_range_of_a_dump_is_a_range_of_the_identity_file(client: httpx.Client,
                                                            asgi_annex: InProcess) -> None:
    """A client resuming a download it decoded holds identity bytes: the range is theirs."""
    whole = (asgi_annex.dist / "vestlod.ttl").read_bytes()
    r, body = raw_get(client, "/dumps/vestlod.ttl",
                      **{"Accept-Encoding": "gzip", "Range": "bytes=1000-1999"})
    assert r.status_code == 206
    assert r.headers.get("content-encoding") is None
    assert r.headers["content-range"] == f"bytes 1000-1999/{len(whole)}"
    assert body == whole[1000:2000]


def test_a_published_gz_file_is_sent_as_it_is(client: httpx.Client,
                                              asgi_annex: InProcess) -> None:
    """``vestlod.ttl.gz`` by its own name is a gzip file, not a gzip-encoded Turtle."""
    r, body = raw_get(client, "/dumps/vestlod.ttl.gz", **{"Accept-Encoding": "gzip"})
    assert r.headers["content-type"] == "application/gzip"
    assert r.headers.get("content-encoding") is None
    assert body == (asgi_annex.dist / "vestlod.ttl.gz").read_bytes()
