"""HTML pages in Danish and English, rendered from a `Description` (never from the store).

One Jinja2 environment per app (autoescape on for every template, so a label holding
``<script>`` renders as text). The page for a resource is chosen by its kind: business areas,
actors, figures and the annex have their own templates; everything else gets the generic table
of properties and inverse links. Every page links its RDF forms with ``<link rel="alternate">``
and carries a schema.org JSON-LD block (with ``<`` escaped so no value can close the script).

The text of the annex is published twice: ``cnt:chars`` keeps the raw PDF text (the offsets of
every selector point into it) and each segment's ``rdf:value`` is the normalised reading text.
`align` maps raw offsets onto the normalised text so a mention links exactly its words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from publish.formats import Format, compact
from publish.query.store import prefixes_for
from publish.server.describe import (
    CNT,
    DCTERMS,
    LABELS,
    OA,
    OWL,
    QB,
    RDF,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    SDMX_ATTR,
    SDMX_DIM,
    SDMX_MEASURE,
    SKOS,
    Description,
)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
LANGS = ("da", "en")
DOCO = "http://purl.org/spar/doco/"

#: interface text; the data brings its own labels in both languages
TEXT: dict[str, dict[str, str]] = {
    "da": {
        "dataset": "Styrket vestdansk samarbejde som linked data",
        "home": "Forside", "annex": "Bilaget", "ontology": "Ontologi", "dumps": "Download",
        "sparql": "SPARQL", "catalog": "Katalog", "void": "VoID",
        "properties": "Egenskaber", "inverse": "Henvist til fra", "evidence": "Belæg i bilaget",
        "strength_positions": "Styrkepositioner", "actors": "Aktører", "challenges": "Udfordringer",
        "focus_areas": "Perspektiver og fokusområder", "figures": "Tal", "chart": "Diagram",
        "value": "Værdi", "unit": "Enhed", "qualifier": "Forbehold", "year": "År",
        "expression": "Udtryk i bilaget", "indicator": "Indikator", "area": "Forretningsområde",
        "areas": "Forretningsområder", "relations": "Relationer", "type": "Type",
        "links": "Andre datakilder", "source_sentence": "Kildesætning", "in": "i",
        "not_found": "Ikke fundet", "not_found_text": "Der findes ingen ressource med adressen",
        "formats": "Andre formater", "classes": "Klasser", "object_properties": "Egenskaber",
        "schemes": "Begrebssystemer", "concepts": "begreber", "file": "Fil", "size": "Størrelse",
        "examples": "Eksempler på forespørgsler", "query_it": "Stil spørgsmål til data",
        "intro": "Bilaget til aftalen om styrket vestdansk samarbejde mellem Region Nordjylland, "
                 "Region Midtjylland og Region Syddanmark som linked open data. Hvert tal, hver "
                 "aktør og hver relation peger tilbage på bilagets egne ord.",
        "how_query": "Alle data kan hentes som filer eller forespørges med SPARQL på",
        "triples": "tripler", "mentions": "omtaler", "switch": "English",
        "no_figures": "Ingen tal for dette område.", "member_of": "Medlem af",
    },
    "en": {
        "dataset": "Stronger West Danish cooperation as linked data",
        "home": "Home", "annex": "The annex", "ontology": "Ontology", "dumps": "Downloads",
        "sparql": "SPARQL", "catalog": "Catalog", "void": "VoID",
        "properties": "Properties", "inverse": "Referred to by",
        "evidence": "Evidence in the annex",
        "strength_positions": "Strength positions", "actors": "Actors", "challenges": "Challenges",
        "focus_areas": "Perspectives and focus areas", "figures": "Figures", "chart": "Chart",
        "value": "Value", "unit": "Unit", "qualifier": "Qualifier", "year": "Year",
        "expression": "Wording in the annex", "indicator": "Indicator", "area": "Business area",
        "areas": "Business areas", "relations": "Relations", "type": "Type",
        "links": "Other data sources", "source_sentence": "Source sentence", "in": "in",
        "not_found": "Not found", "not_found_text": "There is no resource at",
        "formats": "Other formats", "classes": "Classes", "object_properties": "Properties",
        "schemes": "Concept schemes", "concepts": "concepts", "file": "File", "size": "Size",
        "examples": "Example queries", "query_it": "Query the data",
        "intro": "The annex to the agreement on stronger West Danish cooperation between the "
                 "North Denmark Region, the Central Denmark Region and the Region of Southern "
                 "Denmark as linked open data. Every figure, actor and relation points back to "
                 "the annex's own words.",
        "how_query": "All data can be downloaded as files or queried with SPARQL at",
        "triples": "triples", "mentions": "mentions", "switch": "Dansk",
        "no_figures": "No figures for this area.", "member_of": "Member of",
    },
}

#: names of common predicates that have no label in our vocabulary graph
PREDICATE_NAMES: dict[str, tuple[str, str]] = {
    RDF_TYPE: ("Type", "Type"),
    RDFS + "label": ("Etiket", "Label"),
    RDFS + "comment": ("Kommentar", "Comment"),
    SKOS + "prefLabel": ("Foretrukken betegnelse", "Preferred label"),
    SKOS + "altLabel": ("Alternativ betegnelse", "Alternative label"),
    SKOS + "scopeNote": ("Afgrænsning", "Scope note"),
    SKOS + "definition": ("Definition", "Definition"),
    SKOS + "inScheme": ("I begrebssystem", "In scheme"),
    SKOS + "exactMatch": ("Svarer præcist til", "Exact match"),
    SKOS + "closeMatch": ("Svarer nogenlunde til", "Close match"),
    SKOS + "relatedMatch": ("Beslægtet med", "Related match"),
    SKOS + "broader": ("Overbegreb", "Broader"),
    OWL + "sameAs": ("Samme som", "Same as"),
    DCTERMS + "isPartOf": ("Del af", "Part of"),
    DCTERMS + "hasPart": ("Består af", "Has part"),
    DCTERMS + "title": ("Titel", "Title"),
    DCTERMS + "type": ("Slags", "Kind"),
    DCTERMS + "description": ("Beskrivelse", "Description"),
    RDF + "value": ("Tekst", "Text"),
    RDF + "subject": ("Subjekt", "Subject"),
    RDF + "predicate": ("Prædikat", "Predicate"),
    RDF + "object": ("Objekt", "Object"),
    OA + "hasBody": ("Indhold", "Body"),
    OA + "hasTarget": ("Mål", "Target"),
    OA + "hasSource": ("Kilde", "Source"),
    OA + "hasSelector": ("Udvælgelse", "Selector"),
    OA + "exact": ("Citat", "Quote"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("Afledt af", "Derived from"),
    "http://www.w3.org/ns/prov#wasGeneratedBy": ("Frembragt af", "Generated by"),
    SDMX_MEASURE + "obsValue": ("Værdi", "Value"),
    SDMX_ATTR + "unitMeasure": ("Enhed", "Unit"),
    SDMX_DIM + "refPeriod": ("Periode", "Period"),
    SDMX_DIM + "refArea": ("Område", "Area"),
    SCHEMA + "position": ("Placering", "Position"),
    "http://www.w3.org/ns/regorg#registration": ("Registrering", "Registration"),
    "http://www.w3.org/ns/adms#schemaAgency": ("Registerfører", "Register kept by"),
    SKOS + "notation": ("Kode", "Notation"),
}

#: hosts of external identifiers worth naming on a page
EXTERNAL_NAMES = (
    ("wikidata.org", "Wikidata"), ("ror.org", "ROR"), ("data.europa.eu/nuts", "NUTS"),
    ("data.europa.eu/ux2/nace2", "NACE Rev. 2"), ("publications.europa.eu", "EU"),
)


def choose_lang(param: str | None, accept_language: str | None) -> str:
    """``?lang=`` beats ``Accept-Language`` (q-values honoured); Danish when nothing matches."""
    if param in LANGS:
        return param
    best: tuple[float, int] | None = None
    chosen = "da"
    for order, part in enumerate((accept_language or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower().split("-", 1)[0]
        q = 1.0
        for param_ in pieces[1:]:
            if param_.startswith("q="):
                try:
                    q = float(param_[2:])
                except ValueError:
                    q = 0.0
        if tag in LANGS and q > 0 and (best is None or (q, -order) > best):
            best, chosen = (q, -order), tag
    return chosen


def normalise(text: str) -> str:
    """The reading form of raw PDF text: joined line-break hyphens, single spaces."""
    text = re.sub(r"(?<=[a-zæøå])-\n(?=[a-zæøå])", "", text)
    text = re.sub(r"(?<=\s)-\n", "-", text)  # "og -\nfaciliteter" keeps its hyphen
    return " ".join(text.split())


def align(raw: str, norm: str) -> list[int]:
    """For each offset into ``raw`` (and one past the end), the matching offset into ``norm``.

    ``norm`` is ``raw`` with some characters dropped (line-break hyphens, footnote markers,
    repeated whitespace) and whitespace turned into spaces; a greedy walk is exact for that.
    """
    out: list[int] = []
    j = 0
    for ch in raw:
        out.append(j)
        if j < len(norm) and (ch == norm[j] or (ch.isspace() and norm[j] == " ")):
            j += 1
    out.append(j)
    return out


def locate(needle: str, text: str, near: int) -> tuple[int, int] | None:
    """The occurrence of ``needle`` in ``text`` closest to offset ``near``."""
    needle = normalise(needle)
    if not needle:
        return None
    hits = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not hits:
        return None
    start = min(hits, key=lambda h: abs(h - near))
    return start, start + len(needle)


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None
    lang: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Piece:
    """A run of text in a paragraph: plain, the quoted sentence, or the mention itself."""

    text: str
    cls: str = ""
    href: str | None = None
    title: str | None = None


@dataclass
class Evidence:
    quote: str
    sentence: str | None
    pieces: list[Piece]
    where: Link | None
    areas: list[Link] = field(default_factory=list)


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


def format_number(value: Decimal, lang: str) -> str:
    """1234567.5 → ``1.234.567,5`` (da) or ``1,234,567.5`` (en); at most 3 decimals."""
    q = value.quantize(Decimal("0.001")).normalize() if value != value.to_integral() else value
    text = f"{q:,f}" if q == q.to_integral() else f"{q:,}"
    if "." in text and text.endswith("0") and q != q.to_integral():
        text = text.rstrip("0")
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


class Pages:
    """Renders every HTML page of one app; holds its own Jinja environment."""

    def __init__(self, base_iri: str, sparql_endpoint: str) -> None:
        self.base = base_iri
        self.vl = base_iri + "def/vestlod#"
        self.ontology = base_iri + "def/vestlod"
        self.sparql_endpoint = sparql_endpoint
        self.prefixes = prefixes_for(base_iri)
        self.prefixes["sdmx-measure"] = SDMX_MEASURE
        self.prefixes["sdmx-attribute"] = SDMX_ATTR
        self.prefixes["sdmx-dimension"] = SDMX_DIM
        self.prefixes["doco"] = DOCO
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "xml"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # ---- links and labels ------------------------------------------------------------------

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
        return Link(self.name(desc, iri, lang), href,
                    external=bool(href) and not href.startswith("/"))

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

    # ---- the parts every resource page shows --------------------------------------------

    def property_rows(self, desc: Description, s: str, lang: str,
                      skip: Sequence[str] = ()) -> list[tuple[Link, list[Link]]]:
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

    def inverse_rows(self, desc: Description, s: str, lang: str) -> list[tuple[Link, list[Link]]]:
        rows = []
        for p, subjects in desc.inverse(s):
            if "#" in s or p in (OA + "hasBody",):
                continue
            subjects = [x for x in set(subjects) if not x.startswith(s + "#")]
            if subjects:
                label = Link(self.predicate_name(desc, p, lang), self.href(p, lang))
                rows.append((label, self.links_of(desc, subjects, lang)))
        return sorted(rows, key=lambda row: row[0].text.lower())

    def evidence(self, desc: Description, s: str, lang: str) -> list[Evidence]:
        """Each annotation whose body is ``s``: the quote highlighted in its paragraph."""
        found: list[tuple[int, Evidence]] = []
        for ann in desc.subjects(OA + "hasBody", s):
            for target in desc.iris(ann, OA + "hasTarget"):
                item = self._one_evidence(desc, target, lang)
                if item is not None:
                    found.append(item)
        return [e for _, e in sorted(found, key=lambda pair: pair[0])]

    def _position(self, desc: Description, node: str) -> tuple[int, int] | None:
        for sel in desc.iris(node, OA + "hasSelector"):
            start, end = desc.first(sel, OA + "start"), desc.first(sel, OA + "end")
            if start is not None and end is not None:
                return int(start), int(end)
        return None

    def _one_evidence(self, desc: Description, target: str,
                      lang: str) -> tuple[int, Evidence] | None:
        exact = None
        for sel in desc.iris(target, OA + "hasSelector"):
            exact = exact or desc.first(sel, OA + "exact")
        position = self._position(desc, target)
        if exact is None or position is None:
            return None
        container = desc.first(target, DCTERMS + "isPartOf")
        sentence = paragraph = None
        if container and DOCO + "Sentence" in desc.types(container):
            sentence = container
            paragraph = desc.first(container, DCTERMS + "isPartOf")
        elif container:
            paragraph = container
        pieces: list[Piece] = [Piece(normalise(exact), "mention")]
        sentence_text = desc.literal(sentence, RDF + "value", lang) if sentence else None
        para_text = desc.literal(paragraph, RDF + "value", lang) if paragraph else None
        para_pos = self._position(desc, paragraph) if paragraph else None
        if para_text and para_pos:
            near = position[0] - para_pos[0]
            sent_span = None
            sent_pos = self._position(desc, sentence) if sentence else None
            if sentence_text and sent_pos:
                sent_span = locate(sentence_text, para_text, sent_pos[0] - para_pos[0])
            mention = locate(exact, para_text, near)
            if mention is not None:
                pieces = self.highlight(para_text, sent_span, mention)
        elif sentence_text:
            sent_pos = self._position(desc, sentence) if sentence else None
            mention = locate(exact, sentence_text, position[0] - (sent_pos or position)[0])
            if mention is not None:
                pieces = self.highlight(sentence_text, (0, len(sentence_text)), mention)
        areas = self.areas_above(desc, container, lang) if container else []
        where = self.link(desc, paragraph or container, lang) if (paragraph or container) else None
        return position[0], Evidence(normalise(exact), sentence_text, pieces, where, areas)

    @staticmethod
    def highlight(text: str, sentence: tuple[int, int] | None,
                  mention: tuple[int, int]) -> list[Piece]:
        """Split ``text`` into plain / sentence / mention runs (the mention inside the sentence)."""
        s0, s1 = sentence if sentence and sentence[0] <= mention[0] <= mention[1] <= sentence[1] \
            else mention
        m0, m1 = mention
        runs = [(0, s0, ""), (s0, m0, "sentence"), (m0, m1, "mention"), (m1, s1, "sentence"),
                (s1, len(text), "")]
        return [Piece(text[a:b], cls) for a, b, cls in runs if b > a]

    def areas_above(self, desc: Description, node: str, lang: str) -> list[Link]:
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

    # ---- figures and the chart -------------------------------------------------------------

    def figure_row(self, desc: Description, fig: str, lang: str) -> dict[str, Any]:
        raw = desc.first(fig, SDMX_MEASURE + "obsValue")
        try:
            value = Decimal(raw) if raw is not None else None
        except InvalidOperation:
            value = None
        unit = desc.first(fig, SDMX_ATTR + "unitMeasure")
        qualifier = desc.first(fig, self.vl + "qualifier")
        return {
            "link": self.link(desc, fig, lang),
            "value": value,
            "shown": format_number(value, lang) if value is not None else "",
            "unit": self.link(desc, unit, lang) if unit else None,
            "unit_iri": unit or "",
            "qualifier": self.link(desc, qualifier, lang) if qualifier else None,
            "year": desc.first(fig, SDMX_DIM + "refPeriod"),
            "expression": desc.literal(fig, self.vl + "expression", lang),
        }

    def chart(self, rows: list[dict[str, Any]], lang: str) -> Chart | None:
        """Horizontal bars, one group per unit (kroner and persons share no axis).

        Calendar years are dates, not quantities: a bar of length 2014 says nothing, so they
        stay in the table only.
        """
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            if row["unit_iri"].endswith("/unit/calendar-year"):
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

    # ---- the annex ---------------------------------------------------------------------------

    def annex(self, desc: Description, doc: str, lang: str) -> list[dict[str, Any]]:
        """Sections in order, each with its paragraphs; annotated spans become links."""
        raw = desc.first(doc, CNT + "chars") or ""
        spans: list[tuple[int, int, str]] = []
        for span in desc.subjects(OA + "hasSource", doc):
            pos = self._position(desc, span)
            bodies = [b for m in desc.subjects(OA + "hasTarget", span)
                      for b in desc.iris(m, OA + "hasBody")]
            if pos and bodies:
                spans.append((pos[0], pos[1], bodies[0]))
        chosen: list[tuple[int, int, str]] = []
        for span in sorted(spans, key=lambda s: (s[1] - s[0], s[0])):
            if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
                chosen.append(span)
        chosen.sort()

        def children(node: str) -> list[str]:
            kids = desc.subjects(DCTERMS + "isPartOf", node)
            return sorted(kids, key=lambda k: int(desc.first(k, SCHEMA + "position") or 0))

        out: list[dict[str, Any]] = []

        def walk(node: str, depth: int) -> None:
            types = desc.types(node)
            if DOCO + "Paragraph" in types or DOCO + "Footnote" in types:
                out.append({"kind": "p", "id": node, "pieces": self._paragraph(
                    desc, node, raw, chosen, lang), "footnote": DOCO + "Footnote" in types})
                return
            if node != doc:
                out.append({"kind": "h", "depth": min(depth + 1, 4), "id": node,
                            "text": desc.label(node, lang, (DCTERMS + "title", *LABELS)) or ""})
            for kid in children(node):
                if DOCO + "Sentence" not in desc.types(kid):
                    walk(kid, depth + 1)

        walk(doc, 0)
        return out

    def _paragraph(self, desc: Description, node: str, raw: str,
                   spans: list[tuple[int, int, str]], lang: str) -> list[Piece]:
        text = desc.literal(node, RDF + "value", "da") or ""
        pos = self._position(desc, node)
        if not pos or not raw:
            return [Piece(text)]
        mapping = align(raw[pos[0]:pos[1]], text)
        pieces: list[Piece] = []
        cursor = 0
        for start, end, body in spans:
            if start < pos[0] or end > pos[1]:
                continue
            a, b = mapping[start - pos[0]], mapping[end - pos[0]]
            if a < cursor or b <= a:
                continue
            pieces.append(Piece(text[cursor:a]))
            pieces.append(Piece(text[a:b], "mention", self.href(body, lang),
                                self.name(desc, body, lang)))
            cursor = b
        pieces.append(Piece(text[cursor:]))
        return [p for p in pieces if p.text]

    # ---- whole pages -------------------------------------------------------------------------

    def schema_org(self, desc: Description, s: str, kind: str, lang: str) -> str:
        """schema.org JSON-LD for search engines; ``<`` escaped so it cannot end the script."""
        types = desc.types(s)
        schema_type = next((t[len(SCHEMA):] for t in sorted(types) if t.startswith(SCHEMA)), None)
        if schema_type is None:
            schema_type = {
                "org": "Organization", "initiative": "Project", "area": "DefinedTerm",
                "strength-position": "DefinedTerm", "challenge": "DefinedTerm",
                "focus-area": "DefinedTerm", "region": "AdministrativeArea", "place": "Place",
                "facility": "Place", "figure": "Observation", "document": "Report",
                "work": "CreativeWork", "dataset": "Dataset", "ontology": "DefinedTermSet",
                "scheme": "DefinedTermSet",
            }.get(kind, "Thing")
        data: dict[str, Any] = {"@context": "https://schema.org", "@type": schema_type,
                                "@id": s}
        name = desc.label(s, lang)
        if name:
            data["name"] = name
            data["inLanguage"] = lang
        other = desc.label(s, "en" if lang == "da" else "da")
        if other and other != name:
            data["alternateName"] = other
        if s.startswith(self.base + "id/"):
            data["url"] = self.base + "doc/" + s[len(self.base) + 3 :]
        same = desc.iris(s, OWL + "sameAs")
        if same:
            data["sameAs"] = sorted(same)
        data["isPartOf"] = {"@type": "Dataset", "@id": self.base + "id/dataset/vestlod"}
        return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")

    def _context(self, lang: str, title: str, path: str,
                 alternates: Sequence[tuple[Format, str]], **more: Any) -> dict[str, Any]:
        other = "en" if lang == "da" else "da"
        return {
            "lang": lang, "t": TEXT[lang], "title": title, "path": path,
            "switch_href": f"{path}?lang={other}", "other_lang": other,
            "alternates": alternates, "sparql_endpoint": self.sparql_endpoint, **more,
        }

    def resource(self, desc: Description, kind: str, lang: str, path: str,
                 alternates: Sequence[tuple[Format, str]]) -> str:
        s = desc.subject
        title = desc.label(s, lang) or s
        ctx = self._context(
            lang, title, path, alternates, iri=s, kind=kind,
            types=self.links_of(desc, desc.iris(s, RDF_TYPE), lang),
            rows=self.property_rows(desc, s, lang),
            inverse=self.inverse_rows(desc, s, lang),
            evidence=self.evidence(desc, s, lang),
            external=self.external_links(desc, s, lang),
            jsonld=self.schema_org(desc, s, kind, lang),
        )
        template = "resource.html"
        types = desc.types(s)
        if kind == "area":
            template = "area.html"
            ctx.update(self._area(desc, s, lang))
        elif self.vl + "Actor" in types:
            template = "actor.html"
            ctx.update(self._actor(desc, s, lang, ctx["evidence"]))
        elif QB + "Observation" in types:
            template = "figure.html"
            ctx["figure"] = self.figure_row(desc, s, lang)
            ctx["indicator"] = [self.link(desc, i, lang)
                                for i in desc.iris(s, self.vl + "indicator")]
            ctx["areas"] = self.links_of(desc, desc.iris(s, self.vl + "businessArea"), lang)
        elif kind == "document" and desc.first(s, CNT + "chars"):
            template = "document.html"
            ctx["blocks"] = self.annex(desc, s, lang)
            ctx["rows"] = self.property_rows(desc, s, lang, skip=(CNT + "chars",))
        return self.env.get_template(template).render(ctx)

    def _by_type(self, desc: Description, iris: Iterable[str], cls: str,
                 lang: str) -> list[Link]:
        return self.links_of(desc, [i for i in iris if cls in desc.types(i)], lang)

    def _area(self, desc: Description, s: str, lang: str) -> dict[str, Any]:
        members = desc.subjects(self.vl + "businessArea", s)
        figures = [i for i in members if QB + "Observation" in desc.types(i)]
        rows = sorted((self.figure_row(desc, f, lang) for f in figures),
                      key=lambda r: (r["unit_iri"], -(r["value"] or 0)))
        actors = [x for x in {t.subject.value for t in desc.triples
                              if isinstance(t.subject, ox.NamedNode)}
                  if self.vl + "Actor" in desc.types(x)]
        return {
            "strength_positions": self._by_type(desc, members, self.vl + "StrengthPosition", lang),
            "challenges": self._by_type(desc, members, self.vl + "Challenge", lang),
            "focus_areas": self._by_type(desc, members, self.vl + "FocusArea", lang),
            "actors": self.links_of(desc, actors, lang),
            "figures": rows,
            "chart": self.chart(rows, lang),
        }

    def _actor(self, desc: Description, s: str, lang: str,
               evidence: list[Evidence]) -> dict[str, Any]:
        areas: dict[str, Link] = {}
        for e in evidence:
            for a in e.areas:
                areas[a.text] = a
        relations = desc.subjects(RDF + "subject", s) + desc.subjects(RDF + "object", s)
        return {
            "areas": [areas[k] for k in sorted(areas)],
            "relations": self.links_of(desc, relations, lang),
            "actor_types": self.links_of(desc, desc.iris(s, DCTERMS + "type"), lang),
        }

    def ontology_page(self, desc: Description, lang: str, path: str,
                      alternates: Sequence[tuple[Format, str]]) -> str:
        terms = {t.subject.value for t in desc.triples if isinstance(t.subject, ox.NamedNode)
                 and t.subject.value.startswith(self.ontology + "#")}

        def term(iri: str) -> dict[str, Any]:
            return {"id": iri[len(self.ontology) + 1:], "iri": iri,
                    "label": self.name(desc, iri, lang),
                    "comment": desc.literal(iri, RDFS + "comment", lang)
                    or desc.literal(iri, SKOS + "definition", lang),
                    "rows": self.property_rows(desc, iri, lang, skip=(RDFS + "comment",))}

        classes = sorted((term(i) for i in terms if OWL + "Class" in desc.types(i)),
                         key=lambda x: x["id"])
        props = sorted((term(i) for i in terms if OWL + "Class" not in desc.types(i)),
                       key=lambda x: x["id"])
        schemes = []
        for scheme in sorted(desc.subjects(RDF_TYPE, SKOS + "ConceptScheme")):
            members = desc.subjects(SKOS + "inScheme", scheme)
            schemes.append({"link": self.link(desc, scheme, lang),
                            "concepts": self.links_of(desc, members, lang)})
        title = desc.label(self.ontology, lang) or "vestlod"
        return self.env.get_template("ontology.html").render(self._context(
            lang, title, path, alternates, iri=self.ontology, classes=classes,
            properties=props, schemes=schemes,
            comment=desc.literal(self.ontology, RDFS + "comment", lang)
            or desc.literal(self.ontology, DCTERMS + "description", lang),
            jsonld=self.schema_org(desc, self.ontology, "ontology", lang)))

    def home(self, desc: Description, lang: str, path: str, quads: int,
             examples: Sequence[tuple[str, str]]) -> str:
        areas = self.links_of(desc, desc.subjects(RDF_TYPE, self.vl + "BusinessArea"), lang)
        s = desc.subject
        return self.env.get_template("home.html").render(self._context(
            lang, TEXT[lang]["dataset"], path, (), iri=s, areas=areas, quads=quads,
            description=desc.literal(s, DCTERMS + "description", lang),
            examples=examples, jsonld=self.schema_org(desc, s, "dataset", lang)))

    def not_found(self, lang: str, path: str) -> str:
        return self.env.get_template("not_found.html").render(self._context(
            lang, TEXT[lang]["not_found"], path, (), missing=path,
            jsonld=json.dumps({"@context": "https://schema.org", "@type": "WebPage",
                               "name": "404"})))

    def dumps(self, lang: str, path: str, files: Sequence[dict[str, Any]]) -> str:
        return self.env.get_template("dumps.html").render(self._context(
            lang, TEXT[lang]["dumps"], path, (), files=files,
            jsonld=json.dumps({"@context": "https://schema.org", "@type": "DataDownload",
                               "name": "vestlod"})))
