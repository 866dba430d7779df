"""The quoted sentence: where in the annex a resource is mentioned, highlighted in its paragraph.

The text of the annex is published twice: ``cnt:chars`` keeps the raw PDF text (the offsets of
every selector point into it) and each segment's ``rdf:value`` is the normalised reading text.
`align` maps raw offsets onto the normalised text so a mention links exactly its words, and
`locate` finds a quote in a paragraph near where the selector says it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from publish.server.describe import DCTERMS, DOCO, OA, RDF, Description
from publish.server.pages.links import Link, Linker


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


def position(desc: Description, node: str) -> tuple[int, int] | None:
    """The raw-text offsets of ``node``'s text position selector, if it has one."""
    for sel in desc.iris(node, OA + "hasSelector"):
        start, end = desc.first(sel, OA + "start"), desc.first(sel, OA + "end")
        if start is not None and end is not None:
            return int(start), int(end)
    return None


def highlight(text: str, sentence: tuple[int, int] | None,
              mention: tuple[int, int]) -> list[Piece]:
    """Split ``text`` into plain / sentence / mention runs (the mention inside the sentence)."""
    s0, s1 = sentence if sentence and sentence[0] <= mention[0] <= mention[1] <= sentence[1] \
        else mention
    m0, m1 = mention
    runs = [(0, s0, ""), (s0, m0, "sentence"), (m0, m1, "mention"), (m1, s1, "sentence"),
            (s1, len(text), "")]
    return [Piece(text[a:b], cls) for a, b, cls in runs if b > a]


def evidence(links: Linker, desc: Description, s: str, lang: str) -> list[Evidence]:
    """Each annotation whose body is ``s``: the quote highlighted in its paragraph."""
    found: list[tuple[int, Evidence]] = []
    for ann in desc.subjects(OA + "hasBody", s):
        for target in desc.iris(ann, OA + "hasTarget"):
            item = _one_evidence(links, desc, target, lang)
            if item is not None:
                found.append(item)
    return [e for _, e in sorted(found, key=lambda pair: pair[0])]


def _one_evidence(links: Linker, desc: Description, target: str,
                  lang: str) -> tuple[int, Evidence] | None:
    exact = None
    for sel in desc.iris(target, OA + "hasSelector"):
        exact = exact or desc.first(sel, OA + "exact")
    where_quoted = position(desc, target)
    if exact is None or where_quoted is None:
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
    para_pos = position(desc, paragraph) if paragraph else None
    if para_text and para_pos:
        near = where_quoted[0] - para_pos[0]
        sent_span = None
        sent_pos = position(desc, sentence) if sentence else None
        if sentence_text and sent_pos:
            sent_span = locate(sentence_text, para_text, sent_pos[0] - para_pos[0])
        mention = locate(exact, para_text, near)
        if mention is not None:
            pieces = highlight(para_text, sent_span, mention)
    elif sentence_text:
        sent_pos = position(desc, sentence) if sentence else None
        mention = locate(exact, sentence_text, where_quoted[0] - (sent_pos or where_quoted)[0])
        if mention is not None:
            pieces = highlight(sentence_text, (0, len(sentence_text)), mention)
    areas = links.areas_above(desc, container, lang) if container else []
    place = paragraph or container
    where = links.link(desc, place, lang) if place else None
    return where_quoted[0], Evidence(normalise(exact), sentence_text, pieces, where, areas)
