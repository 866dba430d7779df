"""Load the curated YAML annotations and anchor every entry in the words of the annex.

Each entry quotes the annex; the quote is located in the normalised text (see `publish.build.source`)
and becomes a `Span` with offsets into the original file. Actor names are matched throughout the
text (leftmost-longest, whole words, Danish genitive allowed), so every mention of "Vestas" is
known without listing it by hand. Everything a curator can get wrong — an unknown key, a missing
label, a quote that is not in the annex or occurs twice, an id that breaks the slug rule or is used
twice, a reference to nothing — is reported as ``file:line: [field] message``.

The schema is documented for curators in ``data/annotations/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from publish.errors import AnnotationError, FigureError
from publish.build.source import AREA_TITLES, Document

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AREAS = tuple(AREA_TITLES.values())
KINDS = ("org", "initiative", "facility", "work", "place", "region")
ACTOR_TYPES = (
    "regional-authority", "growth-forum", "ministry", "public-agency", "university",
    "university-unit", "university-college", "school", "gts-institute", "research-centre",
    "knowledge-centre", "science-park", "company", "trade-association", "cluster-organisation",
    "innovation-network", "network", "partnership", "programme", "project", "initiative", "fund",
    "test-facility", "event", "report", "website", "statistics-office", "place",
)
RELATION_TYPES = (
    "initiated", "leads", "member-of", "part-of", "hosts", "cooperates-with", "funds", "operates",
    "located-in", "partner-in", "published", "supports",
)
COUNT_UNITS = (
    "persons", "full-time-employees", "jobs", "companies", "members", "products", "years",
    "calendar-year", "DKK", "categories", "partnerships", "countries",
)
LANGS = ("da", "en")
CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector

_LABELLED = {"id", "label", "description", "note"}
SECTIONS: dict[str, tuple[set[str], set[str]]] = {
    # section: (required keys, optional keys)
    "actors": (
        {"id", "kind", "type", "label"},
        {"names", "quotes", "part_of", "located_in", "description", "note"},
    ),
    "strength_positions": ({"id", "area", "label", "quote"}, {"occurrence", "description", "note"}),
    "figures": (
        {"id", "area", "indicator", "quote", "expression", "label"},
        {"occurrence", "scope", "subject", "year", "unit", "description", "note"},
    ),
    "relations": (
        {"id", "subject", "relation", "object", "quote"},
        {"occurrence", "year", "label", "description", "note"},
    ),
    "challenges": ({"id", "area", "quote", "label"}, {"occurrence", "description", "note"}),
    "focus_areas": ({"id", "area", "quote", "label"}, {"occurrence", "description", "note"}),
    "indicators": ({"id", "label"}, {"description", "note"}),
}


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Span:
    """Words of the annex: original offsets [start, end), the exact original text, context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    text: str  # the same words, normalised
    norm_start: int
    norm_end: int


@dataclass(frozen=True)
class Origin:
    path: str
    line: int


@dataclass
class Actor:
    id: str
    kind: str
    type: str
    label: dict[str, str]
    origin: Origin
    names: list[str] = field(default_factory=list)
    description: dict[str, str] = field(default_factory=dict)
    part_of: str | None = None
    located_in: str | None = None
    mentions: list[Span] = field(default_factory=list)  # every occurrence of a name
    quotes: list[Span] = field(default_factory=list)  # extra supporting quotes

    @property
    def spans(self) -> list[Span]:
        return sorted(self.mentions + self.quotes, key=lambda s: (s.start, s.end))


@dataclass
class Statement:
    """A strength position, challenge or focus area: a labelled claim about one business area."""

    id: str
    section: str
    area: str
    label: dict[str, str]
    span: Span
    origin: Origin
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class Figure:
    id: str
    area: str
    indicator: str
    label: dict[str, str]
    span: Span  # the clause stating it
    expression: Span  # the number expression inside it
    value: Decimal
    unit: str
    qualifier: str | None
    low: Decimal | None
    high: Decimal | None
    origin: Origin
    scope: str | None = None
    subject: str | None = None
    year: int | None = None
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class Relation:
    id: str
    subject: str
    relation: str
    object: str
    span: Span
    origin: Origin
    year: int | None = None
    label: dict[str, str] = field(default_factory=dict)


