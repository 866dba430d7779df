"""Index pages, their CSV and JSON, the network view and the accessibility statement (issue #17,
items 2, 4 and 6), in-process over the real build (`create_app` + `httpx.ASGITransport`).

What a reader relies on: every actor, figure, strength position, challenge, focus area and
relation of the store is listed (counted against the store itself, not against numbers written
here); a facet narrows the list and its counts say how many remain; the figures sort by any
column; CSV, JSON and HTML of one index hold the same items; the network lists the same
relations as the index and its filters narrow them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from tests.server.conftest import InProcess

VL = "https://w3id.org/vestlod/def/vestlod#"
INDEXES = ("actors", "figures", "strength-positions", "challenges", "focus-areas", "relations")


@pytest.fixture(scope="module")
def client(asgi_annex: InProcess) -> Iterator[httpx.Client]:
    """The real build served in-process (tests/server/conftest.py)."""
    with asgi_annex.client() as c:
        yield c


def as_json(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    r = client.get(path + ".json", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    data: dict[str, Any] = r.json()
    return data


def count(store: ox.Store, query: str) -> int:
    prologue = f"PREFIX vl: <{VL}>\n"
    rows = list(store.query(prologue + query, use_default_graph_as_union=True))
    return int(rows[0][0].value)


def test_the_home_page_links_every_index_and_the_network(client: httpx.Client) -> None:
    for lang in ("da", "en"):
        page = client.get("/", params={"lang": lang}).text
        for name in INDEXES:
            assert f'href="/browse/{name}?lang={lang}"' in page
        assert f'href="/network?lang={lang}"' in page


@pytest.mark.parametrize(("index", "cls"), [
    ("actors", "Actor"), ("strength-positions", "StrengthPosition"),
    ("challenges", "Challenge"), ("focus-areas", "FocusArea"),
])
def test_every_instance_in_the_store_is_listed(client: httpx.Client, store: ox.Store, index: str,
                                               cls: str) -> None:
    expected = count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a vl:{cls} }}")
    data = as_json(client, f"/browse/{index}")
    iris = {item["iri"]["iri"] for item in data["items"]}
    assert expected > 0
    assert data["total"] == expected
    assert len(iris) == expected


def test_every_figure_is_a_row_and_its_value_a_number(client: httpx.Client, store: ox.Store) -> None:
    expected = count(store, "PREFIX qb: <http://purl.org/linked-data/cube#>\n"
                     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a qb:Observation }")
    data = as_json(client, "/browse/figures")
    assert data["total"] == len(data["items"]) == expected
    value = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
    assert value in [c["key"] for c in data["columns"]]
    assert all(isinstance(i[value], (int, float)) for i in data["items"] if i[value] is not None)


def test_relations_are_the_statements_of_every_relation_type(client: httpx.Client,
                                                             store: ox.Store) -> None:
    expected = count(store, """SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?t ?o {
        ?t a vl:RelationType ; vl:property ?p . ?s ?p ?o . ?s a vl:Actor . ?o a vl:Actor } }""")
    data = as_json(client, "/browse/relations")
    assert data["total"] == len(data["items"]) == expected > 0


def test_a_facet_narrows_the_actors_and_its_counts_say_how_many(client: httpx.Client) -> None:
    everyone = as_json(client, "/browse/actors")
    for facet in ("type", "area", "region"):
        values = everyone["facets"][facet]
        assert values, f"no values for the {facet} facet"
        top = values[0]
        narrowed = as_json(client, "/browse/actors", **{facet: top["iri"]})
        assert narrowed["count"] == top["count"] < everyone["count"]
        for item in narrowed["items"]:
            assert top["iri"] in [v["iri"] for v in item[facet]]
        chosen = [v for v in narrowed["facets"][facet] if v["selected"]]
        assert [v["iri"] for v in chosen] == [top["iri"]]
        # a facet's own counts ignore its own choice, so the other values stay choosable
        assert {v["iri"]: v["count"] for v in narrowed["facets"][facet]} == {
            v["iri"]: v["count"] for v in values}


def test_two_facets_combine(client: httpx.Client) -> None:
    everyone = as_json(client, "/browse/actors")
    area = everyone["facets"]["area"][0]["iri"]
    by_area = as_json(client, "/browse/actors", area=area)
    kind = by_area["facets"]["type"][0]
    both = as_json(client, "/browse/actors", area=area, type=kind["iri"])
    assert both["count"] == kind["count"] <= by_area["count"]


def test_the_facets_are_links_on_the_html_page(client: httpx.Client) -> None:
    page = client.get("/browse/actors", params={"lang": "en"}).text
    assert "<h2 id=\"facet-type\">Type</h2>" in page
    assert "<h2 id=\"facet-area\">Business area</h2>" in page
    assert "<h2 id=\"facet-region\">Region</h2>" in page
    assert page.count("<tr>") - 1 == as_json(client, "/browse/actors")["count"]
    assert 'href="/doc/org/aalborg-universitet?lang=en"' in page


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_figures_sort_by_value_on_the_server(client: httpx.Client, order: str) -> None:
    value = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
    data = as_json(client, "/browse/figures", sort=value, order=order)
    values = [i[value] for i in data["items"] if i[value] is not None]
    assert len(values) > 10
    assert values == sorted(values, reverse=order == "desc")
    page = client.get("/browse/figures", params={"sort": value, "order": order}).text
    expected = "ascending" if order == "asc" else "descending"
    assert re.search(rf'<th scope="col" class="num" aria-sort="{expected}">', page)


def test_figures_sort_by_label_by_default(client: httpx.Client) -> None:
    data = as_json(client, "/browse/figures", lang="en")
    labels = [i["figure"]["label"]["en"].lower() for i in data["items"]]
    assert labels == sorted(labels)


def test_csv_json_and_html_hold_the_same_items(client: httpx.Client) -> None:
    for index in INDEXES:
        data = as_json(client, f"/browse/{index}")
        r = client.get(f"/browse/{index}.csv", params={"lang": "en"})
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert len(rows) - 1 == data["count"], index
        assert all(len(row) == len(rows[0]) for row in rows)
        iri_column = rows[0].index("iri") if "iri" in rows[0] else None
        if iri_column is not None:
            first_key = data["columns"][0]["key"]
            assert {row[iri_column] for row in rows[1:]} == {
                i[first_key]["iri"] for i in data["items"]}


def test_accept_negotiates_the_form_and_a_suffix_beats_it(client: httpx.Client) -> None:
    as_csv = client.get("/browse/challenges", headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    as_json_ = client.get("/browse/challenges", headers={"Accept": "application/json"})
    assert as_json_.headers["content-type"].startswith("application/json")
    browser = client.get("/browse/challenges", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")
    suffix = client.get("/browse/challenges.json", headers={"Accept": "text/csv"})
    assert suffix.headers["content-type"].startswith("application/json")
    assert "Accept" in as_csv.headers["vary"]
    assert client.get("/browse/challenges", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", ["/browse/people", "/browse/actors.xml", "/browse/actors.csv.json",
                                  "/browse/", "/browse/ACTORS"])
def test_unknown_indexes_and_forms_are_404(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("params", [{"type": "not an iri"}, {"area": "javascript:alert(1)"},
                                    {"sort": "nope"}, {"order": "sideways"}])
def test_bad_parameters_are_400_not_500(client: httpx.Client, params: dict[str, str]) -> None:
    path = "/browse/figures" if "sort" in params or "order" in params else "/browse/actors"
    assert client.get(path, params=params).status_code == 400
    if "area" in params:
        assert client.get("/network", params=params).status_code == 400


def test_a_second_request_is_a_304(client: httpx.Client) -> None:
    first = client.get("/browse/focus-areas.json")
    again = client.get("/browse/focus-areas.json", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


# ---- the network ---------------------------------------------------------------------------


def _list_rows(page: str) -> int:
    table = page.split('class="index relations"', 1)[1].split("</table>", 1)[0]
    return table.count("<tr>") - 1


def test_the_network_lists_the_same_relations_as_the_index(client: httpx.Client) -> None:
    page = client.get("/network", params={"lang": "da"}).text
    data = as_json(client, "/browse/relations")
    assert _list_rows(page) == data["count"]
    graph = page.split('<script id="network-data" type="application/json">', 1)
    if len(graph) == 2:  # the diagram's data is there when cytoscape is installed
        assert graph[1].count('"source"') == data["count"]


def test_the_network_filters_by_relation_type_and_area(client: httpx.Client) -> None:
    everything = _list_rows(client.get("/network").text)
    relations = as_json(client, "/browse/relations")["items"]
    kind = relations[0]["relation"]["iri"]
    expected = sum(1 for r in relations if r["relation"]["iri"] == kind)
    assert _list_rows(client.get("/network", params={"relation": kind}).text) == expected
    area = as_json(client, "/browse/actors")["facets"]["area"][0]["iri"]
    by_area = _list_rows(client.get("/network", params={"area": area}).text)
    assert 0 < by_area < everything
    page = client.get("/network", params={"relation": kind, "lang": "en"}).text
    assert f'<option value="{kind}" selected>' in page


def test_the_network_works_without_the_library(client: httpx.Client) -> None:
    # the in-process app runs from the repository: the library is there if make setup ran
    page = client.get("/network").text
    assert ('id="network-missing"' in page) != ('src="/static/lib/cytoscape/' in page)


# ---- the accessibility statement -----------------------------------------------------------


def test_the_accessibility_statement_in_both_languages(client: httpx.Client) -> None:
    da = client.get("/accessibility", params={"lang": "da"}).text
    en = client.get("/accessibility", params={"lang": "en"}).text
    assert "<h1>Tilgængelighedserklæring</h1>" in da and 'lang="da"' in da
    assert "<h1>Accessibility statement</h1>" in en and 'lang="en"' in en
    assert "WCAG 2.1" in da and "WCAG 2.1" in en


@pytest.mark.parametrize("path", ["/", "/browse/actors", "/network", "/search?q=vind",
                                  "/doc/org/aalborg-universitet", "/def/vestlod", "/dumps/",
                                  "/sparql"])
def test_every_page_links_the_statement_from_its_footer(client: httpx.Client, path: str) -> None:
    page = client.get(path, headers={"Accept": "text/html"}).text
    footer = page.rsplit("<footer", 1)[1]
    assert 'href="/accessibility?lang=' in footer


def test_calendar_years_are_not_grouped_but_amounts_are(client: httpx.Client) -> None:
    page = client.get("/browse/figures", params={"lang": "da"}).text
    # years (the reference period since #15 made year-valued figures dates) are not grouped
    assert '<td><span>2014</span></td>' in page and "2.014" not in page
    assert '<td class="num"><span>366.000.000.000</span></td>' in page


def test_figures_and_concepts_are_faceted_by_business_area(client: httpx.Client) -> None:
    for index in ("figures", "strength-positions", "challenges", "focus-areas"):
        everything = as_json(client, f"/browse/{index}")
        areas = everything["facets"]["area"]
        assert sum(a["count"] for a in areas) == everything["count"], index
        chosen = areas[-1]
        narrowed = as_json(client, f"/browse/{index}", area=chosen["iri"])
        assert narrowed["count"] == chosen["count"] < everything["count"]
    figures = as_json(client, "/browse/figures")
    indicator = figures["facets"]["indicator"][0]
    assert as_json(client, "/browse/figures", indicator=indicator["iri"])["count"] == \
        indicator["count"]


def test_sorting_keeps_the_facet_choice(client: httpx.Client) -> None:
    area = as_json(client, "/browse/figures")["facets"]["area"][0]["iri"]
    page = client.get("/browse/figures", params={"area": area, "lang": "en"}).text
    sort_links = re.findall(r'<th scope="col"[^>]*><a href="([^"]+)"', page)
    assert sort_links and all("area=" in link for link in sort_links)


def test_a_note_in_the_other_language_is_marked_with_it(client: httpx.Client) -> None:
    page = client.get("/browse/strength-positions", params={"lang": "en"}).text
    assert '<span lang="da">' in page  # the annex's Danish words on an English page
    data = as_json(client, "/browse/strength-positions")
    assert all(isinstance(i["note"], (str, type(None))) for i in data["items"])


def test_every_node_of_the_network_links_its_page(client: httpx.Client) -> None:
    page = client.get("/network", params={"lang": "en"}).text
    parts = page.split('<script id="network-data" type="application/json">', 1)
    if len(parts) == 1:
        pytest.skip("cytoscape not installed (make setup): the page has the list only")
    graph = json.loads(parts[1].split("</script>", 1)[0])
    assert len(graph["nodes"]) > 10
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    for node in graph["nodes"][:: max(1, len(graph["nodes"]) // 8)]:
        assert node["href"].startswith("/doc/") and node["href"].endswith("?lang=en")
        assert client.get(node["href"]).status_code == 200, node


def test_an_area_page_links_its_actors_and_figures_as_tables(client: httpx.Client) -> None:
    page = client.get("/doc/area/energiteknologi", params={"lang": "en"}).text
    links = re.findall(r'href="(/browse/(?:actors|figures)\?area=[^"]+)"', page)
    assert len(links) == 2
    for link in links:
        r = client.get(link.replace("&amp;", "&"))
        assert r.status_code == 200
        assert 'aria-current="true" class="selected">Energy technology' in r.text
    shown = int(re.search(r"<h2>Actors \((\d+)\)</h2>", page).group(1))  # type: ignore[union-attr]
    table = as_json(client, "/browse/actors", area="https://w3id.org/vestlod/id/area/energiteknologi")
    assert table["count"] == shown


def test_the_legend_names_each_relation_type_drawn(client: httpx.Client) -> None:
    page = client.get("/network", params={"lang": "en"}).text
    if 'id="network-data"' not in page:
        pytest.skip("cytoscape not installed (make setup): no diagram, no legend")
    legend = page.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    kinds = {i["relation"]["label"]["en"] for i in as_json(client, "/browse/relations")["items"]}
    assert legend.count("<li>") == len(kinds)
    assert all(f"</span>{k}</li>" in legend for k in kinds)
