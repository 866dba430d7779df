"""Find a curator's quote in the annex and turn it into a `Span` with original offsets.

Quotes are matched in the normalised text (see `publish.build.source`), where whitespace and line
breaks no longer differ from what a curator copies; the span then points back into the original
file. Actor names are matched throughout the text (leftmost-longest, whole words, Danish genitive
allowed), so every mention of a name is known without listing it by hand.
"""

from __future__ import annotations

import re

from publish.build.annotations.codelists import CONTEXT
from publish.build.annotations.model import Span
from publish.build.source import Document


def clean(text: str) -> str:
    """Whitespace as the normalised annex has it: one space, none at the ends."""
    return re.sub(r"\s+", " ", str(text)).strip()

class Locator:
    """Finds quotes and names in the normalised annex and maps them to original offsets."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def span(self, norm_start: int, norm_end: int) -> Span:
        doc = self.doc
        start, end = doc.raw_span(norm_start, norm_end)
        return Span(
            start=start,
            end=end,
            exact=doc.raw[start:end],
            prefix=doc.raw[max(0, start - CONTEXT):start],
            suffix=doc.raw[end:end + CONTEXT],
            text=doc.normalised[norm_start:norm_end],
            norm_start=norm_start,
            norm_end=norm_end,
        )

    def occurrences(self, quote: str) -> list[int]:
        found: list[int] = []
        pos = self.doc.normalised.find(quote)
        while pos >= 0:
            found.append(pos)
            pos = self.doc.normalised.find(quote, pos + 1)
        return found

    def locate(self, quote: str, occurrence: int | None) -> tuple[Span | None, str | None]:
        """The span of a quote, or (None, reason)."""
        quote = clean(quote)
        if not quote:
            return None, "empty quote"
        hits = self.occurrences(quote)
        if not hits:
            hint = ""
            low = self.doc.normalised.lower().find(quote.lower())
            if low >= 0:
                hint = f" (differs in case from {self.doc.normalised[low:low + len(quote)]!r})"
            return None, f"quote not found in the annex: {quote!r}{hint}"
        if occurrence is None:
            if len(hits) > 1:
                return None, (
                    f"quote occurs {len(hits)} times in the annex, add occurrence: 1..{len(hits)}"
                    f": {quote!r}"
                )
            occurrence = 1
        if not 1 <= occurrence <= len(hits):
            return None, f"occurrence {occurrence} asked, the quote occurs {len(hits)} times"
        start = hits[occurrence - 1]
        return self.span(start, start + len(quote)), None

    def frame(self, words: str, quote: Span, within: int) -> tuple[Span | None, str | None]:
        """The nearest occurrence of `words` that ends before `quote` starts, no more than
        `within` characters before it (so a frame is read in the quote's own passage, and a
        lead-in repeated elsewhere needs no occurrence number), or (None, reason)."""
        words = clean(words)
        if not words:
            return None, "empty frame"
        before = [p for p in self.occurrences(words) if p + len(words) <= quote.norm_start]
        if not before:
            return None, f"frame not found before the quote: {words!r}"
        start = before[-1]
        gap = quote.norm_start - (start + len(words))
        if gap > within:
            return None, (f"frame ends {gap} characters before the quote (at most {within}): "
                          f"{words!r}")
        return self.span(start, start + len(words)), None

    def joint(self, first: Span, second: Span) -> str:
        """The text between two spans as a reader sees it: punctuation and one space where only
        they lie between, an ellipsis where words do."""
        between = self.doc.normalised[first.norm_end:second.norm_start]
        return " … " if re.search(r"\w", between) else re.sub(r"\s+", " ", between)

    def mentions(self, names: dict[str, str]) -> dict[str, list[Span]]:
        """Every occurrence of every name: leftmost-longest, whole words, genitive -s allowed.

        `names` maps a surface form to the actor id. Returns actor id -> spans.
        """
        text = self.doc.normalised
        candidates: list[tuple[int, int, str]] = []
        for name, actor in names.items():
            pattern = re.compile(
                r"(?<![\w@&])" + re.escape(name) + r"(?=(?:s|’s|'s)?(?![\w@&]))"
            )
            for m in pattern.finditer(text):
                candidates.append((m.start(), m.end(), actor))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        taken_until = -1
        out: dict[str, list[Span]] = {}
        for start, end, actor in candidates:
            if start < taken_until:
                continue
            taken_until = end
            out.setdefault(actor, []).append(self.span(start, end))
        return out
