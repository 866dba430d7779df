"""What a read-only endpoint refuses, decided from the query text before anything runs.

pyoxigraph exposes no algebra, and it *would* send an HTTP request for ``SERVICE <…>``; its
query parser rejects updates only as a generic syntax error. So we scan the text with a small
SPARQL lexer (comments, strings and IRIs are skipped, ``\\uXXXX`` escapes are decoded first as
the SPARQL grammar and Oxigraph do) and refuse, with a message a person understands:

* SPARQL Update operations (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …) — always;
* ``SERVICE`` to an endpoint not in the allowlist, and ``SERVICE ?var`` — always.

The scan also reports the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) so the caller can pick
a response format before running the query. It never *accepts* a query the engine would refuse:
the engine still parses and raises its own syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

from publish.errors import QueryRefused

Form = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS: dict[str, Form] = {f: f for f in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\u00B7-\uFFFF.-]*)?:(?:[\w\u00B7-\uFFFF.:%\\-]*[\w:%-])?)
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Screened:
    """The outcome of a screen that passed: the query form and the SERVICE endpoints it calls."""

    form: Form | None
    services: tuple[str, ...] = ()


def unescape(query: str) -> str:
    """Decode ``\\uXXXX``/``\\UXXXXXXXX`` everywhere, as SPARQL 1.1 §19.2 asks before parsing."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


def tokens(query: str) -> Iterator[tuple[str, str]]:
    """Yield ``(kind, text)`` for the significant tokens; whitespace and comments are dropped."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, match.group()


def lexemes(query: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(kind, start, end)`` for every token, whitespace and comments included, so a
    caller can rewrite the text token by token (variable substitution for a remote store)."""
    for match in _TOKEN.finditer(query):
        yield match.lastgroup or "other", match.start(), match.end()


def screen(query: str, allowlist: Sequence[str] = ()) -> Screened:
    """Raise `QueryRefused` for updates and non-allowlisted SERVICE calls; else say the form."""
    toks = list(tokens(unescape(query)))
    prefixes: dict[str, str] = {}
    base = ""
    i = 0
    # Prologue: BASE and PREFIX declarations, needed to resolve SERVICE endpoints.
    while i < len(toks):
        kind, text = toks[i]
        upper = text.upper()
        if kind == "word" and upper == "BASE" and i + 1 < len(toks):
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
        elif kind == "word" and upper == "PREFIX" and i + 2 < len(toks):
            prefixes[toks[i + 1][1].rstrip(":")] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
        else:
            break
    form: Form | None = None
    if i < len(toks) and toks[i][0] in ("word", "pname"):
        first = toks[i][1].upper()
        if first in UPDATE_KEYWORDS:
            raise QueryRefused(
                f"SPARQL Update ({first}) is not accepted: this endpoint is read-only. "
                "Download the data from /dumps to change it locally."
            )
        form = QUERY_FORMS.get(first)

    services: list[str] = []
    for j, (kind, text) in enumerate(toks):
        if kind != "word" or text.upper() != "SERVICE":
            continue
        k = j + 1
        if k < len(toks) and toks[k][1].upper() == "SILENT":
            k += 1
        if k >= len(toks):
            break
        target_kind, target = toks[k]
        if target_kind == "iri":
            endpoint = urljoin(base, target[1:-1])
        elif target_kind == "pname":
            prefix, _, local = target.partition(":")
            if prefix not in prefixes:
                continue  # the engine will reject the undeclared prefix itself
            endpoint = prefixes[prefix] + local
        else:
            raise QueryRefused(
                "SERVICE with a variable endpoint is not accepted: federated queries may only "
                "call the endpoints named in the service_allowlist setting."
            )
        if endpoint not in allowlist:
            raise QueryRefused(
                f"SERVICE <{endpoint}> is not accepted: this endpoint makes no outbound "
                "requests except to the endpoints named in the service_allowlist setting."
            )
        services.append(endpoint)
    return Screened(form, tuple(services))