@dataclass
class Indicator:
    id: str
    label: dict[str, str]
    origin: Origin
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class Annotations:
    actors: dict[str, Actor] = field(default_factory=dict)
    strength_positions: dict[str, Statement] = field(default_factory=dict)
    challenges: dict[str, Statement] = field(default_factory=dict)
    focus_areas: dict[str, Statement] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def summary(self) -> str:
        mentions = sum(len(a.mentions) for a in self.actors.values())
        return (
            f"{len(self.actors)} actors ({mentions} mentions), "
            f"{len(self.strength_positions)} strength positions, {len(self.figures)} figures, "
            f"{len(self.relations)} relations, {len(self.challenges)} challenges, "
            f"{len(self.focus_areas)} focus areas, {len(self.indicators)} indicators"
        )

    def all_spans(self) -> Iterable[Span]:
        for actor in self.actors.values():
            yield from actor.spans
        for group in (self.strength_positions, self.challenges, self.focus_areas):
            for st in group.values():
                yield st.span
        for fig in self.figures.values():
            yield fig.span
        for rel in self.relations.values():
            yield rel.span


# --------------------------------------------------------------------------- YAML with lines


class Lined(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


_constructor = yaml.constructor.SafeConstructor()


def _convert(node: yaml.Node, path: str, errors: list[AnnotationError]) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = Lined()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = str(_constructor.construct_object(key_node, deep=True))
            line = key_node.start_mark.line + 1
            if key in out:
                errors.append(AnnotationError(path, line, key, "key given twice"))
            out[key] = _convert(value_node, path, errors)
            out.key_lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path, errors) for item in node.value]
    return _constructor.construct_object(node, deep=True)


def parse_yaml(text: str, path: str) -> tuple[Any, list[AnnotationError]]:
    errors: list[AnnotationError] = []
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return None, [AnnotationError(path, line, None, f"not valid YAML: {exc}")]
    if node is None:
        return Lined(), errors
    return _convert(node, path, errors), errors


# --------------------------------------------------------------------------- locating


def _clean(text: str) -> str:
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
        quote = _clean(quote)
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


# --------------------------------------------------------------------------- loading


class _Reader:
    """Validates entries of one file against SECTIONS and collects errors with lines."""

    def __init__(self, path: str, errors: list[AnnotationError]) -> None:
        self.path = path
        self.errors = errors

    def error(self, entry: Lined | None, key: str | None, message: str) -> None:
        line = None
        if entry is not None:
            line = entry.key_lines.get(key, entry.line) if key else entry.line
        self.errors.append(AnnotationError(self.path, line, key, message))

    def check_keys(self, section: str, entry: Any) -> bool:
        if not isinstance(entry, Lined):
            self.errors.append(
                AnnotationError(self.path, None, section, f"entries of {section} must be mappings")
            )
            return False
        required, optional = SECTIONS[section]
        ok = True
        for key in entry:
            if key not in required | optional:
                self.error(entry, key, f"unknown field in {section}: {key!r}")
                ok = False
        for key in sorted(required - set(entry)):
            self.error(entry, None, f"missing field {key!r}")
            ok = False
        ident = entry.get("id")
        if not isinstance(ident, str) or not SLUG.match(ident):
            self.error(entry, "id", f"id {ident!r} breaks the slug rule {SLUG.pattern}")
            ok = False
        return ok

    def labels(self, entry: Lined, key: str, required: bool = True) -> dict[str, str]:
        value = entry.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.error(entry, key, f"{key} must be a mapping with da and en")
            return {}
        out: dict[str, str] = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.error(entry, key, f"{key} needs a non-empty {lang!r} text")
            else:
                out[lang] = _clean(text)
        for lang in value:
            if lang not in LANGS:
                self.error(entry, key, f"{key} has an unknown language {lang!r} (use da, en)")
        return out

    def choice(self, entry: Lined, key: str, allowed: Iterable[str]) -> str:
        value = entry.get(key)
        allowed = tuple(allowed)
        if value not in allowed:
            self.error(entry, key, f"{value!r} is not one of: {', '.join(allowed)}")
        return str(value)

    def year(self, entry: Lined) -> int | None:
        value = entry.get("year")
        if value is None:
            return None
        if not isinstance(value, int) or not 1900 <= value <= 2100:
            self.error(entry, "year", f"year must be a four-digit year, not {value!r}")
            return None
        return value

    def occurrence(self, entry: Lined) -> int | None:
        value = entry.get("occurrence")
        if value is not None and (not isinstance(value, int) or value < 1):
            self.error(entry, "occurrence", "occurrence must be a positive integer")
            return None
        return value


def load_annotations(doc: Document, directory: Path) -> Annotations:
    """Load every ``*.yaml`` in `directory`; raise the first error (all are in `.all`)."""
    result, errors = collect_annotations(doc, directory)
    if errors:
        first = errors[0]
        if len(errors) > 1:
            first.message += f" (and {len(errors) - 1} more problems: run `vestlod check`)"
        raise first
    return result


def annotation_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("coverage-"))


