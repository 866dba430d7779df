"""The home page: the dataset's own title and description, and its business areas.

Title and description are the dataset's (``dcterms:title`` and ``dcterms:description`` of
``id/dataset/vestlod`` in the metadata graph, written by the build from ``data/catalog.yaml``);
the server writes none of its own, so a curator changes them in one place.
"""

from __future__ import annotations

from typing import Any

from publish.server.describe import DCTERMS, LABELS, RDF_TYPE, Description
from publish.server.pages.jsonld import schema_org
from publish.server.pages.links import Linker

TEMPLATE = "home.html"


def build(links: Linker, desc: Description, lang: str) -> tuple[str, dict[str, Any]]:
    s = desc.subject
    areas = links.links_of(desc, desc.subjects(RDF_TYPE, links.vl + "BusinessArea"), lang)
    title = desc.label(s, lang, (DCTERMS + "title", *LABELS)) or "vestlod"
    return title, {
        "iri": s, "areas": areas,
        "description": desc.literal(s, DCTERMS + "description", lang),
        "jsonld": schema_org(links, desc, s, "dataset", lang),
    }
