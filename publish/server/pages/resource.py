"""The generic resource page: every property, every inverse link, the evidence, other sources.

Every kind of resource page starts from this context; the specialised views (area, actor,
figure, document) add to it.
"""

from __future__ import annotations

from typing import Any

from publish.server.describe import RDF_TYPE, Description
from publish.server.pages.evidence import evidence
from publish.server.pages.jsonld import schema_org
from publish.server.pages.links import Linker

TEMPLATE = "resource.html"


def common(links: Linker, desc: Description, s: str, kind: str, lang: str) -> dict[str, Any]:
    """What every resource page shows, whatever its kind."""
    return {
        "iri": s,
        "kind": kind,
        "types": links.links_of(desc, desc.iris(s, RDF_TYPE), lang),
        "rows": links.property_rows(desc, s, lang),
        "inverse": links.inverse_rows(desc, s, lang),
        "evidence": evidence(links, desc, s, lang),
        "external": links.external_links(desc, s, lang),
        "jsonld": schema_org(links, desc, s, kind, lang),
    }


def build(links: Linker, desc: Description, s: str, lang: str,
          page: dict[str, Any]) -> dict[str, Any]:
    """Nothing beyond the common part: the table of properties is the page."""
    return {}
