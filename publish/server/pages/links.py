"""Links and labels: how an IRI in a description becomes something a person can click and read.

Every view builds its page from these; they need only the base IRI (to turn our IRIs into local
paths that work on whatever origin serves us) and the prefix table (to shorten what has no
label).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from publish import vocab
from publish.formats import compact
from publish.query.store import prefixes_for
from publish.server.describe import DCTERMS, OA, OWL, RDFS, SCHEMA, SKOS, Description
from publish.server.pages.i18n import PREDICATE_NAMES

#: hosts of external identifiers worth naming on a page
EXTERNAL_NAMES = (
    ("wikidata.org", "Wikidata"), ("ror.org", "ROR"), ("data.europa.eu/nuts", "NUTS"),
    ("data.europa.eu/ux2/nace2", "NACE Rev. 2"), ("publications.europa.eu", "EU"),
)

Rows = list[tuple["Link", list["Link"]]]


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None
    lang: str | None = None
    external: bool = False


class Linker:
    """Links, names and the property tables of one base IRI."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri
        self.vl = base_iri + "def/vestlod#"
        self.ontology = base_iri + "def/vestlod"
        self.prefixes = prefixes_for(base_iri)
        self.prefixes.update(vocab.prefixes(
            ("sdmx-measure", "sdmx-attribute", "sdmx-dimension", "doco")))

    def href(self, iri: str, lang: str | None = None) -> str | None:
        """A link that works on whatever origin serves us: ours → a local path, else as is."""
        if iri.startswith(self.base + "id/"):
            path = "/doc/" + iri[len(self.base) + 3 :]
            frag = ""
            if "#" in path:
                path, frag = path.split("#", 1)
                frag = "#" + frag
            return path + (f"?lang={lang}" if lang else "") + frag
        if iri.startswith(self.ontology):
            return "/def/vestlod" + (f"?lang={lang}" if lang else "") + iri[len(self.ontology):]
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def name(self, desc: Description, iri: str, lang: str) -> str:
        return desc.label(iri, lang) or compact(iri, self.prefixes).strip("<>")

    def link(self, desc: Description, iri: str, lang: str) -> Link:
        href = self.href(iri, lang)
        return Link(self.name(desc, iri, lang), href, desc.label_language(iri, lang),
                    external=bool(href and not href.startswith("/")))

    def value(self, desc: Description, term: Any, lang: str) -> Link:
        if isinstance(term, ox.NamedNode):
            return self.link(desc, term.value, lang)
        if isinstance(term, ox.Literal):
            return Link(term.value, None, term.language or None)
        return Link(str(term), None)

    def predicate_name(self, desc: Description, p: str, lang: str) -> str:
        found = desc.label(p, lang, (RDFS + "label", SKOS + "prefLabel"))
        if found:
            return found
        names = PREDICATE_NAMES.get(p)
        if names:
            return names[0 if lang == "da" else 1]
        return compact(p, self.prefixes).strip("<>")

    def links_of(self, desc: Description, iris: Iterable[str], lang: str) -> list[Link]:
        links = [self.link(desc, i, lang) for i in set(iris)]
        return sorted(links, key=lambda link: link.text.lower())

    def by_type(self, desc: Description, iris: Iterable[str], cls: str,
                lang: str) -> list[Link]:
        return self.links_of(desc, [i for i in iris if cls in desc.types(i)], lang)

    # ---- the parts every resource page shows --------------------------------------------

    def property_rows(self, desc: Description, s: str, lang: str,
                      skip: Sequence[str] = ()) -> Rows:
        rows = []
        for p, values in desc.predicates(s):
            if p in skip:
                continue
            label = Link(self.predicate_name(desc, p, lang), self.href(p, lang))
            shown = [self.value(desc, v, lang) for v in values]
            # one language of a bilingual literal is enough for a person
            in_lang = [v for v in shown if v.lang == lang]
            if in_lang and len(in_lang) < len(shown) and all(v.lang for v in shown):
                shown = in_lang
            rows.append((label, sorted(shown, key=lambda v: v.text.lower())))
        return sorted(rows, key=lambda row: row[0].text.lower())

    def inverse_rows(self, desc: Description, s: str, lang: str) -> Rows:
        rows = []
        for p, subjects in desc.inverse(s):
            if "#" in s or p in (OA + "hasBody",):
                continue
            subjects = [x for x in set(subjects) if not x.startswith(s + "#")]
            if subjects:
                label = Link(self.predicate_name(desc, p, lang), self.href(p, lang))
                rows.append((label, self.links_of(desc, subjects, lang)))
        return sorted(rows, key=lambda row: row[0].text.lower())

    def areas_above(self, desc: Description, node: str, lang: str) -> list[Link]:
        """The business areas whose sections contain ``node`` (walking up ``isPartOf``)."""
        seen: set[str] = set()
        areas: list[str] = []
        current: str | None = node
        while current and current not in seen:
            seen.add(current)
            areas += desc.subjects(SCHEMA + "subjectOf", current)
            current = desc.first(current, DCTERMS + "isPartOf")
        return self.links_of(desc, areas, lang)

    def external_links(self, desc: Description, s: str, lang: str) -> list[Link]:
        out = []
        for p in (OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch"):
            for iri in desc.iris(s, p):
                source = next((n for host, n in EXTERNAL_NAMES if host in iri), None)
                label = desc.label(iri, lang)
                text = " · ".join(x for x in (source, label) if x) or iri
                out.append(Link(text, iri, external=True))
        return sorted(out, key=lambda link: link.text)
