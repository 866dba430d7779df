"""Which lane a query runs in: *cheap* lookups get workers that long queries never take.

Why. The worker pool served queries first come, first served; under a mix at 8 clients a label
lookup that costs 0.05 ms in-process waited 68 ms behind aggregations, text filters and paging
(issue #19). With a few workers reserved for queries that are cheap *by their shape*, a lookup
no longer waits for a long query to finish; long queries keep every other worker.

How a query is classified, before it runs, from its text alone (the same lexer as
`publish.query.screening`; no algebra, which pyoxigraph does not expose, and no parse by rdflib,
which costs more than the lookups we want to speed up). A query is cheap when

* it uses nothing that makes the engine read or hold many solutions before answering:
  aggregation (``COUNT``, ``GROUP BY``, …), ``ORDER BY``, ``DISTINCT``/``REDUCED``, ``OFFSET``,
  sub-queries, string-scanning functions (``REGEX``, ``CONTAINS``, …), ``EXISTS``/``MINUS``,
  ``SERVICE``, and property-path closures (``+``, ``*``); and
* every triple pattern is *anchored*: its subject or object is a constant (an IRI, a literal,
  a variable the server substitutes) or a variable that an anchored pattern binds. A pattern
  with nothing fixed (``?s ?p ?o``, or a predicate alone) is a scan of the store.

Such a query is an index lookup followed by joins from what it found, and Oxigraph evaluates it
lazily, so the result cap (or a LIMIT) bounds its work too. Anything the scan cannot follow is
*not* cheap: a wrong "long" costs a lookup some queueing, a wrong "cheap" could hold a
reserved worker. Cost estimates from the store's statistics would be finer, but pyoxigraph
gives none, and timing a query only tells its cost after it has taken the worker.

A cheap query takes a reserved worker, or any idle worker; a long query only the general ones.
A misclassified long query in a reserved worker is not cancelled (it is still a correct query);
it runs to the time limit like any other and the general lane is unaffected.
"""

from __future__ import annotations

from typing import Literal

from publish.query.screening import tokens, unescape

Lane = Literal["cheap", "long"]

#: words whose presence means the engine may read or hold many solutions before answering
COSTLY = frozenset({
    "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT", "GROUP", "HAVING",
    "ORDER", "DISTINCT", "REDUCED", "OFFSET",
    "REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "REPLACE",
    "LCASE", "UCASE", "SUBSTR", "ENCODE_FOR_URI",
    "EXISTS", "MINUS", "SERVICE",
})
#: words that open a parenthesised expression, skipped as a whole
EXPRESSIONS = frozenset({"FILTER", "BIND"})
#: words that group patterns; they end the pattern before them
GROUPING = frozenset({"OPTIONAL", "UNION"})


def lane(query: str, substitutions: tuple[tuple[str, str], ...] = ()) -> Lane:
    """``"cheap"`` for an anchored lookup (see the module docstring), else ``"long"``."""
    try:
        return "cheap" if _cheap(query, {name for name, _ in substitutions}) else "long"
    except (IndexError, ValueError, StopIteration):  # a shape the scan does not follow
        return "long"


def _cheap(query: str, bound: set[str]) -> bool:
    toks = list(tokens(unescape(query)))
    words = [text.upper() for kind, text in toks if kind in ("word", "pname")]
    if COSTLY.intersection(words) or words.count("SELECT") > 1:
        return False
    start = _where(toks, words)
    if start is None:
        # DESCRIBE <iri> without a pattern: a lookup of the named resources
        at = _form_at(toks)
        return toks[at][1].upper() == "DESCRIBE" and all(
            kind == "iri" or kind == "pname" for kind, _ in toks[at + 1:])
    patterns = _patterns(toks[start:])
    if patterns is None or not patterns:
        return False
    known = set(bound)
    # A pattern is anchored by a constant, or by a variable an anchored pattern binds: repeat
    # until nothing changes (a handful of patterns, so quadratic is fine).
    pending = list(patterns)
    while pending:
        anchored = [p for p in pending if _fixed(p[0], known) or _fixed(p[2], known)]
        if not anchored:
            return False
        for triple in anchored:
            pending.remove(triple)
            known.update(t[1][1:] for t in triple if t[0] == "var")
    return True


