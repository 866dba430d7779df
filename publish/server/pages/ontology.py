"""The vocabulary document ``/def/vestlod``: its classes, properties and concept schemes."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from publish.server.describe import DCTERMS, OWL, RDF_TYPE, RDFS, SKOS, Description
from publish.server.pages.jsonld import schema_org
from publish.server.pages.links import Linker

TEMPLATE = "ontology.html"


def build(links: Linker, desc: Description, lang: str) -> tuple[str, dict[str, Any]]:
    """The page title and context: every term of the namespace, classes apart from properties."""
    ontology = links.ontology
    terms = {t.subject.value for t in desc.triples if isinstance(t.subject, ox.NamedNode)
             and t.subject.value.startswith(ontology + "#")}

    def term(iri: str) -> dict[str, Any]:
        return {"id": iri[len(ontology) + 1:], "iri": iri,
                "label": links.name(desc, iri, lang),
                "comment": desc.literal(iri, RDFS + "comment", lang)
                or desc.literal(iri, SKOS + "definition", lang),
                "rows": links.property_rows(desc, iri, lang, skip=(RDFS + "comment",))}

    classes = sorted((term(i) for i in terms if OWL + "Class" in desc.types(i)),
                     key=lambda x: x["id"])
    props = sorted((term(i) for i in terms if OWL + "Class" not in desc.types(i)),
                   key=lambda x: x["id"])
    schemes = []
    for scheme in sorted(desc.subjects(RDF_TYPE, SKOS + "ConceptScheme")):
        members = desc.subjects(SKOS + "inScheme", scheme)
        schemes.append({"link": links.link(desc, scheme, lang),
                        "concepts": links.links_of(desc, members, lang)})
    title = desc.label(ontology, lang) or "vestlod"
    return title, {
        "iri": ontology, "classes": classes, "properties": props, "schemes": schemes,
        "comment": desc.literal(ontology, RDFS + "comment", lang)
        or desc.literal(ontology, DCTERMS + "description", lang),
        "jsonld": schema_org(links, desc, ontology, "ontology", lang),
    }
