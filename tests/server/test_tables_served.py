"""The CSV tables (issue #17, item 3) as the server hands them out: under ``/dumps/`` and the
version's own ``/dumps/{version}/`` address, as ``text/csv; charset=utf-8`` with a
``describedby`` link to their CSV on the Web metadata (``application/csvm+json``), listed on the
downloads page, and agreeing with the browse indexes they share their queries with. In-process
over the real build.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable

import httpx

from publish.build.pipeline import BuildResult
from publish.layout import TABLES, TABLES_METADATA, table_file
from tests.server.conftest import serve_dist

Check = Callable[[httpx.AsyncClient], Awaitable[None]]


def serve(built: BuildResult, check: Check, **settings: object) -> None:
    serve_dist(built.out, check, **settings)


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_tables_and_metadata_are_served_with_their_media_types_at_both_addresses(
        built: BuildResult) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        for name in TABLES:
            current = await client.get(f"/dumps/{table_file(name)}")
            assert current.status_code == 200
            assert current.headers["content-type"] == "text/csv; charset=utf-8"
            assert current.content == (built.out / table_file(name)).read_bytes()
            assert current.headers["link"] == (
                f'<{TABLES_METADATA}>; rel="describedby"; type="application/csvm+json"')
            versioned = await client.get(current.headers["content-location"])
            assert versioned.status_code == 200 and "immutable" in versioned.headers[
                "cache-control"]
            assert versioned.headers["content-type"] == "text/csv; charset=utf-8"
            # the relative link resolves beside the versioned file, to the same version's metadata
            described = await client.get(str(httpx.URL(str(versioned.url)).join(
                TABLES_METADATA)))
            assert described.status_code == 200
            assert described.headers["content-type"] == "application/csvm+json"
            assert table_file(name) in [t["url"] for t in described.json()["tables"]]
        metadata = await client.get(f"/dumps/{TABLES_METADATA}")
        assert metadata.headers["content-type"] == "application/csvm+json"
        assert "link" not in metadata.headers
        listing = (await client.get("/dumps/", headers={"Accept": "application/json"})).json()
        types = {f["name"]: f["media_type"] for f in listing}
        assert types[table_file("actors")] == "text/csv; charset=utf-8"
        assert types[TABLES_METADATA] == "application/csvm+json"

    serve(built, check)


def test_the_downloads_page_lists_the_tables_in_the_readers_language(
        built: BuildResult) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        da = (await client.get("/dumps/?lang=da")).text
        en = (await client.get("/dumps/?lang=en")).text
        assert "Tabeller (CSV)" in da and "Tables (CSV)" in en
        for name, title_da, title_en in (("actors", "Aktører", "Actors"),
                                         ("strength-positions", "Styrkepositioner",
                                          "Strength positions")):
            link = f'<a href="/dumps/{table_file(name)}" download>'
            assert link + title_da + "</a>" in da
            assert link + title_en + "</a>" in en
        assert f'href="/dumps/{TABLES_METADATA}"' in da

    serve(built, check)


def test_each_table_lists_what_its_browse_index_lists(built: BuildResult) -> None:
    """One set of queries (publish/indexes.py) behind both: the same things, by IRI."""
    async def check(client: httpx.AsyncClient) -> None:
        def iris(index: dict[str, object], key: str) -> set[str]:
            items = index["items"]
            assert isinstance(items, list)
            return {item[key]["iri"] for item in items}

        tables = {n: csv_rows((built.out / table_file(n)).read_bytes()) for n in TABLES}
        for name, key in (("actors", "iri"), ("figures", "figure"),
                          ("strength-positions", "iri")):
            index = (await client.get(f"/browse/{name}.json")).json()
            assert iris(index, key) == {r["iri"] for r in tables[name]}, name
        relations = (await client.get("/browse/relations.json")).json()["items"]
        assert {(r["source"]["iri"], r["relation"]["iri"], r["target"]["iri"])
                for r in relations} == {(r["source"], r["relation"], r["target"])
                                        for r in tables["relations"]}

    serve(built, check)


def test_the_metadata_names_the_licence_and_the_dataset(built: BuildResult) -> None:
    data = json.loads((built.out / TABLES_METADATA).read_text(encoding="utf-8"))
    assert data["@context"][0] == "http://www.w3.org/ns/csvw"
    assert data["dc:source"]["@id"].endswith("/id/dataset/vestlod")
    assert data["dc:license"]["@id"].startswith(
        "http://publications.europa.eu/resource/authority/licence/")
