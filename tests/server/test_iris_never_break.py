"""URIs never break (#15): every IRI published before still answers 200, 301 or 410.

`tests/fixtures/iris-before-*.txt` are records of what was published: every subject IRI of the
last build before #15 (`iris-before-15.txt`) and before its pass 5 (`iris-before-pass-5.txt`;
add a record whenever curated data changes kind or identity). Each is
asked of the real build, served in-process: an ``/id/`` IRI must answer 303 to a document that
answers 200, or 301 to a URL that (after its own 303) answers 200, or 410; any other IRI
(``/def/vestlod``, ``/graph/…``) 200, 301 or 410 itself. An IRI the new data no longer
describes fails here until `data/retired.csv` says where it went or why it is gone.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from publish.build.pipeline import BuildResult
from publish.build.retired import Tombstone
from publish.server import create_app
from tests.conftest import project_settings
from tests.server.conftest import BASE
from tests.server.test_retired import GONE, MOVED, serve, trig_with

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BEFORE = FIXTURES / "iris-before-15.txt"


def record(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def published_before() -> list[str]:
    """Every IRI of every record, once."""
    return sorted({iri for path in FIXTURES.glob("iris-before-*.txt") for iri in record(path)})


async def outcome(client: httpx.AsyncClient, path: str) -> str | None:
    """None when ``path`` answers as a published IRI must, else what went wrong."""
    answer = await client.get(path)
    hops = [f"{answer.status_code} {path}"]
    for _ in range(3):  # 301 then 303 at most; a longer chain is a failure
        if answer.status_code in (200, 410) and len(hops) == 1:
            return None
        if answer.status_code == 200:
            return None
        if answer.status_code not in (301, 303):
            break
        if answer.status_code == 303 and len(hops) == 1 and not path.startswith("/id/"):
            break
        location = answer.headers["location"]
        answer = await client.get(location)
        hops.append(f"{answer.status_code} {location}")
    return " → ".join(hops)


def test_the_fixtures_are_records_of_what_was_published() -> None:
    records = sorted(FIXTURES.glob("iris-before-*.txt"))
    assert [p.name for p in records] == ["iris-before-15.txt", "iris-before-pass-5.txt"]
    for path in records:
        iris = record(path)
        assert iris == sorted(set(iris)) and len(iris) > 1000, path.name
        assert all(iri.startswith(BASE) and "#" not in iri for iri in iris), path.name


def test_every_iri_published_before_answers(built: BuildResult, tmp_path: Path) -> None:
    settings = project_settings(dist_dir=built.out, query_workers=1, reload_interval=0,
                                ui_assets_dir=tmp_path / "no-ui")
    app = create_app(settings)
    failures: list[str] = []

    async def run() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                for iri in published_before():
                    problem = await outcome(client, "/" + iri[len(BASE):])
                    if problem is not None:
                        failures.append(problem)

    asyncio.run(run())
    assert failures == [], (f"{len(failures)} IRIs published before no longer answer "
                            "200/301/410; retire them in data/retired.csv:\n"
                            + "\n".join(failures))


def test_the_walk_accepts_exactly_200_301_to_200_and_410(tmp_path: Path) -> None:
    """The judge itself, on the small fixture with one moved and one gone IRI."""
    dangling = Tombstone(8, "id/actor/dangling", "id/actor/gone", GONE.reason)

    async def check(client: httpx.AsyncClient, app: object) -> None:
        assert await outcome(client, "/id/actor/a1") is None  # 303 → 200
        assert await outcome(client, "/doc/actor/a1.ttl") is None  # 200
        assert await outcome(client, "/id/actor/old-a1") is None  # 301 → 303 → 200
        assert await outcome(client, "/doc/actor/old-a1") is None  # 301 → 200
        assert await outcome(client, "/id/actor/gone") is None  # 410
        assert await outcome(client, "/id/actor/never-was") == "404 /id/actor/never-was"
        assert await outcome(client, "/id/actor/dangling") == (  # a 301 must end in a 200
            "301 /id/actor/dangling → 410 /id/actor/gone")

    serve(tmp_path, trig_with(MOVED, GONE, dangling), check)


def test_a_named_graph_iri_answers_with_its_description(tmp_path: Path) -> None:
    """The graph IRIs were subjects of the data before #15 (their provenance) but had no route."""
    trig = trig_with() + (
        f"<{BASE}graph/provenance> {{ <{BASE}graph/data> "
        f"<http://www.w3.org/ns/prov#wasDerivedFrom> <{BASE}id/actor/a1> . }}\n")

    async def check(client: httpx.AsyncClient, app: object) -> None:
        page = await client.get("/graph/data", headers={"Accept": "text/html"})
        assert page.status_code == 200 and f"{BASE}graph/data" in page.text
        ttl = await client.get("/graph/data.ttl")
        assert ttl.status_code == 200 and "wasDerivedFrom" in ttl.text
        assert (await client.get("/graph/data", headers={"Accept": "text/turtle"})).headers[
            "content-location"] == "/graph/data.ttl"
        for missing in ("/graph/nothing", "/graph/data.exe", "/graph/Data", "/graph/a/b"):
            assert (await client.get(missing)).status_code == 404, missing

    serve(tmp_path, trig, check)
