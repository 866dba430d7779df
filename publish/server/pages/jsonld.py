"""schema.org JSON-LD for search engines, one block per page."""

from __future__ import annotations

import json
from typing import Any

from publish.server.describe import OWL, SCHEMA, Description
from publish.server.pages.links import Linker

#: the schema.org type of a page whose resource has none of its own, by the kind in its path
SCHEMA_TYPES = {
    "org": "Organization", "initiative": "Project", "area": "DefinedTerm",
    "strength-position": "DefinedTerm", "challenge": "DefinedTerm",
    "focus-area": "DefinedTerm", "region": "AdministrativeArea", "place": "Place",
    "facility": "Place", "figure": "Observation", "document": "Report",
    "work": "CreativeWork", "dataset": "Dataset", "ontology": "DefinedTermSet",
    "scheme": "DefinedTermSet",
}


def script_safe(data: dict[str, Any]) -> str:
    """JSON with ``<`` escaped, so no value can close the ``<script>`` it is embedded in."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def schema_org(links: Linker, desc: Description, s: str, kind: str, lang: str) -> str:
    types = desc.types(s)
    schema_type = next((t[len(SCHEMA):] for t in sorted(types) if t.startswith(SCHEMA)), None)
    if schema_type is None:
        schema_type = SCHEMA_TYPES.get(kind, "Thing")
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": schema_type, "@id": s}
    name = desc.label(s, lang)
    if name:
        data["name"] = name
        data["inLanguage"] = lang
    other = desc.label(s, "en" if lang == "da" else "da")
    if other and other != name:
        data["alternateName"] = other
    if s.startswith(links.base + "id/"):
        data["url"] = links.base + "doc/" + s[len(links.base) + 3 :]
    same = desc.iris(s, OWL + "sameAs")
    if same:
        data["sameAs"] = sorted(same)
    data["isPartOf"] = {"@type": "Dataset", "@id": links.base + "id/dataset/vestlod"}
    return script_safe(data)
