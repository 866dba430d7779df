"""One place that mints IRIs: `/id/{kind}/{slug}` for things, `/doc/…` for their descriptions.

Slugs come from the curated data and never change once published. The local origin of a
development server maps to the canonical base IRI here and nowhere else.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

from publish.errors import NotFound

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KIND = re.compile(r"^[a-z]+(?:-[a-z]+)*$")

#: path segment under /id/ for each actor kind of the annotations
ACTOR_PATHS = {
    "org": "org", "region": "region", "initiative": "initiative", "facility": "facility",
    "work": "work", "place": "place", "group": "group",
}


class Uris:
    """IRIs of one dataset, under one base IRI."""

    def __init__(self, base: str) -> None:
        if not base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base!r}")
        self.base = base
        self.vl = Namespace(base + "def/vestlod#")
        self.ontology = URIRef(base + "def/vestlod")

    def id(self, kind: str, slug: str, fragment: str | None = None) -> URIRef:
        if not KIND.match(kind) or not SLUG.match(slug):
            raise ValueError(f"not a valid /id/ path: {kind}/{slug}")
        iri = f"{self.base}id/{kind}/{slug}"
        return URIRef(f"{iri}#{fragment}" if fragment else iri)

    def actor(self, kind: str, ident: str) -> URIRef:
        path = ACTOR_PATHS[kind]
        slug = ident.removeprefix("region-") if kind == "region" else ident
        return self.id(path, slug)

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def doc_for(self, iri: str) -> str:
        """`…/id/k/s` → `…/doc/k/s` (fragment dropped); NotFound for IRIs outside /id/."""
        iri = iri.split("#", 1)[0]
        prefix = self.base + "id/"
        if not iri.startswith(prefix):
            raise NotFound(iri)
        return self.base + "doc/" + iri[len(prefix):]

    def canonical(self, iri: str, local_origin: str | None) -> str:
        """Map an IRI on the local development origin to the canonical one."""
        if local_origin and iri.startswith(local_origin.rstrip("/") + "/"):
            return self.base + iri[len(local_origin.rstrip("/")) + 1:]
        return iri
