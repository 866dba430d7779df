"""The coverage report: names, acronyms and numbers of the annex that no annotation covers yet.

A curator's to-do list, not a check: `vestlod coverage` prints it and the build never fails on it.
"""

from __future__ import annotations

import re

from publish.build.annotations.model import Annotations
from publish.build.source import Document

_TOKEN = re.compile(
    r"\d[\d.,/]*\d|\d"  # numbers
    r"|[A-ZÆØÅ][\wæøåÆØÅ@&’'.-]*[\wæøåÆØÅ]"  # capitalised words, acronyms, names with dots
    r"|[a-zæøå]+[A-ZÆØÅ0-9][\wæøåÆØÅ]*"  # inner capitals: "www.opiguide.dk" handled below
    r"|www\.[\w.]+\w"
)


def coverage(doc: Document, ann: Annotations, ignore: dict[str, str]) -> list[str]:
    """Names, acronyms and numbers in the running text that no annotation covers.

    A capitalised word counts only where it is not the first word of its sentence (Danish
    capitalises nothing else but names); numbers and acronyms count everywhere. Each line reads
    ``token (n×) segment-id: …context…``; tokens listed in the ignore file are skipped.
    """
    # Names must be covered by an actor's mention or quote, numbers by a figure's expression;
    # the long quotes of statements and relations do not count, or they would hide names.
    covered: list[tuple[int, int]] = [
        (s.norm_start, s.norm_end) for a in ann.actors.values() for s in a.spans
    ]
    for fig in ann.figures.values():
        covered.append((fig.expression.norm_start, fig.expression.norm_end))
    for date in ann.dates.values():  # a year is a date on what it dates, not a figure (§A4)
        covered.append((date.expression.norm_start, date.expression.norm_end))
    # a year recorded on a figure or relation covers that year inside its quote
    dated = [(f.span, f.year) for f in ann.figures.values()]
    dated += [(r.span, r.year) for r in ann.relations.values()]
    for span, year in dated:
        if year is None:
            continue
        pos = span.text.find(str(year))
        while pos >= 0:
            covered.append((span.norm_start + pos, span.norm_start + pos + 4))
            pos = span.text.find(str(year), pos + 1)
    covered.sort()

    def is_covered(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in covered)

    found: dict[str, list[tuple[str, str]]] = {}
    for sent in doc.of_kind("sentence", "footnote"):
        text = sent.text
        for m in _TOKEN.finditer(text):
            tok = m.group().rstrip(".-’'")
            if not tok:
                continue
            before = text[: m.start()].rstrip()
            first_word = before == "" or before.endswith(":")  # a list after a colon
            is_number = tok[0].isdigit()
            is_acronym = sum(c.isupper() for c in tok) >= 2 or "@" in tok or "www." in tok
            if first_word and not (is_number or is_acronym):
                continue
            a = sent.norm_start + m.start()
            head = tok.split("-")[0] if "-" in tok[1:] else tok  # "SPIR-projekt" -> "SPIR"
            head = head[:-1] if head.endswith("s") and len(head) > 3 else head  # genitive
            if is_covered(a, a + len(head)) or is_covered(a, a + len(tok)):
                continue
            if tok in ignore:
                continue
            context = text[max(0, m.start() - 30): m.end() + 30]
            found.setdefault(tok, []).append((sent.id, context))
    lines = []
    for tok, where in sorted(found.items(), key=lambda kv: kv[0].lower()):
        seg, ctx = where[0]
        lines.append(f"{tok} ({len(where)}×) {seg}: …{ctx}…")
    return lines
