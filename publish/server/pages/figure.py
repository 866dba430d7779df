"""A figure: its value in the page's language, unit, qualifier, indicator and business areas."""

from __future__ import annotations

from typing import Any

from publish.server.describe import Description
from publish.server.pages.chart import figure_row
from publish.server.pages.links import Linker

TEMPLATE = "figure.html"


def build(links: Linker, desc: Description, s: str, lang: str,
          page: dict[str, Any]) -> dict[str, Any]:
    return {
        "figure": figure_row(links, desc, s, lang),
        "indicator": [links.link(desc, i, lang) for i in desc.iris(s, links.vl + "indicator")],
        "areas": links.links_of(desc, desc.iris(s, links.vl + "businessArea"), lang),
    }
