"""Search for people who do not write SPARQL (issue #17, item 1).

It must find what people type — an inflected Danish form, an English word for a Danish concept,
a name as the annex spells it, a multi-word name — rank the thing itself before what mentions
it, page and filter, and answer bad input with a 400 or safe results, never a 5xx. In-process:
the real build served by `create_app` through `httpx.ASGITransport`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.server.conftest import InProcess

BASE = "https://w3id.org/vestlod/id/"


@pytest.fixture(scope="module")
def client(asgi_annex: InProcess) -> Iterator[httpx.Client]:
    """The real build served in-process (tests/server/conftest.py)."""
    with asgi_annex.client() as c:
        yield c


def search(client: httpx.Client, q: str, **params: Any) -> dict[str, Any]:
    r = client.get("/search", params={"q": q, **params},
                   headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def top(client: httpx.Client, q: str, n: int = 3, **params: Any) -> list[str]:
    return [hit["iri"].removeprefix(BASE) for hit in search(client, q, **params)["results"][:n]]


def test_json_results_in_rank_order_with_the_documented_fields(client: httpx.Client) -> None:
    data = search(client, "Danish Food Cluster")
    assert data["results"][0]["iri"] == BASE + "org/danish-food-cluster"
    for hit in data["results"]:
        assert set(hit) == {"iri", "label", "kind", "snippet", "score"}
    scores = [hit["score"] for hit in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert data["total"] == sum(data["kinds"].values())


@pytest.mark.parametrize(("typed", "expected"), [
    ("fødevareklyngen", "org/syddansk-foedevareklynge"),        # inflected Danish (definite)
    ("robotter", "resource/robotteknologi"),                    # Danish plural
    ("wind energy", "strength-position/vindenergi"),            # English for a Danish concept
    ("Aalborg Universitet", "org/aalborg-universitet"),          # a multi-word name
    ("Offshoreenergy.dk", "org/offshoreenergy-dk"),              # a dotted name
    ("vestas", "org/vestas"),                                    # case does not matter
])
def test_finds_what_people_type(client: httpx.Client, typed: str, expected: str) -> None:
    assert expected in top(client, typed), (typed, top(client, typed, 8))


def test_a_name_as_the_annex_spells_it_finds_the_thing(client: httpx.Client) -> None:
    # The annex writes "BioMedCommunity" in one place and "BioMed Community" in another.
    assert "org/biomed-community" in top(client, "BioMedCommunity")


def test_snippets_are_escaped_with_the_match_marked(client: httpx.Client) -> None:
    hit = search(client, "fødevareklynge")["results"][0]
    assert "<mark>" in hit["snippet"]
    data = search(client, "<script>alert(1)</script> vestas")
    assert all("<script>" not in h["snippet"] for h in data["results"])


def test_kind_filter_and_paging(client: httpx.Client) -> None:
    everything = search(client, "region", per_page=50)
    orgs = search(client, "region", kind="org", per_page=50)
    assert orgs["total"] == everything["kinds"]["org"]
    assert {h["kind"] for h in orgs["results"]} == {"org"}
    first, second = search(client, "region", per_page=5), search(client, "region", per_page=5,
                                                                 page=2)
    assert first["total"] > 5
    ids1 = [h["iri"] for h in first["results"]]
    ids2 = [h["iri"] for h in second["results"]]
    assert len(ids1) == 5
    assert not set(ids1) & set(ids2)
    assert ids1 + ids2 == [h["iri"] for h in everything["results"][:10]]


@pytest.mark.parametrize("params", [
    {"q": ""},                                  # JSON needs something to search for
    {"q": "x" * 201},                           # longer than any name
    {"q": "vind", "page": "0"},
    {"q": "vind", "per_page": "500"},
    {"q": "vind", "kind": "org; DROP TABLE doc"},
    {"q": "vind", "format": "xml"},
])
def test_bad_input_is_a_400_with_a_message(client: httpx.Client, params: dict[str, str]) -> None:
    r = client.get("/search", params={"format": "json", **params})
    assert r.status_code == 400, r.text
    assert r.text.strip()


@pytest.mark.parametrize("q", [
    'vind AND NEAR(x y) OR "', "*", "vind*", "^vind", "name:vind", "NOT", "(((", "'; --",
    "🙂", "ø" * 200,
])
def test_operators_and_odd_input_are_only_words(client: httpx.Client, q: str) -> None:
    r = client.get("/search", params={"q": q, "format": "json"})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["results"], list)


def test_html_page_with_results_filters_and_a_labelled_box(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "vind", "lang": "da"}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<label for="search-q">' in page and 'id="search-q"' in page
    best = search(client, "vind", lang="da")["results"][0]["iri"].removeprefix(BASE)
    assert f'href="/doc/{best}?lang=da"' in page  # the same first result, linked to its page
    assert "<mark>" in page
    assert 'rel="next"' in page  # more than one page of "vind"
    empty = client.get("/search", headers={"Accept": "text/html"})
    assert empty.status_code == 200  # the search page itself, with the box and a hint


def test_every_page_has_a_search_box(client: httpx.Client) -> None:
    for path in ("/", "/doc/area/energiteknologi", "/doc/org/vestas", "/dumps/"):
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200, path
        assert 'role="search" action="/search"' in r.text, path
        assert '<label for="site-search"' in r.text, path


def test_results_link_to_pages_that_exist(client: httpx.Client) -> None:
    for hit in search(client, "energi", per_page=10)["results"]:
        path = "/doc/" + hit["iri"].removeprefix(BASE)
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path


def test_suggest_completes_names_from_their_first_letters(client: httpx.Client) -> None:
    r = client.get("/search/suggest", params={"q": "aalb"})
    assert r.status_code == 200
    found = [s["iri"] for s in r.json()["suggestions"]]
    assert BASE + "org/aalborg-universitet" in found
    assert all(s["kind"] not in ("sentence", "relation") for s in r.json()["suggestions"])
    assert client.get("/search/suggest", params={"q": ""}).json()["suggestions"] == []


def test_the_openapi_document_describes_search_from_its_models(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    params = {p["name"] for p in doc["paths"]["/search"]["get"]["parameters"]}
    assert {"q", "kind", "page", "per_page"} <= params
    assert "Hit" in doc["components"]["schemas"]
