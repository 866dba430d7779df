"""HTML pages: escaping, languages, the area chart, the highlighted quote, the linked annex,
alternate links and schema.org JSON-LD; plus the pure helpers behind them. In-process
(conftest `InProcess`): a page is the app's answer, not the process's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from publish.server.pages import align, choose_lang, format_number, locate, normalise
from tests.server.conftest import InProcess, fixture_trig, start_in_process

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """The small fixture dataset with a label that tries to inject a script."""
    trig = fixture_trig(3).replace('"Aktør 1"@da', f'"{EVIL.replace(chr(34), chr(92) + chr(34))}"@da')
    app = start_in_process(Path(tmp_path_factory.mktemp("evil")), trig)
    yield app
    app.close()


@pytest.fixture(scope="module")
def http(asgi_annex: InProcess) -> Iterator[httpx.Client]:
    with asgi_annex.client() as c:
        yield c


def jsonld_blocks(html: str) -> list[dict[str, object]]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in found]


def test_a_script_label_renders_as_text(evil_server: InProcess) -> None:
    with evil_server.client() as c:
        html = c.get("/doc/actor/a1", params={"lang": "da"}).text
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    # the JSON-LD block carries the label too, with '<' escaped so it cannot close the script
    (block,) = jsonld_blocks(html)
    assert block["name"] == EVIL
    assert "<script>alert" not in html.split('application/ld+json">', 1)[1].split("</script>")[0]


@pytest.mark.parametrize(
    ("param", "header", "expected"),
    [
        (None, None, "da"),
        (None, "en-GB,en;q=0.9", "en"),
        (None, "de, en;q=0.5, da;q=0.4", "en"),
        (None, "da;q=0.3, en;q=0.8", "en"),
        ("da", "en", "da"),
        ("en", "da", "en"),
        ("xx", "en", "en"),
        (None, "fr", "da"),
    ],
)
def test_choose_lang(param: str | None, header: str | None, expected: str) -> None:
    assert choose_lang(param, header) == expected


def test_language_follows_accept_language_and_the_switch(http: httpx.Client) -> None:
    en = http.get("/doc/area/foedevarer", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in en.text and "<h1>Food</h1>" in en.text
    assert "Accept-Language" in en.headers["vary"]
    da = http.get("/doc/area/foedevarer", params={"lang": "da"}, headers={"Accept-Language": "en"})
    assert '<html lang="da">' in da.text and "<h1>Fødevarer</h1>" in da.text
    assert 'href="/doc/area/foedevarer?lang=en"' in da.text  # the visible switch


def test_every_page_links_its_rdf_and_carries_schema_org(http: httpx.Client) -> None:
    for path in ("/doc/area/energiteknologi", "/doc/org/aalborg-universitet",
                 "/doc/figure/andel-af-industrieksport-vestdanmark", "/def/vestlod",
                 "/doc/document/bilag-styrket-vestdansk-samarbejde", "/doc/unit/dkk"):
        html = http.get(path).text
        for media, suffix in (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
                              ("application/rdf+xml", ".rdf"),
                              ("application/n-triples", ".nt")):
            assert f'<link rel="alternate" type="{media}" href="{path}{suffix}"' in html, path
        (block,) = jsonld_blocks(html)
        assert block["@context"] == "https://schema.org" and block["@type"], path
    for path in ("/", "/dumps/", "/doc/org/nope"):
        assert jsonld_blocks(http.get(path).text), path


def test_business_area_page_has_chart_table_and_lists(http: httpx.Client) -> None:
    html = http.get("/doc/area/energiteknologi", params={"lang": "en"}).text
    svg = html.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    bars = re.findall(r"<rect ", svg)
    rows = re.findall(r'<td class="num">', html)
    # years are dates on what they date, no longer figures (#15); a range (10-15 pct.) is in
    # the table with its bounds and never drawn as one bar
    assert html.count("/unit/calendar-year") == 0
    ranges = len(re.findall(r'<td class="num">[^<]*–[^<]*</td>', html))
    assert ranges == 1
    assert len(bars) >= 5 and len(bars) == len(rows) - ranges
    assert "Wind energy" in html  # strength position
    assert "Strength positions" in html and "Challenges" in html and "Actors" in html
    assert 'href="/doc/org/' in html.split("Actors", 1)[1]


def test_organisation_page_highlights_the_quoted_sentence(http: httpx.Client) -> None:
    html = http.get("/doc/org/aalborg-universitet", params={"lang": "en"}).text
    assert '<mark class="mention">Aalborg Universitet</mark>' in html
    assert '<mark class="sentence">Flere nordjyske aktører, herunder </mark>' in html
    assert "https://ror.org/04m5j1k67" in html and "Wikidata" in html
    assert 'href="/doc/area/foedevarer?lang=en"' in html
    assert "member of Danish Food Cluster" in html


def test_figure_page_shows_value_unit_and_source(http: httpx.Client) -> None:
    html = http.get("/doc/figure/andel-af-industrieksport-vestdanmark", params={"lang": "da"}).text
    assert 'class="value">0,667' in html
    assert "Knap 2/3" in html
    assert '<mark class="mention">' in html


def test_annex_is_readable_with_linked_mentions(http: httpx.Client) -> None:
    html = http.get("/doc/document/bilag-styrket-vestdansk-samarbejde").text
    links = re.findall(r'<a class="mention" href="(/doc/[^"?]+)', html)
    assert len(links) > 200
    assert "/doc/org/aalborg-universitet" in links
    assert ">Aalborg Universitet</a>" in html
    assert "føde-\n" not in html and "<h2" in html


def test_home_and_ontology_pages(http: httpx.Client) -> None:
    home = http.get("/", params={"lang": "en"}).text
    assert "/sparql" in home and "/dumps/" in home and "/catalog" in home
    assert "Energy technology" in home and "<details>" in home
    onto = http.get("/def/vestlod", params={"lang": "da"}).text
    assert 'id="Actor"' in onto and "Begrebssystemer" in onto


def test_normalise_joins_line_break_hyphens_only_inside_words() -> None:
    assert normalise("føde-\nvarer") == "fødevarer"
    assert normalise("test sites og -\nfaciliteter") == "test sites og -faciliteter"
    assert normalise(" a \n\n b ") == "a b"


def test_align_maps_raw_offsets_onto_normalised_text() -> None:
    raw = "Den føde-\nvare  klynge"
    norm = normalise(raw)
    mapping = align(raw, norm)
    start, end = raw.index("føde"), raw.index("klynge") + len("klynge")
    assert norm[mapping[start]:mapping[end]] == "fødevare klynge"


def test_locate_prefers_the_occurrence_nearest_the_offset() -> None:
    text = "AAU og AAU og AAU"
    assert locate("AAU", text, 8) == (7, 10)
    assert locate("AAU", text, 100) == (14, 17)
    assert locate("SDU", text, 0) is None


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [("152000000000", "da", "152.000.000.000"), ("152000000000", "en", "152,000,000,000"),
     ("0.666667", "da", "0,667"), ("8500", "en", "8,500"), ("2.5", "da", "2,5")],
)
def test_format_number(value: str, lang: str, shown: str) -> None:
    assert format_number(Decimal(value), lang) == shown
