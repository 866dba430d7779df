"""The one format table: suffix ↔ media type ↔ rdflib name ↔ pyoxigraph format, and negotiation.

Dumps, the SPARQL endpoint, dereferencing, ``Link`` headers and the DCAT distributions all read
this table, so a format is added or renamed in exactly one place. ``negotiate`` is a pure function
(no request objects) so its q-value rules are unit-tested with literal strings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pyoxigraph import QueryResultsFormat, RdfFormat

Kind = Literal["rdf", "results", "page"]


@dataclass(frozen=True)
class Format:
    """One representation we can produce.

    ``names`` are the short tokens a client may pass as ``format=`` (Fuseki and Virtuoso accept
    both short names and full media types there); ``aliases`` are further media types that mean
    the same thing in an ``Accept`` header.
    """

    key: str
    label: str
    kind: Kind
    media_type: str
    suffix: str
    rdflib: str | None = None
    oxigraph: RdfFormat | QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    charset: bool = field(default=True)

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value: text formats always say they are UTF-8."""
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    def accepts(self, media_type: str) -> bool:
        return media_type == self.media_type or media_type in self.aliases


FORMATS: tuple[Format, ...] = (
    # RDF graphs and datasets: dumps, CONSTRUCT/DESCRIBE, /doc pages.
    Format("turtle", "Turtle", "rdf", "text/turtle", ".ttl", "turtle", RdfFormat.TURTLE,
           ("application/x-turtle",), ("turtle", "ttl", "text")),
    Format("ntriples", "N-Triples", "rdf", "application/n-triples", ".nt", "nt",
           RdfFormat.N_TRIPLES, ("text/plain",), ("ntriples", "nt", "n-triples")),
    Format("jsonld", "JSON-LD", "rdf", "application/ld+json", ".jsonld", "json-ld",
           RdfFormat.JSON_LD, (), ("jsonld", "json-ld", "json")),
    Format("rdfxml", "RDF/XML", "rdf", "application/rdf+xml", ".rdf", "xml",
           RdfFormat.RDF_XML, (), ("rdfxml", "rdf", "rdf/xml", "xml")),
    Format("trig", "TriG", "rdf", "application/trig", ".trig", "trig", RdfFormat.TRIG,
           (), ("trig",)),
    Format("nquads", "N-Quads", "rdf", "application/n-quads", ".nq", "nquads",
           RdfFormat.N_QUADS, (), ("nquads", "nq")),
    # SPARQL SELECT/ASK results.
    Format("srj", "SPARQL Results JSON", "results", "application/sparql-results+json", ".srj",
           None, QueryResultsFormat.JSON, ("application/json",), ("json", "srj"), False),
    Format("srx", "SPARQL Results XML", "results", "application/sparql-results+xml", ".srx",
           None, QueryResultsFormat.XML, ("application/xml", "text/xml"), ("xml", "srx")),
    Format("csv", "CSV", "results", "text/csv", ".csv", None, QueryResultsFormat.CSV,
           (), ("csv",)),
    Format("tsv", "TSV", "results", "text/tab-separated-values", ".tsv", None,
           QueryResultsFormat.TSV, (), ("tsv",)),
    # Pages for people.
    Format("html", "HTML", "page", "text/html", ".html", None, None,
           ("application/xhtml+xml",), ("html",)),
)

_BY_KEY = {f.key: f for f in FORMATS}


def by_key(key: str) -> Format:
    return _BY_KEY[key]


def by_suffix(suffix: str) -> Format | None:
    """``.ttl`` → Turtle; ``None`` for an unknown suffix."""
    suffix = suffix if suffix.startswith(".") else "." + suffix
    return next((f for f in FORMATS if f.suffix == suffix), None)


def by_media_type(media_type: str) -> Format | None:
    """Exact media type (parameters ignored) or alias → format."""
    base = media_type.split(";", 1)[0].strip().lower()
    return next((f for f in FORMATS if f.accepts(base)), None)


def of_kind(*kinds: Kind) -> tuple[Format, ...]:
    """Formats of the given kinds, in table order (the order is our preference)."""
    return tuple(f for f in FORMATS if f.kind in kinds)


def by_name(name: str, offered: Iterable[Format]) -> Format | None:
    """Resolve a ``format=`` parameter: a short name or a media type, among ``offered``."""
    token = name.strip().lower()
    for fmt in offered:
        if token in fmt.names or fmt.accepts(token.split(";", 1)[0].strip()):
            return fmt
    return None


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*) or 0 if no match."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == mtype and self.subtype == "*":
            return 2
        if self.type == mtype and self.subtype == msub:
            return 3
        return 0


@functools.lru_cache(maxsize=512)
def parse_accept(accept: str) -> tuple[_Range, ...]:
    """Parse an ``Accept`` header leniently: a malformed part is skipped, not an error.

    Memoised (bounded): clients send the same few headers again and again, and the endpoint
    negotiates twice per query."""
    ranges: list[_Range] = []
    for order, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        mtype, _, msub = media.partition("/")
        ranges.append(_Range(mtype, msub, q, order))
    return tuple(ranges)


def negotiate(
    accept: str | None, suffix: str | None, offered: Sequence[Format]
) -> Format | None:
    """Choose what to send: an explicit suffix beats ``Accept``; ``None`` means 406.

    For each offered format the most specific matching media range sets its q (RFC 9110
    §12.5.1), so ``text/*;q=0.1, text/turtle`` prefers Turtle. Ties go to the client's order,
    then to the order of ``offered`` (our preference). No ``Accept`` means the first offered.
    """
    if suffix:
        fmt = by_suffix(suffix)
        return fmt if fmt in offered else None
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int, int, int] | None = None
    chosen: Format | None = None
    for position, fmt in enumerate(offered):
        # The most specific range naming the format decides its q; an alias counts only when
        # named exactly (``application/*`` must not select Turtle via application/x-turtle).
        match: tuple[int, _Range] | None = None
        for rng in ranges:
            spec = rng.matches(fmt.media_type)
            if not spec and any(rng.matches(alias) == 3 for alias in fmt.aliases):
                spec = 3
            if spec and (match is None or spec > match[0] or
                         (spec == match[0] and rng.q > match[1].q)):
                match = (spec, rng)
        if match is None or match[1].q <= 0:
            continue
        spec, rng = match
        # Higher q wins; then an exact mention over a wildcard; then client and our order.
        score = (rng.q, spec, -rng.order, -position)
        if best is None or score > best:
            best, chosen = score, fmt
    return chosen


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``https://w3id.org/vestlod/id/x`` → ``vlid:x`` when a prefix covers it, else ``<iri>``."""
    best = max(((p, ns) for p, ns in prefixes.items() if iri.startswith(ns)),
               key=lambda item: len(item[1]), default=None)
    if best is not None:
        local = iri[len(best[1]):]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{best[0]}:{local}"
    return f"<{iri}>"


def results_table(srj: bytes, prefixes: dict[str, str], width: int = 60) -> str:
    """SPARQL JSON results → an aligned plain-text table for a terminal (`vestlod query`)."""
    import json

    data = json.loads(srj)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    names: list[str] = data["head"]["vars"]

    def cell(term: dict[str, str] | None) -> str:
        if term is None:
            return ""
        if term["type"] == "uri":
            text = compact(term["value"], prefixes)
        elif term["type"] == "bnode":
            text = "_:" + term["value"]
        elif "xml:lang" in term:
            text = f'"{term["value"]}"@{term["xml:lang"]}'
        else:
            text = term["value"]
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [[cell(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    widths = [max([len(n) + 1, *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [" | ".join(("?" + n).ljust(w) for n, w in zip(names, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)
