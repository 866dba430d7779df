"""The annex as a readable document: sections in order, every annotated span a link.

Offsets of annotations point into the raw PDF text (``cnt:chars``); each paragraph is shown in
its normalised reading form, and `align` carries the offsets across.
"""

from __future__ import annotations

from typing import Any

from publish.server.describe import CNT, DCTERMS, DOCO, LABELS, OA, RDF, SCHEMA, Description
from publish.server.pages.evidence import Piece, align, position
from publish.server.pages.links import Linker

TEMPLATE = "document.html"

#: (start, end, body IRI) of one annotated span, in raw-text offsets
Span = tuple[int, int, str]


def build(links: Linker, desc: Description, s: str, lang: str,
          page: dict[str, Any]) -> dict[str, Any]:
    """The text itself replaces ``cnt:chars`` in the table of properties."""
    return {
        "blocks": annex(links, desc, s, lang),
        "rows": links.property_rows(desc, s, lang, skip=(CNT + "chars",)),
    }


def annex(links: Linker, desc: Description, doc: str, lang: str) -> list[dict[str, Any]]:
    """Sections in order, each with its paragraphs; annotated spans become links."""
    raw = desc.first(doc, CNT + "chars") or ""
    spans: list[Span] = []
    for node in desc.subjects(OA + "hasSource", doc):
        pos = position(desc, node)
        bodies = [b for m in desc.subjects(OA + "hasTarget", node)
                  for b in desc.iris(m, OA + "hasBody")]
        if pos and bodies:
            spans.append((pos[0], pos[1], bodies[0]))
    # the shortest span wins where two overlap: it is the more precise mention
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda x: (x[1] - x[0], x[0])):
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
            out.append({"kind": "p", "id": node, "pieces": paragraph(
                links, desc, node, raw, chosen, lang), "footnote": DOCO + "Footnote" in types})
            return
        if node != doc:
            out.append({"kind": "h", "depth": min(depth + 1, 4), "id": node,
                        "text": desc.label(node, lang, (DCTERMS + "title", *LABELS)) or ""})
        for kid in children(node):
            if DOCO + "Sentence" not in desc.types(kid):
                walk(kid, depth + 1)

    walk(doc, 0)
    return out


def paragraph(links: Linker, desc: Description, node: str, raw: str,
              spans: list[Span], lang: str) -> list[Piece]:
    """One paragraph's reading text cut into plain runs and linked mentions."""
    text = desc.literal(node, RDF + "value", "da") or ""
    pos = position(desc, node)
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
        pieces.append(Piece(text[a:b], "mention", links.href(body, lang),
                            links.name(desc, body, lang)))
        cursor = b
    pieces.append(Piece(text[cursor:]))
    return [p for p in pieces if p.text]
