"""/catalog by W3C Content Negotiation by Profile, HEAD on every published URL, and the MQA
scores the catalog publishes checked against the running server (in-process, issue 18)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, FOAF

from publish.build.mqa import assess_with, read_measurements, rounded
from publish.build.pipeline import BuildResult
from publish.profiles import DCAT_AP_2, DCAT_AP_3, DCAT_AP_DK, PROFILES
from tests.dcat_ap import VOCABULARY
from tests.dcat_ap_dk import dk_results, split_pattern_defect
from tests.server.conftest import serve_dist

BASE = "https://w3id.org/vestlod/"
Step = Callable[[httpx.AsyncClient], Awaitable[None]]


def serve(built: BuildResult, tmp: Path, step: Step) -> None:
    serve_dist(built.out, step, ui_assets_dir=tmp / "no-ui")


def local(url: str) -> str:
    assert url.startswith(BASE), url
    return "/" + url[len(BASE):]


def test_profiles_by_header_and_query_string(built: BuildResult, tmp_path: Path) -> None:
    async def step(client: httpx.AsyncClient) -> None:
        default = await client.get("/catalog")
        assert default.status_code == 200
        assert default.headers["content-profile"] == f"<{DCAT_AP_3.uri}>"
        assert default.content == (built.out / "catalog.ttl").read_bytes()
        assert "Accept-Profile" in default.headers["vary"]
        for profile in PROFILES:
            by_header = await client.get("/catalog",
                                         headers={"Accept-Profile": f"<{profile.uri}>"})
            by_token = await client.get("/catalog", params={"_profile": profile.token})
            for r in (by_header, by_token):
                assert r.status_code == 200, r.text
                assert r.content == (built.out / profile.file).read_bytes()
                assert r.headers["content-profile"] == f"<{profile.uri}>"
                assert f'<{profile.uri}>; rel="profile"' in r.headers["link"]
                others = [p for p in PROFILES if p is not profile]
                for other in others:
                    assert f"_profile={other.token}>" in r.headers["link"]
        # q-values decide; an unknown profile is passed over
        mixed = await client.get("/catalog", headers={"Accept-Profile": (
            f"<https://example.org/nope>, <{DCAT_AP_DK.uri}>;q=0.5, <{DCAT_AP_2.uri}>;q=0.9")})
        assert mixed.headers["content-profile"] == f"<{DCAT_AP_2.uri}>"
        unknown = await client.get("/catalog",
                                   headers={"Accept-Profile": "<https://example.org/nope>"})
        assert unknown.status_code == 200
        assert unknown.headers["content-profile"] == f"<{DCAT_AP_3.uri}>"
        # another format of a profile's file: the same graph
        dk_xml = await client.get("/catalog", params={"_profile": "dcat-ap-dk"},
                                  headers={"Accept": "application/rdf+xml"})
        assert dk_xml.headers["content-type"].startswith("application/rdf+xml")
        assert len(Graph().parse(data=dk_xml.content, format="xml")) == len(
            Graph().parse(built.out / DCAT_AP_DK.file))
        bad = await client.get("/catalog", params={"_profile": "dcat-ap-xx"})
        assert bad.status_code == 406 and "dcat-ap-dk" in bad.text

    serve(built, tmp_path, step)


def test_profile_list(built: BuildResult, tmp_path: Path) -> None:
    async def step(client: httpx.AsyncClient) -> None:
        r = await client.get("/catalog", params={"_profile": "alt"})
        assert r.status_code == 200
        g = Graph().parse(data=r.text, format="turtle")
        prof = "http://www.w3.org/ns/dx/prof/"
        tokens = {str(t) for t in g.objects(None, URIRef(prof + "hasToken"))}
        assert tokens == {p.token for p in PROFILES}

    serve(built, tmp_path, step)


def test_served_dk_catalog_has_no_violation_but_the_shapes_defect(
        built: BuildResult, tmp_path: Path) -> None:
    """Acceptance of issue 18: `Accept-Profile: <…dcat-ap-dk-2.0.2/>` gives a catalog with 0
    violations of the official DK shapes (EU tables merged), the shapes' own language-pattern
    defect reported apart."""
    bodies: list[bytes] = []

    async def step(client: httpx.AsyncClient) -> None:
        r = await client.get("/catalog", headers={"Accept-Profile": f"<{DCAT_AP_DK.uri}>"})
        bodies.append(r.content)

    serve(built, tmp_path, step)
    vocabulary = Graph().parse(VOCABULARY, format="turtle")
    results = dk_results(Graph().parse(data=bodies[0], format="turtle"), vocabulary)
    defect, rest = split_pattern_defect(results)
    violations = [r for r in rest if r.severity == "Violation"]
    assert not violations, "\n".join(map(str, violations))
    assert defect  # the defect is reported apart, not hidden by leaving out the languages


def published_urls(g: Graph) -> set[str]:
    """Every URL under the base IRI the catalog sends people or machines to."""
    props = (DCAT.downloadURL, DCAT.accessURL, DCAT.landingPage, DCAT.endpointURL,
             DCAT.endpointDescription, FOAF.homepage)
    return {str(o) for p in props for o in g.objects(None, p) if str(o).startswith(BASE)}


def test_head_answers_200_on_every_published_url(built: BuildResult, tmp_path: Path) -> None:
    g = Graph().parse(built.out / "catalog.ttl")
    urls = published_urls(g)
    assert {BASE + "sparql", BASE + "dumps/vestlod-foedevarer.ttl", BASE + "doc/area/foedevarer",
            BASE} <= urls

    async def step(client: httpx.AsyncClient) -> None:
        for url in sorted(urls) + [BASE + "catalog"]:
            head = await client.head(local(url))
            assert head.status_code == 200, (url, head.status_code, head.text)

    serve(built, tmp_path, step)


def test_published_mqa_scores_hold_against_the_running_server(
        built: BuildResult, tmp_path: Path) -> None:
    """The build predicts each URL's HEAD answer; the server must give it, and every dataset
    must rate Excellent."""
    g = Graph().parse(built.out / "catalog.ttl")
    urls = {str(o) for p in (DCAT.accessURL, DCAT.downloadURL) for o in g.objects(None, p)}
    status: dict[str, int] = {}

    async def step(client: httpx.AsyncClient) -> None:
        for url in sorted(urls):
            status[url] = (await client.head(local(url))).status_code

    serve(built, tmp_path, step)
    measured = assess_with(g, lambda url: 200 <= status.get(url, 0) < 400, violating=set())
    published = read_measurements(g, BASE)
    assert set(published) == set(measured) and len(measured) == 5
    for ds, score in measured.items():
        assert published[ds]["score"] == str(rounded(score.total)), ds
        assert published[ds]["rating"] == score.rating == "Excellent", ds


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_head_sparql_is_get_without_a_body(built: BuildResult, tmp_path: Path,
                                           path: str) -> None:
    async def step(client: httpx.AsyncClient) -> None:
        get = await client.get(path, headers={"Accept": "text/turtle"})
        head = await client.head(path, headers={"Accept": "text/turtle"})
        assert head.status_code == get.status_code == 200
        assert head.headers["content-type"] == get.headers["content-type"]
        post = await client.post(path, content=b"", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert post.status_code == 400  # a POST without a query is still a bad request

    serve(built, tmp_path, step)
