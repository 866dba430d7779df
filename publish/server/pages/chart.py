"""Figures as a table row and as a bar chart drawn in plain SVG (no script, no library).

A business area's figures come in different units; bars share an axis only within one unit,
since kroner and persons have no common scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from publish.server.describe import SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, Description
from publish.server.pages.i18n import format_number
from publish.server.pages.links import Linker


@dataclass(frozen=True)
class Bar:
    label: str
    href: str | None
    value: Decimal
    shown: str
    y: int
    width: float


@dataclass(frozen=True)
class ChartGroup:
    unit: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    groups: list[ChartGroup]


def is_calendar_year(unit: str) -> bool:
    """Years are dates, not quantities: never grouped with a thousands separator, never a bar."""
    return unit.endswith("/unit/calendar-year")


def figure_row(links: Linker, desc: Description, fig: str, lang: str) -> dict[str, Any]:
    """One figure as the table and the chart read it (value parsed, number in ``lang``)."""
    raw = desc.first(fig, SDMX_MEASURE + "obsValue")
    try:
        value = Decimal(raw) if raw is not None else None
    except InvalidOperation:
        value = None
    unit = desc.first(fig, SDMX_ATTR + "unitMeasure")
    qualifier = desc.first(fig, links.vl + "qualifier")
    is_year = bool(unit and is_calendar_year(unit))
    shown = format_number(value, lang, grouping=not is_year) if value is not None else ""
    low, high = desc.first(fig, links.vl + "lowerBound"), desc.first(fig, links.vl + "upperBound")
    if value is None and low is not None and high is not None:
        try:  # a range has its bounds and no value (issue #15): shown, never drawn as one bar
            shown = f"{format_number(Decimal(low), lang)}–{format_number(Decimal(high), lang)}"
        except InvalidOperation:
            pass
    return {
        "link": links.link(desc, fig, lang),
        "value": value,
        "shown": shown,
        "unit": links.link(desc, unit, lang) if unit else None,
        "unit_iri": unit or "",
        "qualifier": links.link(desc, qualifier, lang) if qualifier else None,
        "year": desc.first(fig, SDMX_DIM + "refPeriod"),
        "expression": desc.literal(fig, links.vl + "expression", lang),
    }


def chart(rows: list[dict[str, Any]]) -> Chart | None:
    """Horizontal bars, one group per unit (kroner and persons share no axis).

    Calendar years are dates, not quantities: a bar of length 2014 says nothing, so they
    stay in the table only.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if is_calendar_year(row["unit_iri"]):
            continue
        if row["value"] is not None and row["value"] >= 0:
            groups.setdefault(row["unit"].text if row["unit"] else "", []).append(row)
    if not groups:
        return None
    label_width, bar_space, bar_h = 260, 300, 18
    y = 0
    out: list[ChartGroup] = []
    for unit, items in sorted(groups.items()):
        top = max((r["value"] for r in items), default=Decimal(1)) or Decimal(1)
        group_y = y
        y += 22
        bars = []
        for r in sorted(items, key=lambda r: r["value"], reverse=True):
            width = float(r["value"] / top) * bar_space
            bars.append(Bar(r["link"].text, r["link"].href, r["value"], r["shown"], y,
                            max(width, 1.0)))
            y += bar_h + 6
        out.append(ChartGroup(unit, group_y, bars))
        y += 8
    return Chart(label_width + bar_space + 120, y, label_width, out)
