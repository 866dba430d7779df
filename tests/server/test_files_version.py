"""/dumps, /catalog and VoID describe the version being served, not the newest on disk.

A build swaps the `dist` link at once; the server swaps its store only when it has loaded the
new data. In between, every download must still be the data `/sparql` answers from. The build
here is the real publication step (`publish_files`: write `dist.<digest>/`, swap the link).
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import rdflib
from fastapi import FastAPI

from publish.build.dumps import publish_files
from publish.layout import sums_text, version_of
from publish.server import create_app
from tests.conftest import project_settings
from tests.server.conftest import BASE, fixture_trig

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
COUNT_ACTORS = (
    "SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://w3id.org/vestlod/def/vestlod#Actor> }"
)


def catalog_ttl(name: str) -> bytes:
    return (f'<{BASE}id/catalog/vestlod> <http://purl.org/dc/terms/hasVersion> "{name}" .\n'
            ).encode()


def publish(dist: Path, name: str, n_actors: int, dumps: tuple[str, ...]) -> str:
    """Publish one version the way the build does; return its SHA256SUMS text."""
    trig = fixture_trig(n_actors, label_suffix=f" {name}").encode()
    files = {"catalog.ttl": catalog_ttl(name), "vestlod.trig": trig}
    files.update({dump: trig for dump in dumps})
    digests = {n: hashlib.sha256(d).hexdigest() for n, d in sorted(files.items())}
    sums = sums_text(digests)
    publish_files(dist, files, sums, version_of(sums))
    return sums


Check = Callable[[httpx.AsyncClient, FastAPI], Awaitable[None]]


def serve(tmp: Path, *steps: Check) -> None:
    """Run ``steps`` in order against ``create_app`` over ``tmp/dist``, in-process (no fork)."""
    settings = project_settings(dist_dir=tmp / "dist", query_workers=1, reload_interval=0,
                                ui_assets_dir=tmp / "no-ui")
    app = create_app(settings, pool="threads")

    async def run() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                for step in steps:
                    await step(client, app)

    asyncio.run(run())


async def described(client: httpx.AsyncClient) -> dict[str, object]:
    """What each of the four routes says about the served data, side by side."""
    sums = await client.get("/dumps/SHA256SUMS")
    catalog = await client.get("/catalog", headers={"Accept": "text/turtle"})
    void = await client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    answer = await client.get("/sparql", params={"query": COUNT_ACTORS},
                              headers={"Accept": "application/sparql-results+json"})
    listing = await client.get("/dumps/", headers={"Accept": "application/json"})
    for r in (sums, catalog, void, answer, listing):
        assert r.status_code == 200, (r.request.url, r.text)
    g = rdflib.Graph().parse(data=void.text, format="turtle")
    dataset = rdflib.URIRef(f"{BASE}id/dataset/vestlod")
    version = answer.headers["Vestlod-Dataset-Version"]
    return {
        "sums": sums.text,
        "catalog": catalog.text,
        "dumps": sorted(str(o) for o in g.objects(dataset, VOID.dataDump)),
        "actors": int(answer.json()["results"]["bindings"][0]["n"]["value"]),
        "listing": sorted(f["name"] for f in listing.json()),
        "trig_in_sums": version in sums.text,
        "listing_version": listing.headers["Vestlod-Dataset-Version"] == version,
    }


def test_downloads_describe_the_served_version_until_the_server_swaps(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    sums_a = publish(dist, "A", 3, ())
    seen: list[dict[str, object]] = []

    async def record(client: httpx.AsyncClient, app: FastAPI) -> None:
        seen.append(await described(client))

    async def publish_b(client: httpx.AsyncClient, app: FastAPI) -> None:
        publish(dist, "B", 4, ("vestlod.nt",))

    async def swap(client: httpx.AsyncClient, app: FastAPI) -> None:
        assert await app.state.serving.reload()

    serve(tmp_path, record, publish_b, record, swap, record)
    before, published, swapped = seen
    assert before["sums"] == sums_a and '"A"' in str(before["catalog"])
    # B is on disk and `dist` points at it, but the server still serves A: so do the files
    assert published == before
    assert published["actors"] == 3 and published["dumps"] == [f"{BASE}dumps/vestlod.trig"]
    assert published["trig_in_sums"] and published["listing_version"]
    # after the swap every route describes B
    assert swapped["sums"] == (dist / "SHA256SUMS").read_text()
    assert '"B"' in str(swapped["catalog"]) and swapped["actors"] == 4
    assert swapped["dumps"] == [f"{BASE}dumps/vestlod.nt", f"{BASE}dumps/vestlod.trig"]
    assert swapped["listing"] == ["catalog.ttl", "vestlod.nt", "vestlod.trig"]
    assert swapped["trig_in_sums"] and swapped["listing_version"]


def test_a_dump_of_the_served_version_is_the_served_bytes(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    publish(dist, "A", 3, ())
    trig_a = (dist / "vestlod.trig").read_bytes()

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        publish(dist, "B", 4, ())
        r = await client.get("/dumps/vestlod.trig")
        assert r.status_code == 200 and r.content == trig_a
        assert r.headers["Digest"] == f"sha-256={hashlib.sha256(trig_a).hexdigest()}"

    serve(tmp_path, check)


def test_files_of_a_version_gone_from_disk_are_not_served_as_another_s(tmp_path: Path) -> None:
    """A folder replaced in place (no link, no previous folder kept): 404, never B's files."""
    dist = tmp_path / "dist"
    publish(dist, "A", 3, ())

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        publish(dist, "B", 4, ())
        for folder in tmp_path.glob("dist.*"):
            if folder.resolve() != dist.resolve():
                shutil.rmtree(folder)  # A's folder is gone; only B's remains
        for path in ("/dumps/SHA256SUMS", "/dumps/vestlod.trig", "/catalog", "/dumps/"):
            r = await client.get(path, headers={"Accept": "application/json, text/turtle"})
            assert r.status_code == 404, path
        void = await client.get("/.well-known/void", headers={"Accept": "text/turtle"})
        assert void.status_code == 200 and "dataDump" not in void.text

    serve(tmp_path, check)
