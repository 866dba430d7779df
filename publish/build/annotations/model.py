"""The annotations as values: what the loader hands to the graph builder and the coverage report.

Plain dataclasses with no behaviour beyond summaries, so the graph builder depends on the shape of
the data and not on how YAML was read or quotes were located.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


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
    members: list[str] = field(default_factory=list)  # a group's members the text names (§A3)
    mentions: list[Span] = field(default_factory=list)  # every occurrence of a name
    quotes: list[Span] = field(default_factory=list)  # extra supporting quotes

    @property
    def spans(self) -> list[Span]:
        return sorted(self.mentions + self.quotes, key=lambda s: (s.start, s.end))


@dataclass
class Statement:
    """A strength position, resource, challenge or focus area: a labelled claim about one
    business area."""

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
    resources: dict[str, Statement] = field(default_factory=dict)
    regional_business_areas: dict[str, Statement] = field(default_factory=dict)
    challenges: dict[str, Statement] = field(default_factory=dict)
    focus_areas: dict[str, Statement] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def summary(self) -> str:
        mentions = sum(len(a.mentions) for a in self.actors.values())
        return (
            f"{len(self.actors)} actors ({mentions} mentions), "
            f"{len(self.strength_positions)} strength positions, {len(self.resources)} resources, "
            f"{len(self.regional_business_areas)} regional business areas, "
            f"{len(self.figures)} figures, "
            f"{len(self.relations)} relations, {len(self.challenges)} challenges, "
            f"{len(self.focus_areas)} focus areas, {len(self.indicators)} indicators"
        )

    def all_spans(self) -> Iterable[Span]:
        for actor in self.actors.values():
            yield from actor.spans
        for group in (self.strength_positions, self.resources, self.regional_business_areas,
                      self.challenges, self.focus_areas):
            for st in group.values():
                yield st.span
        for fig in self.figures.values():
            yield fig.span
        for rel in self.relations.values():
            yield rel.span
