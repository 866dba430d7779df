"""What a new reader meets first (issue #17, item 5): the home page and the query UI name the
server the reader is on, the introduction is said once, and years are not printed as "2,014".

In-process: the real build served by `create_app` through `httpx.ASGITransport`.
"""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal

import httpx

from publish.build.pipeline import BuildResult
from publish.server import create_app
from publish.server.describe import Description
from publish.server.pages.chart import chart, figure_row
from publish.server.pages.i18n import format_number
from publish.server.pages.links import Linker
from tests.conftest import project_settings

BASE = "https://w3id.org/vestlod/"
ORIGIN = "http://reader.example:8123"


def get_pages(built: BuildResult, *paths: str) -> list[httpx.Response]:
    settings = project_settings(dist_dir=built.out, query_workers=1, reload_interval=0)
    app = create_app(settings)

    async def run() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
                html = {"Accept": "text/html"}
                return [await client.get(p, headers=html) for p in paths]

    return asyncio.run(run())


def test_home_and_query_ui_name_the_server_the_reader_is_on(built: BuildResult) -> None:
    home_da, home_en, ui = get_pages(built, "/?lang=da", "/?lang=en", "/sparql")
    for page in (home_da, home_en):
        assert page.status_code == 200
        assert f"<code>{ORIGIN}/sparql</code>" in page.text
        assert f"{ORIGIN}/id/area/energiteknologi" in page.text  # the curl example
        assert f"<code>{BASE}sparql</code>" not in page.text
    assert ui.status_code == 200
    assert f"<code>{ORIGIN}/sparql</code>" in ui.text


def test_the_introduction_is_said_once(built: BuildResult) -> None:
    (home,) = get_pages(built, "/?lang=da")
    intro = re.search(r'<p class="intro">([^<]{40,})</p>', home.text)
    assert intro, "the home page has no introduction"
    visible = re.sub(r"<script.*?</script>|<meta[^>]*>", "", home.text, flags=re.S)
    assert visible.count(intro.group(1)[:60]) == 1


def test_years_are_not_grouped_like_quantities() -> None:
    assert format_number(Decimal(2014), "en", grouping=False) == "2014"
    assert format_number(Decimal(2014), "da", grouping=False) == "2014"
    assert format_number(Decimal(2014), "en") == "2,014"  # a count of 2014 things is grouped
    assert format_number(Decimal("1234567.5"), "da") == "1.234.567,5"


def test_a_figure_in_calendar_years_is_shown_as_a_year_and_kept_out_of_the_chart() -> None:
    links = Linker(BASE)
    fig, year_fig = BASE + "id/figure/a", BASE + "id/figure/b"
    nt = "\n".join([
        f'<{fig}> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> "2014"^^<http://www.w3.org/2001/XMLSchema#decimal> .',  # noqa: E501
        f"<{fig}> <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> <{BASE}id/unit/calendar-year> .",  # noqa: E501
        f'<{year_fig}> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> "12000"^^<http://www.w3.org/2001/XMLSchema#decimal> .',  # noqa: E501
        f"<{year_fig}> <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> <{BASE}id/unit/persons> .",  # noqa: E501
    ]) + "\n"
    desc = Description.parse(fig, nt.encode())
    year_row = figure_row(links, desc, fig, "en")
    count_row = figure_row(links, desc, year_fig, "en")
    assert year_row["shown"] == "2014"
    assert count_row["shown"] == "12,000"
    drawn = chart([year_row, count_row])
    assert drawn is not None
    assert [bar.shown for group in drawn.groups for bar in group.bars] == ["12,000"]


def test_an_area_page_lists_its_initiatives_beside_its_actors(built: BuildResult) -> None:
    """Since #15 an initiative is an activity, not an actor: it must not drop off the page."""
    (page,) = get_pages(built, "/doc/area/energiteknologi?lang=da")
    assert page.status_code == 200
    actors = page.text.split('<section class="actors">')[1].split("</section>")[0]
    activities = page.text.split('<section class="activities">')[1].split("</section>")[0]
    assert 'href="/doc/org/vestas?lang=da"' in actors
    assert 'href="/doc/initiative/nationalt-vindprogram?lang=da"' in activities
    assert "initiative/" not in actors