Term = tuple[str, str]


def _form_at(toks: list[Term]) -> int:
    """The index of the query form's keyword (after the PREFIX and BASE declarations)."""
    return next(i for i, (kind, text) in enumerate(toks)
                if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))


def _where(toks: list[Term], words: list[str]) -> int | None:
    """The index of the ``{`` that opens the query pattern (not a CONSTRUCT template)."""
    at = _form_at(toks)
    if "WHERE" in words:
        at = next(i for i, (kind, text) in enumerate(toks)
                  if kind == "word" and text.upper() == "WHERE")
    elif toks[at][1].upper() == "CONSTRUCT":
        at = _skip_braces(toks, next(i for i in range(at, len(toks)) if toks[i][1] == "{"))
    return next((i for i in range(at, len(toks)) if toks[i][1] == "{"), None)


def _skip_braces(toks: list[Term], i: int) -> int:
    depth = 0
    while i < len(toks):
        depth += {"{": 1, "}": -1}.get(toks[i][1], 0)
        i += 1
        if depth == 0:
            return i
    raise ValueError("unbalanced braces")


def _fixed(term: Term, known: set[str]) -> bool:
    kind, text = term
    if kind == "var":
        return text[1:] in known
    return kind in ("iri", "pname", "string") or (kind == "word" and text.lower() in (
        "true", "false"))


def _patterns(toks: list[Term]) -> list[tuple[Term, Term, Term]] | None:
    """The triple patterns of a group graph pattern, or None for a shape we do not follow
    (property-path closures, blank-node property lists, collections, numbers as subjects…)."""
    out: list[tuple[Term, Term, Term]] = []
    subject: Term | None = None
    predicate: Term | None = None
    position = 0  # 0 subject, 1 predicate, 2 object, 3 after the object
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        upper = text.upper()
        if kind == "word" and upper in EXPRESSIONS:
            i = _skip_parens(toks, i + 1)
            continue
        if kind == "word" and upper == "GRAPH":
            i += 2  # GRAPH <g> or GRAPH ?g: the graph name does not anchor a pattern
            position = 0
            continue
        if kind == "word" and upper in ("LIMIT", "VALUES"):
            break  # the solution modifiers (or inline data) follow the pattern
        if text == "@" and position == 3 and i + 1 < len(toks):
            i += 2  # a language tag: "label"@da
            continue
        if text == "^" and position == 3 and i + 2 < len(toks) and toks[i + 1][1] == "^":
            i += 3  # a datatype: "12"^^xsd:int
            continue
        if kind == "word" and upper in GROUPING or text in ("{", "}", "."):
            position = 0
        elif text == ";":
            position = 1
        elif text == ",":
            position = 2
        elif kind in ("iri", "pname", "var", "string") or (position == 1 and text == "a"):
            term: Term = ("iri", text) if text == "a" else (kind, text)
            if position == 0:
                subject, position = term, 1
            elif position == 1:
                predicate, position = term, 2
            elif position == 2 and subject is not None and predicate is not None:
                out.append((subject, predicate, term))
                position = 3
            else:
                return None
        else:
            # path operators (p+, p*, ^p, p/q, p|q), blank-node lists, collections, numbers:
            # shapes this scan does not follow, so not known to be cheap
            return None
        i += 1
    return out


def _skip_parens(toks: list[Term], i: int) -> int:
    """The index after the parenthesised expression that starts at ``toks[i]``."""
    if i >= len(toks) or toks[i][1] != "(":
        raise ValueError("an expression without parentheses")
    depth = 0
    while i < len(toks):
        if toks[i][1] == "(":
            depth += 1
        elif toks[i][1] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced parentheses")
