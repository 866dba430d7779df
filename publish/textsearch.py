"""The text analysis the search index and the search endpoint share: words, stems, queries.

The build writes terms into an SQLite FTS5 index; the server turns what a person typed into an
FTS5 query over the same terms. Both must analyse text identically, so the one analyser lives
here, beside the other modules every layer may use.

A word is indexed as itself (lower-cased) and as its Danish and English Snowball stems, so
*fødevareklyngen* finds *fødevareklynge*, *robots* finds *robotteknologi*'s English label
*robotics*, and a name as the annex spells it (even misspelt) finds itself. Stemming is not
decompounding: *vind* does not find *vindmølleindustrien* by stem; the last word of a query
is also matched as a prefix, which covers compounds that start with it and completion.

Nothing a person types reaches FTS5's query syntax: words are extracted, quoted and joined here,
so operators (``AND``, ``NEAR``, ``*``, ``"``, ``:``, ``^``) are only ever words or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

#: the longest query accepted (characters); longer is a 400, not a slow scan
MAX_QUERY_CHARS = 200
#: at most this many words of a query are used
MAX_QUERY_WORDS = 12

#: words too common to narrow a search; dropped from a query unless it has nothing else
STOPWORDS = frozenset(
    "og i på af for til med en et den det de at er som fra om der har ved under eller "
    "and the of in for to a an on with by at is are from or".split()
)

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmers() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    return Stemmer.Stemmer("danish"), Stemmer.Stemmer("english")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, lower-cased word) of every word of ``text``; hyphenated and dotted names
    (*Offshoreenergy.dk*, *Food-tech*) are one word and also their parts."""
    for m in _WORD.finditer(text):
        word = m.group().lower()
        yield m.start(), m.end(), word
        if any(c in word for c in "-'’."):
            offset = m.start()
            for part in re.split(r"[-'’.]", word):
                if part:
                    yield offset, offset + len(part), part
                offset += len(part) + 1


@lru_cache(maxsize=65536)
def word_terms(word: str) -> frozenset[str]:
    """The terms one word is indexed and searched as: itself and its two stems (cached: the
    annex has a few thousand distinct words, and highlighting looks at each many times)."""
    da, en = _stemmers()
    plain = word.replace("'", "").replace("’", "").replace(".", "").replace("-", "")
    return frozenset(t for t in (plain, da.stemWord(plain), en.stemWord(plain)) if t)


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in word order (FTS5 receives them joined by spaces)."""
    out: list[str] = []
    for _start, _end, word in words(text):
        out.extend(sorted(word_terms(word)))
    return out


def match_expression(query: str, *, prefix_last: bool = True) -> str | None:
    """An FTS5 MATCH expression for what a person typed, or None if it holds no word.

    Every word must match (AND), each through any of its terms (OR); with ``prefix_last`` the
    last word may also be the start of a longer term, for compounds and completion."""
    unique = list(dict.fromkeys(w for _s, _e, w in words(query)))
    unique = ([w for w in unique if w not in STOPWORDS] or unique)[:MAX_QUERY_WORDS]
    if not unique:
        return None
    groups = []
    for i, word in enumerate(unique):
        alternatives = [f'"{t}"' for t in sorted(word_terms(word))]
        if prefix_last and i == len(unique) - 1:
            alternatives.append(f'"{word}"*')
        groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


def matching_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose words share a term with the query (for highlighting),
    the last query word also as a prefix."""
    qwords = [w for _s, _e, w in words(query)]
    qwords = [w for w in qwords if w not in STOPWORDS] or qwords
    if not qwords:
        return []
    wanted = frozenset().union(*(word_terms(w) for w in qwords))
    last = qwords[-1]
    spans = []
    for start, end, word in words(text):
        if word_terms(word) & wanted or word.startswith(last):
            spans.append((start, end))
    return spans