def collect_annotations(
    doc: Document, directory: Path
) -> tuple[Annotations, list[AnnotationError]]:
    """Load and check everything, returning the result and every problem found."""
    errors: list[AnnotationError] = []
    raw: dict[str, list[tuple[_Reader, Lined]]] = {s: [] for s in SECTIONS}
    files = annotation_files(directory)
    if not files:
        errors.append(AnnotationError(str(directory), None, None, "no annotation files"))
    for path in files:
        rel = str(path)
        data, errs = parse_yaml(path.read_text(encoding="utf-8"), rel)
        errors.extend(errs)
        if data is None:
            continue
        reader = _Reader(rel, errors)
        if not isinstance(data, Lined):
            errors.append(AnnotationError(rel, None, None, "the file must be a mapping"))
            continue
        for section, entries in data.items():
            if section not in SECTIONS:
                reader.error(data, section, f"unknown section {section!r}")
                continue
            if entries is None:
                continue
            if not isinstance(entries, list):
                reader.error(data, section, f"{section} must be a list")
                continue
            for entry in entries:
                if reader.check_keys(section, entry):
                    raw[section].append((reader, entry))

    # duplicate ids per section
    for section, items in raw.items():
        seen: dict[str, tuple[_Reader, Lined]] = {}
        for reader, entry in items:
            ident = entry["id"]
            if ident in seen:
                other_reader, other = seen[ident]
                reader.error(
                    entry, "id",
                    f"duplicate id {ident!r} (first at {other_reader.path}:{other.line})",
                )
            else:
                seen[ident] = (reader, entry)
        raw[section] = list(seen.values())

    locator = Locator(doc)
    ann = Annotations()

    def quote_span(reader: _Reader, entry: Lined, key: str = "quote") -> Span | None:
        span, reason = locator.locate(str(entry.get(key, "")), reader.occurrence(entry))
        if reason:
            reader.error(entry, key, reason)
        return span

    for reader, entry in raw["indicators"]:
        ann.indicators[entry["id"]] = Indicator(
            entry["id"], reader.labels(entry, "label"), Origin(reader.path, entry.line),
            reader.labels(entry, "description", required=False),
        )

    # actors: names first (mentions are found across all actors at once)
    name_owner: dict[str, str] = {}
    for reader, entry in raw["actors"]:
        names = entry.get("names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            reader.error(entry, "names", "names must be a list of strings")
            names = []
        actor = Actor(
            id=entry["id"],
            kind=reader.choice(entry, "kind", KINDS),
            type=reader.choice(entry, "type", ACTOR_TYPES),
            label=reader.labels(entry, "label"),
            origin=Origin(reader.path, entry.line),
            names=[_clean(n) for n in names],
            description=reader.labels(entry, "description", required=False),
            part_of=entry.get("part_of"),
            located_in=entry.get("located_in"),
        )
        for name in actor.names:
            if name in name_owner and name_owner[name] != actor.id:
                reader.error(entry, "names", f"name {name!r} is also a name of {name_owner[name]}")
            name_owner[name] = actor.id
        quotes = entry.get("quotes") or []
        if not isinstance(quotes, list):
            reader.error(entry, "quotes", "quotes must be a list")
            quotes = []
        for q in quotes:
            if isinstance(q, dict):
                unknown = set(q) - {"quote", "occurrence"}
                if unknown:
                    reader.error(entry, "quotes", f"unknown field in a quote: {sorted(unknown)}")
                text, occ = q.get("quote", ""), q.get("occurrence")
            else:
                text, occ = q, None
            span, reason = locator.locate(str(text), occ)
            if reason:
                reader.error(entry, "quotes", reason)
            elif span is not None:
                actor.quotes.append(span)
        ann.actors[actor.id] = actor

    found = locator.mentions(name_owner)
    readers = {e["id"]: (r, e) for r, e in raw["actors"]}
    for actor in ann.actors.values():
        actor.mentions = found.get(actor.id, [])
        reader, entry = readers[actor.id]
        seen_names = {m.text for m in actor.mentions}
        for name in actor.names:
            if not any(t == name or t.startswith(name) for t in seen_names) and not (
                locator.occurrences(name)
            ):
                reader.error(entry, "names", f"name {name!r} does not occur in the annex")
        if not actor.spans:
            reader.error(entry, "names", "the actor has no mention and no quote in the annex")

    for section in ("strength_positions", "challenges", "focus_areas"):
        target = getattr(ann, section)
        for reader, entry in raw[section]:
            span = quote_span(reader, entry)
            area = reader.choice(entry, "area", AREAS)
            labels = reader.labels(entry, "label")
            if span is not None:
                target[entry["id"]] = Statement(
                    entry["id"], section, area, labels, span, Origin(reader.path, entry.line),
                    reader.labels(entry, "description", required=False),
                )

    _load_figures(raw["figures"], ann, locator, quote_span)

    for reader, entry in raw["relations"]:
        span = quote_span(reader, entry)
        rel = Relation(
            id=entry["id"],
            subject=str(entry["subject"]),
            relation=reader.choice(entry, "relation", RELATION_TYPES),
            object=str(entry["object"]),
            span=span,  # type: ignore[arg-type]
            origin=Origin(reader.path, entry.line),
            year=reader.year(entry),
            label=reader.labels(entry, "label", required=False),
        )
        for key in ("subject", "object"):
            if getattr(rel, key) not in ann.actors:
                reader.error(entry, key, f"no actor with id {getattr(rel, key)!r}")
        if rel.subject == rel.object:
            reader.error(entry, "object", "a relation needs two different actors")
        if span is not None:
            ann.relations[rel.id] = rel

    # references from actors
    for actor in ann.actors.values():
        reader, entry = readers[actor.id]
        for key in ("part_of", "located_in"):
            ref = getattr(actor, key)
            if ref is not None and ref not in ann.actors:
                reader.error(entry, key, f"no actor with id {ref!r}")
            if ref == actor.id:
                reader.error(entry, key, "an actor cannot refer to itself")

    errors.sort(key=lambda e: (e.path, e.line or 0))
    return _sorted(ann), errors


def _load_figures(
    entries: list[tuple[_Reader, Lined]], ann: Annotations, locator: Locator, quote_span: Any
) -> None:
    from publish.build.figures import parse_quantity

    for reader, entry in entries:
        span = quote_span(reader, entry)
        area = reader.choice(entry, "area", AREAS)
        indicator = str(entry.get("indicator"))
        if indicator not in ann.indicators:
            reader.error(entry, "indicator", f"no indicator with id {indicator!r}")
        labels = reader.labels(entry, "label")
        expression = _clean(str(entry.get("expression", "")))
        if span is None:
            continue
        where = span.text.find(expression) if expression else -1
        if where < 0:
            reader.error(entry, "expression", f"expression {expression!r} is not in the quote")
            continue
        try:
            quantity = parse_quantity(expression)
        except FigureError as exc:
            reader.error(entry, "expression", f"cannot parse {expression!r}: {exc}")
            continue
        unit = quantity.unit
        given = entry.get("unit")
        if given is not None:
            if given not in COUNT_UNITS:
                reader.error(entry, "unit", f"{given!r} is not one of: {', '.join(COUNT_UNITS)}")
            elif unit is not None and unit != given:
                reader.error(entry, "unit", f"unit {given!r} contradicts the expression ({unit})")
            unit = unit or given
        if unit is None:
            reader.error(entry, "unit", f"say what {expression!r} counts with unit:")
            continue
        for key in ("scope", "subject"):
            ref = entry.get(key)
            if ref is not None and ref not in ann.actors:
                reader.error(entry, key, f"no actor or place with id {ref!r}")
        ns = span.norm_start + where
        ann.figures[entry["id"]] = Figure(
            id=entry["id"],
            area=area,
            indicator=indicator,
            label=labels,
            span=span,
            expression=locator.span(ns, ns + len(expression)),
            value=quantity.value,
            unit=unit,
            qualifier=quantity.qualifier,
            low=quantity.low,
            high=quantity.high,
            origin=Origin(reader.path, entry.line),
            scope=entry.get("scope"),
            subject=entry.get("subject"),
            year=reader.year(entry),
            description=reader.labels(entry, "description", required=False),
        )


def _sorted(ann: Annotations) -> Annotations:
    """Order every table by id, so the graph is built the same way whatever the file order."""
    for name in ("actors", "strength_positions", "challenges", "focus_areas", "figures",
                 "relations", "indicators"):
        table = getattr(ann, name)
        setattr(ann, name, dict(sorted(table.items())))
    return ann


# --------------------------------------------------------------------------- coverage

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


def load_ignore(path: Path) -> dict[str, str]:
    """The coverage ignore file: a list of {text, reason}; a reason is required."""
    if not path.is_file():
        return {}
    data, errors = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    if errors:
        raise errors[0]
    out: dict[str, str] = {}
    for entry in data.get("ignore", []) if isinstance(data, dict) else []:
        if not isinstance(entry, Lined) or not entry.get("text") or not entry.get("reason"):
            line = entry.line if isinstance(entry, Lined) else None
            raise AnnotationError(str(path), line, "ignore", "each entry needs text and reason")
        out[str(entry["text"])] = str(entry["reason"])
    return out
