"""Retired IRIs answer 301 to their successor or 410 with the reason, read from the store.

The dataset is the small server fixture plus tombstones made by the build's own
`tombstone_triples`, so what the build writes is what the server reads. The app runs in
process (`httpx.ASGITransport`); a second version published beside it and reloaded shows that
new tombstones arrive with the data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import rdflib
from fastapi import FastAPI
from rdflib import Dataset, URIRef

from publish.build.retired import Tombstone
from publish.build.retired import tombstone_triples as build_triples
from publish.server import create_app
from publish.server.retired import TOMBSTONES_QUERY, parse
from publish.uris import Uris
from publish.vocab import OWL, SKOS
from tests.conftest import project_settings
from tests.server.conftest import BASE, fixture_trig, write_dist

MOVED = Tombstone(5, "id/actor/old-a1", "id/actor/a1",
                  {"da": "Aktøren fik en ny adresse.", "en": "The actor got a new address."})
GONE = Tombstone(6, "id/actor/gone", None,
                 {"da": "Aktøren nævnes ikke i bilaget.", "en": "The annex does not name it."})
LATER = Tombstone(7, "id/actor/a3", None, {"da": "Fjernet senere.", "en": "Removed later."})

#: the default shared-cache policy (settings cache_max_age, cache_stale_while_revalidate)
SHARED = "public, max-age=60, stale-while-revalidate=300"


def trig_with(*stones: Tombstone, without: str = "") -> str:
    """The fixture dataset (less the resource ``without``) with these tombstones, as the build
    adds them."""
    ds = Dataset()
    ds.parse(data=fixture_trig(), format="trig")
    if without:
        for graph in ds.graphs():
            graph.remove((URIRef(BASE + without), None, None))
    uris = Uris(BASE)
    meta, prov = build_triples(stones, uris)
    for triple in meta:
        ds.graph(uris.graph("metadata")).add(triple)
    for triple in prov:
        ds.graph(uris.graph("provenance")).add(triple)
    return ds.serialize(format="trig")


Step = Callable[[httpx.AsyncClient, FastAPI], Awaitable[None]]


def serve(tmp: Path, trig: str, *steps: Step) -> None:
    write_dist(tmp / "dist", trig)
    settings = project_settings(dist_dir=tmp / "dist", query_workers=1, reload_interval=0,
                                ui_assets_dir=tmp / "no-ui")
    app = create_app(settings)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                for step in steps:
                    await step(client, app)

    asyncio.run(run())


def test_a_moved_iri_answers_301_to_its_successor_on_the_same_route(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        for path, location in [
            ("/id/actor/old-a1", "/id/actor/a1"),
            ("/doc/actor/old-a1", "/doc/actor/a1"),
            ("/doc/actor/old-a1.ttl", "/doc/actor/a1.ttl"),
            ("/doc/actor/old-a1.html", "/doc/actor/a1.html"),
            ("/doc/actor/old-a1?lang=en", "/doc/actor/a1?lang=en"),
            ("/id/actor/old-a1?lang=en", "/id/actor/a1?lang=en"),
        ]:
            r = await client.get(path, headers={"Accept": "text/turtle"})
            assert (r.status_code, r.headers["location"]) == (301, location), path
            assert r.headers["cache-control"] == SHARED
            assert r.headers["etag"] and r.headers["vestlod-dataset-version"]
        moved = await client.get("/id/actor/old-a1")
        there = await client.get(moved.headers["location"])
        assert there.status_code == 303
        assert (await client.get(there.headers["location"])).status_code == 200
        assert (await client.get("/doc/actor/old-a1.nt")).headers["location"] == (
            "/doc/actor/a1.nt")

    serve(tmp_path, trig_with(MOVED, GONE), check)


def test_a_gone_iri_answers_410_with_the_reason_in_each_language(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        for path in ("/id/actor/gone", "/doc/actor/gone", "/doc/actor/gone.html"):
            da = await client.get(path, headers={"Accept": "text/html",
                                                 "Accept-Language": "da"})
            assert da.status_code == 410, path
            assert da.headers["content-type"].startswith("text/html")
            assert "Aktøren nævnes ikke i bilaget." in da.text
            assert "Fjernet" in da.text and "The annex does not name it." not in da.text
            en = await client.get(path, params={"lang": "en"}, headers={"Accept": "text/html"})
            assert en.status_code == 410
            assert "The annex does not name it." in en.text and "Gone" in en.text
            assert da.headers["etag"] != en.headers["etag"]
            assert "Accept-Language" in da.headers["vary"]
        browser = await client.get("/doc/actor/gone")  # no Accept at all: the page
        assert browser.status_code == 410 and "<html" in browser.text

    serve(tmp_path, trig_with(MOVED, GONE), check)


def test_a_gone_iri_gives_rdf_clients_the_tombstone(tmp_path: Path) -> None:
    gone = URIRef(BASE + "id/actor/gone")

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        for path, accept, fmt in [
            ("/id/actor/gone", "text/turtle", "turtle"),
            ("/doc/actor/gone.ttl", "*/*", "turtle"),
            ("/doc/actor/gone", "application/ld+json", "json-ld"),
            ("/doc/actor/gone.rdf", "*/*", "xml"),
            ("/doc/actor/gone.nt", "*/*", "nt"),
        ]:
            r = await client.get(path, headers={"Accept": accept})
            assert r.status_code == 410, path
            g = rdflib.Graph().parse(data=r.content, format=fmt, publicID=BASE)
            assert (gone, OWL.deprecated, rdflib.Literal(True)) in g, path
            notes = {(n.language, str(n)) for n in g.objects(gone, SKOS.changeNote)
                     if isinstance(n, rdflib.Literal)}
            assert notes == {("da", GONE.reason["da"]), ("en", GONE.reason["en"])}

    serve(tmp_path, trig_with(MOVED, GONE), check)


def test_retired_answers_are_cached_like_the_rest_and_answer_304(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        for path in ("/doc/actor/gone", "/id/actor/old-a1"):
            first = await client.get(path)
            assert first.headers["cache-control"] == SHARED
            again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert again.status_code == 304, path

    serve(tmp_path, trig_with(MOVED, GONE), check)


def test_live_iris_and_unknown_iris_are_unchanged(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        live = await client.get("/id/actor/a1")
        assert (live.status_code, live.headers["location"]) == (303, "/doc/actor/a1")
        assert (await client.get("/doc/actor/a2.ttl")).status_code == 200
        assert (await client.get("/id/actor/never-was")).status_code == 404
        assert (await client.get("/doc/actor/never-was")).status_code == 404

    serve(tmp_path, trig_with(MOVED, GONE), check)


def test_a_reload_brings_the_new_tombstones(tmp_path: Path) -> None:
    async def before(client: httpx.AsyncClient, app: FastAPI) -> None:
        assert (await client.get("/id/actor/a3")).status_code == 303
        assert (await client.get("/id/actor/gone")).status_code == 410

    async def publish_and_reload(client: httpx.AsyncClient, app: FastAPI) -> None:
        # a3 goes away in the next version, and gone now has a successor
        later_gone = Tombstone(6, "id/actor/gone", "id/actor/a1", GONE.reason)
        write_dist(tmp_path / "dist", trig_with(MOVED, later_gone, LATER, without="id/actor/a3"))
        assert await app.state.serving.reload()

    async def after(client: httpx.AsyncClient, app: FastAPI) -> None:
        r = await client.get("/id/actor/a3", params={"lang": "en"},
                             headers={"Accept": "text/html"})
        assert r.status_code == 410 and "Removed later." in r.text
        moved = await client.get("/id/actor/gone")
        assert (moved.status_code, moved.headers["location"]) == (301, "/id/actor/a1")

    serve(tmp_path, trig_with(MOVED, GONE), before, publish_and_reload, after)


def test_only_deprecated_iris_under_id_are_tombstones() -> None:
    """A merged organisation has dcterms:isReplacedBy but is still described: not retired;
    a deprecated ontology term is no retired resource either."""
    assert "owl:deprecated true" in TOMBSTONES_QUERY
    rows = [
        {"iri": BASE + "id/org/x", "successor": BASE + "id/org/y", "note": "a", "lang": "da"},
        {"iri": BASE + "id/org/x", "successor": BASE + "id/org/y", "note": "b", "lang": "en"},
        {"iri": BASE + "def/vestlod#Old"},
        {"iri": BASE + "id/org/z"},
    ]
    stones = parse(rows, BASE)
    assert set(stones) == {BASE + "id/org/x", BASE + "id/org/z"}
    assert stones[BASE + "id/org/x"].successor == BASE + "id/org/y"
    assert stones[BASE + "id/org/x"].reason == {"da": "a", "en": "b"}
    assert stones[BASE + "id/org/z"].successor is None


def test_the_sitemap_lists_no_retired_iri(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        sitemap = (await client.get("/sitemap.xml")).text
        assert f"{BASE}doc/actor/a1<" in sitemap
        assert "old-a1" not in sitemap and "actor/gone" not in sitemap

    serve(tmp_path, trig_with(MOVED, GONE), check)


def test_an_earlier_builds_activity_answers_410_by_rule_and_the_current_one_is_described(
        tmp_path: Path) -> None:
    """Every change of the sources mints a new build activity IRI (named after the inputs'
    hash); the previous one is gone without a row in retired.csv, and says why."""
    current, earlier = "id/activity/build-0123456789abcdef", "id/activity/build-fedcba9876543210"
    ds = Dataset()
    ds.parse(data=trig_with(GONE), format="trig")
    prov = ds.graph(Uris(BASE).graph("provenance"))
    prov.add((URIRef(BASE + current), rdflib.RDF.type, rdflib.PROV.Activity))
    prov.add((URIRef(BASE + "id/actor/a1"), rdflib.PROV.wasGeneratedBy, URIRef(BASE + current)))

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        assert (await client.get("/id/" + current[3:])).status_code == 303
        gone = await client.get("/doc/" + earlier[3:], params={"lang": "en"},
                                headers={"Accept": "text/html"})
        assert gone.status_code == 410 and "earlier builds are not kept" in gone.text
        assert (await client.get("/" + earlier)).status_code == 410
        # only the exact shape of a build IRI is retired by rule
        assert (await client.get("/id/activity/build-not-a-hash")).status_code == 404
        assert (await client.get("/id/activity/other-0123456789abcdef")).status_code == 404

    serve(tmp_path, ds.serialize(format="trig"), check)
