"""A business area: its strength positions, challenges, focus areas, actors, figures and chart."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from publish.server.describe import PROV, QB, Description
from publish.server.pages.chart import chart, figure_row
from publish.server.pages.links import Linker

TEMPLATE = "area.html"


def build(links: Linker, desc: Description, s: str, lang: str,
          page: dict[str, Any]) -> dict[str, Any]:
    vl = links.vl
    members = desc.subjects(vl + "businessArea", s)
    figures = [i for i in members if QB + "Observation" in desc.types(i)]
    rows = sorted((figure_row(links, desc, f, lang) for f in figures),
                  key=lambda r: (r["unit_iri"], -(r["value"] or 0)))
    mentioned = {t.subject.value for t in desc.triples if isinstance(t.subject, ox.NamedNode)}
    actors = [x for x in mentioned if vl + "Actor" in desc.types(x)]
    activities = [x for x in mentioned if vl + "Actor" not in desc.types(x)
                  and desc.types(x) & {PROV + "Activity", PROV + "Plan"}]
    return {
        "strength_positions": links.by_type(desc, members, vl + "StrengthPosition", lang),
        "challenges": links.by_type(desc, members, vl + "Challenge", lang),
        "focus_areas": links.by_type(desc, members, vl + "FocusArea", lang),
        "actors": links.links_of(desc, actors, lang),
        "activities": links.links_of(desc, activities, lang),
        "figures": rows,
        "chart": chart(rows),
    }
