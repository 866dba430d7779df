"""An actor: the business areas it is mentioned in, its relations and its kinds."""

from __future__ import annotations

from typing import Any

from publish.server.describe import DCTERMS, RDF, Description
from publish.server.pages.links import Link, Linker

TEMPLATE = "actor.html"


def build(links: Linker, desc: Description, s: str, lang: str,
          page: dict[str, Any]) -> dict[str, Any]:
    """The areas come from the evidence already on the page (where the annex names it)."""
    areas: dict[str, Link] = {}
    for e in page["evidence"]:
        for a in e.areas:
            areas[a.text] = a
    relations = desc.subjects(RDF + "subject", s) + desc.subjects(RDF + "object", s)
    return {
        "areas": [areas[k] for k in sorted(areas)],
        "relations": links.links_of(desc, relations, lang),
        "actor_types": links.links_of(desc, desc.iris(s, DCTERMS + "type"), lang),
    }
