"""The fixed code lists of the annotation schema: what a curator may write in each field.

Kept as plain data apart from the code that checks against them, so a new actor type or unit is a
one-line change here (and in ``data/annotations/README.md``, which documents them for curators).
"""

from __future__ import annotations

import re

from publish.build.source import AREA_TITLES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AREAS = tuple(AREA_TITLES.values())
KINDS = ("org", "initiative", "facility", "work", "place", "region", "group")
ACTOR_TYPES = (
    "regional-authority", "growth-forum", "ministry", "public-agency", "university",
    "university-unit", "university-college", "school", "gts-institute", "research-centre",
    "knowledge-centre", "science-park", "company", "trade-association", "cluster-organisation",
    "innovation-network", "network", "partnership", "programme", "project", "initiative", "fund",
    "test-facility", "event", "report", "website", "statistics-office", "place",
    # issue #15 (data/annotations/README.md, §A1)
    "organisation", "advisory-body", "vision", "agreement", "group",
    # re-read pass 5 of #15: the annex's own words "forening" (MTIC) and "klynge" (Welfare Tech)
    "association", "cluster",
)
RELATION_TYPES = (
    "initiated", "leads", "member-of", "part-of", "hosts", "cooperates-with", "funds", "operates",
    "located-in", "partner-in", "published", "supports",
    # issue #15 (data/annotations/README.md, §A2)
    "established", "co-prepared", "works-on", "under-auspices-of", "approved",
)
COUNT_UNITS = (
    "persons", "full-time-employees", "jobs", "companies", "members", "products", "years",
    "calendar-year", "DKK", "categories", "partnerships", "countries", "products-and-services",
)
#: what a figure's number is, if not a measurement of the present (§A4): *forventes* is a
#: forecast, *har som mål* a target; each needs its word in the quote
STATUSES = {"forecast": ("forvent",), "target": ("mål",)}
#: what a date says about the thing it dates (§A4), and the words that may state it
DATE_PROPERTIES = ("founded", "started", "issued", "period")
LANGS = ("da", "en")
CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector

SECTIONS: dict[str, tuple[set[str], set[str]]] = {
    # section: (required keys, optional keys)
    "actors": (
        {"id", "kind", "type", "label"},
        {"names", "quotes", "part_of", "located_in", "members", "description", "note"},
    ),
    "strength_positions": (
        {"id", "area", "label", "quote"}, {"occurrence", "description", "note", "frame"},
    ),
    "figures": (
        {"id", "area", "indicator", "quote", "expression", "label", "measured"},
        {"occurrence", "scope", "subject", "year", "unit", "status", "sources", "description",
         "note", "qualifier"},
    ),
    "sectors": ({"id", "label"}, {"description", "note"}),
    "classifications": (
        {"id", "work", "quote", "label", "categories"}, {"occurrence", "description", "note"},
    ),
    "dates": (
        {"id", "property", "quote", "expression"},
        {"occurrence", "subject", "activity", "label", "note"},
    ),
    "relations": (
        {"id", "subject", "relation", "object", "quote"},
        {"occurrence", "year", "label", "description", "note"},
    ),
    "resources": (
        {"id", "area", "label", "quote"}, {"occurrence", "description", "note", "frame"},
    ),
    "regional_business_areas": ({"id", "area", "label", "quote"},
                                {"occurrence", "description", "note"}),
    "challenges": (
        {"id", "area", "quote", "label"}, {"occurrence", "description", "note", "frame"},
    ),
    "focus_areas": (
        {"id", "area", "quote", "label"}, {"occurrence", "description", "note", "frame"},
    ),
    "indicators": ({"id", "label"}, {"unit", "description", "note"}),
}

#: how far before its quote a statement's frame may end, in characters of the normalised annex:
#: a list's lead-in and the items under it, not a sentence of another passage
FRAME_WITHIN = 800

