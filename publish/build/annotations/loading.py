"""Read every annotation file, check it against the schema and anchor it in the annex.

Everything a curator can get wrong — an unknown key, a missing label, a quote that is not in the
annex or occurs twice, an id that breaks the slug rule or is used twice, a reference to nothing — is
collected as ``file:line: [field] message``, so `vestlod check` can list every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from publish.build.annotations.codelists import (
    ACTOR_TYPES,
    AREAS,
    COUNT_UNITS,
    DATE_PROPERTIES,
    FRAME_WITHIN,
    KINDS,
    LANGS,
    RELATION_TYPES,
    SECTIONS,
    SLUG,
    STATUSES,
)
from publish.build.annotations.locator import Locator, clean
from publish.build.annotations.model import (
    Actor,
    Annotations,
    Category,
    Classification,
    DateStatement,
    Figure,
    Indicator,
    Origin,
    Relation,
    Sector,
    Span,
    Statement,
)
from publish.build.annotations.yamlreader import Lined, parse_yaml
from publish.build.source import Document
from publish.errors import AnnotationError, FigureError


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
                out[lang] = clean(text)
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
        unit = entry.get("unit")
        if unit is not None and unit not in (*COUNT_UNITS, "ratio", "percent"):
            reader.error(entry, "unit", f"{unit!r} is not a unit")
        ann.indicators[entry["id"]] = Indicator(
            entry["id"], reader.labels(entry, "label"), Origin(reader.path, entry.line),
            reader.labels(entry, "description", required=False),
            None if unit is None else str(unit),
        )
    for reader, entry in raw["sectors"]:
        ann.sectors[entry["id"]] = Sector(
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
            names=[clean(n) for n in names],
            description=reader.labels(entry, "description", required=False),
            part_of=entry.get("part_of"),
            located_in=entry.get("located_in"),
        )
        members = entry.get("members") or []
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            reader.error(entry, "members", "members must be a list of actor ids")
        elif members and actor.kind != "group":
            reader.error(entry, "members", "only an actor of kind group has members (§A3)")
        else:
            actor.members = list(members)
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

    for section in ("strength_positions", "resources", "regional_business_areas", "challenges",
                    "focus_areas"):
        target = getattr(ann, section)
        for reader, entry in raw[section]:
            span = quote_span(reader, entry)
            area = reader.choice(entry, "area", AREAS)
            labels = reader.labels(entry, "label")
            if span is not None:
                frame = None
                if entry.get("frame") is not None:
                    frame, reason = locator.frame(str(entry["frame"]), span, FRAME_WITHIN)
                    if reason:
                        reader.error(entry, "frame", reason)
                target[entry["id"]] = Statement(
                    entry["id"], section, area, labels, span, Origin(reader.path, entry.line),
                    reader.labels(entry, "description", required=False), frame,
                    " … " if frame is None else locator.joint(frame, span),
                )

    _load_figures(raw["figures"], ann, locator, quote_span)
    _load_dates(raw["dates"], ann, locator, quote_span)
    for reader, entry in raw["classifications"]:
        span = quote_span(reader, entry)
        work = str(entry.get("work"))
        if work not in ann.actors:
            reader.error(entry, "work", f"no actor with id {work!r}")
        categories = []
        for item in entry.get("categories") or []:
            if not isinstance(item, dict) or not SLUG.match(str(item.get("id", ""))) or not (
                    isinstance(item.get("name"), str)):
                reader.error(entry, "categories", "each category needs an id (a slug) and a name")
                continue
            if span is not None and item["name"] not in span.text:
                reader.error(entry, "categories", f"{item['name']!r} is not in the quote")
            label = item.get("label")
            if not isinstance(label, dict) or not all(
                    isinstance(label.get(lang), str) for lang in LANGS):
                reader.error(entry, "categories", f"category {item['id']!r} needs a da and en "
                             "label")
                continue
            categories.append(Category(str(item["id"]), str(item["name"]),
                                       {lang: clean(label[lang]) for lang in LANGS}))
        labels = reader.labels(entry, "label")
        if span is not None:
            ann.classifications[entry["id"]] = Classification(
                entry["id"], work, labels, span, Origin(reader.path, entry.line), categories,
                reader.labels(entry, "description", required=False),
            )

    for reader, entry in raw["relations"]:
        span = quote_span(reader, entry)
        subject, obj = str(entry["subject"]), str(entry["object"])
        relation = reader.choice(entry, "relation", RELATION_TYPES)
        year = reader.year(entry)
        label = reader.labels(entry, "label", required=False)
        for key, ref in (("subject", subject), ("object", obj)):
            if ref not in ann.actors:
                reader.error(entry, key, f"no actor with id {ref!r}")
        if subject == obj:
            reader.error(entry, "object", "a relation needs two different actors")
        if span is not None:
            _check_parties_named(reader, entry, span, ann)
        if relation == "located-in" and obj in ann.actors and ann.actors[obj].kind != "place":
            reader.error(entry, "object",
                         f"located-in needs a place, not the {ann.actors[obj].kind} {obj!r}: "
                         "'X ved Y' (Y an organisation) is Y hosts X (§A2)")
        if span is not None:  # the entry is still checked in full, but only kept with its words
            ann.relations[entry["id"]] = Relation(
                id=entry["id"], subject=subject, relation=relation, object=obj, span=span,
                origin=Origin(reader.path, entry.line), year=year, label=label,
            )

    # references from actors
    for actor in ann.actors.values():
        reader, entry = readers[actor.id]
        for key in ("part_of", "located_in"):
            ref = getattr(actor, key)
            if ref is not None and ref not in ann.actors:
                reader.error(entry, key, f"no actor with id {ref!r}")
            if ref == actor.id:
                reader.error(entry, key, "an actor cannot refer to itself")
        for ref in actor.members:
            if ref not in ann.actors:
                reader.error(entry, "members", f"no actor with id {ref!r}")
            elif ref == actor.id:
                reader.error(entry, "members", "a group cannot be its own member")

    errors.sort(key=lambda e: (e.path, e.line or 0))
    return _sorted(ann), errors


def _check_parties_named(reader: _Reader, entry: Lined, span: Span, ann: Annotations) -> None:
    """A relation's quote names both parties, or holds the words that refer to them (§A2).

    A party counts as named when one of its spans (a mention of one of its names, or one of its
    extra `quotes`, e.g. *Regionerne* or *man* for a group) shares words with the relation's
    quote: a mention lies inside it, or the quote and the party's own quote overlap; or one of
    its names stands in the quote as a word, even inside a longer name that took the mention
    (*Teknologisk Institut* in *Teknologisk Institut Center for Robotteknologi*, §A1).
    """
    for key in ("subject", "object"):
        actor = ann.actors.get(str(entry.get(key)))
        if actor is None:
            continue  # reported as an unknown id
        if not any(s.norm_start < span.norm_end and span.norm_start < s.norm_end
                   for s in actor.spans) and not any(
                       re.search(r"(?<![\w@&])" + re.escape(name) + r"(?![\w@&])", span.text)
                       for name in actor.names):
            reader.error(
                entry, "quote",
                f"the quote does not name the {key} {actor.id!r}: widen it to the words that "
                f"name {actor.id!r} (one of {actor.names or 'its names'}) or refer to it, or "
                "give that actor a quote for those words (§A2)",
            )


def _load_figures(
    entries: list[tuple[_Reader, Lined]], ann: Annotations, locator: Locator, quote_span: Any
) -> None:
    from publish.build.figures import as_ratio, parse_quantity, qualifier_word

    for reader, entry in entries:
        span = quote_span(reader, entry)
        area = reader.choice(entry, "area", AREAS)
        indicator = str(entry.get("indicator"))
        if indicator not in ann.indicators:
            reader.error(entry, "indicator", f"no indicator with id {indicator!r}")
        labels = reader.labels(entry, "label")
        expression = clean(str(entry.get("expression", "")))
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
        ind = ann.indicators.get(indicator)
        if ind is not None and ind.unit == "ratio":
            quantity = as_ratio(quantity)  # one unit per indicator: a share is a ratio (§A4)
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
        scope = entry.get("scope")
        if scope in ann.actors and ann.actors[scope].kind != "place":
            reader.error(entry, "scope", f"scope {scope!r} is not a place (kind "
                         f"{ann.actors[scope].kind}); refArea is only for places (§A4): say "
                         "what is measured with measured:")
        measured = str(entry.get("measured"))
        if measured in ann.sectors and measured in ann.actors:
            reader.error(entry, "measured", f"{measured!r} is both a sector and an actor")
        elif measured not in ann.sectors and measured not in ann.actors:
            reader.error(entry, "measured", f"no sector or actor with id {measured!r}")
        status = entry.get("status")
        if status is not None:
            if status not in STATUSES:
                reader.error(entry, "status", f"{status!r} is not one of: {', '.join(STATUSES)}")
            elif not any(word in span.text.lower() for word in STATUSES[str(status)]):
                reader.error(entry, "status", f"status {status!r} needs one of "
                             f"{STATUSES[str(status)]} in the quote")
        sources = entry.get("sources") or []
        if not isinstance(sources, list) or not all(s in ann.actors for s in sources):
            reader.error(entry, "sources", "sources must be a list of actor ids")
            sources = []
        if ind is not None and ind.unit is not None and unit is not None and unit != ind.unit:
            reader.error(entry, "unit", f"unit {unit!r} is not the unit of indicator "
                         f"{indicator!r} ({ind.unit}); one unit per indicator (§A4)")
        qualifier = quantity.qualifier
        if entry.get("qualifier") is not None:
            # a qualifier before coordinated numbers governs each (*Ca. 3/4 af … og 2/3 af …*)
            word = clean(str(entry["qualifier"]))
            shared = qualifier_word(word)
            if shared is None:
                reader.error(entry, "qualifier", f"{word!r} is not a qualifier")
            elif qualifier is not None:
                reader.error(entry, "qualifier", f"{expression!r} has its own qualifier")
            elif not span.text.startswith(word + " ") or where == 0:
                reader.error(entry, "qualifier", f"a shared qualifier opens the quote before "
                             f"the expression: the quote must start with {word!r}")
            else:
                qualifier = shared
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
            qualifier=qualifier,
            low=quantity.low,
            high=quantity.high,
            origin=Origin(reader.path, entry.line),
            measured=measured,
            scope=entry.get("scope"),
            subject=entry.get("subject"),
            year=reader.year(entry),
            status=None if status is None else str(status),
            sources=[str(s) for s in sources],
            description=reader.labels(entry, "description", required=False),
        )
    units: dict[str, set[str]] = {}
    for fig in ann.figures.values():
        units.setdefault(fig.indicator, set()).add(fig.unit)
    for reader, entry in entries:
        loaded = ann.figures.get(entry["id"])
        if loaded is not None and len(units[loaded.indicator]) > 1:
            reader.error(entry, "indicator", f"indicator {loaded.indicator!r} has figures in "
                         f"{sorted(units[loaded.indicator])}; one unit per indicator (§A4)")


def _load_dates(
    entries: list[tuple[_Reader, Lined]], ann: Annotations, locator: Locator, quote_span: Any
) -> None:
    """Years that say when something happened or holds: dates on things, never figures (§A4)."""
    from publish.build.figures import parse_quantity

    for reader, entry in entries:
        span = quote_span(reader, entry)
        prop = reader.choice(entry, "property", DATE_PROPERTIES)
        subjects = entry.get("subject")
        subjects = subjects if isinstance(subjects, list) else [subjects]
        for ref in subjects:
            if ref not in ann.actors:
                reader.error(entry, "subject", f"no actor with id {ref!r}")
        activity = entry.get("activity", False)
        if not isinstance(activity, bool):
            reader.error(entry, "activity", "activity must be true or false")
            activity = False
        if len(subjects) != 1 and not activity:
            reader.error(entry, "subject", "a date without activity: dates exactly one actor")
        labels = reader.labels(entry, "label", required=activity)
        expression = clean(str(entry.get("expression", "")))
        if span is None:
            continue
        where = span.text.find(expression) if expression else -1
        if where < 0:
            reader.error(entry, "expression", f"expression {expression!r} is not in the quote")
            continue
        try:
            q = parse_quantity(expression)
        except FigureError as exc:
            reader.error(entry, "expression", f"cannot parse {expression!r}: {exc}")
            continue
        years = (q.low, q.high) if q.low is not None else (q.value, None)
        if q.unit is not None or q.qualifier is not None or not all(
                y is None or (y == int(y) and 1900 <= y <= 2100) for y in years):
            reader.error(entry, "expression", f"{expression!r} is not a year or a period")
            continue
        if (prop == "period") != (years[1] is not None):
            reader.error(entry, "property", "a period (2015-18) is property: period, and only "
                         "a period is")
            continue
        ns = span.norm_start + where
        ann.dates[entry["id"]] = DateStatement(
            id=entry["id"], property=prop, span=span,
            expression=locator.span(ns, ns + len(expression)),
            start=int(years[0]), end=None if years[1] is None else int(years[1]),
            subjects=[str(s) for s in subjects], origin=Origin(reader.path, entry.line),
            activity=activity, label=labels,
        )


def _sorted(ann: Annotations) -> Annotations:
    """Order every table by id, so the graph is built the same way whatever the file order."""
    for name in ("actors", "strength_positions", "resources", "regional_business_areas",
                 "challenges", "focus_areas", "figures", "relations", "indicators", "sectors",
                 "dates", "classifications"):
        table = getattr(ann, name)
        setattr(ann, name, dict(sorted(table.items())))
    return ann


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
