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
    #: the words before the quote that carry the claim's frame where they are not next to it:
    #: a list's lead-in (*En tværregional indsats kan med fordel have fokus på:*), the modal
    #: of a sentence whose object the quote is (§A6)
    frame: Span | None = None
    #: what the annex has between frame and quote: punctuation and space as they are
    #: (*fokus på:* + item), an ellipsis where words lie between
    joint: str = " … "

    @property
    def scope_text(self) -> str:
        """The frame and the quote as one text, as the scope note publishes it."""
        if self.frame is None:
            return self.span.text
        return self.frame.text + self.joint + self.span.text


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
    measured: str = ""  # a sector id or an actor id: what the figure measures (§A4)
    scope: str | None = None  # a place: sdmx-dimension:refArea
    subject: str | None = None
    year: int | None = None
    status: str | None = None  # "forecast" | "target" | None (a measurement)
    sources: list[str] = field(default_factory=list)  # actor ids: dcterms:source
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class Sector:
    """A sector or population a figure measures (*vindenergisektoren*, *fødevareerhvervet*)."""

    id: str
    label: dict[str, str]
    origin: Origin
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class Category:
    id: str
    name: str  # the word of the annex, inside the classification's quote
    label: dict[str, str]


@dataclass
class Classification:
    """A classification a work makes (*inddeler … i tre kategorier: …*): not a measurement (§A4)
    but a concept scheme, one concept per category the annex names."""

    id: str
    work: str
    label: dict[str, str]
    span: Span
    origin: Origin
    categories: list[Category] = field(default_factory=list)
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class DateStatement:
    """A year the annex gives for when something happened or holds (§A4): never a figure.

    On an actor (`subjects` one id) or, with `activity`, on an activity this entry names whose
    agents are `subjects` (*FFI … har siden 2015 været et tilbud til …*).
    """

    id: str
    property: str  # "founded" | "started" | "issued" | "period"
    span: Span
    expression: Span
    start: int
    end: int | None  # only for a period
    subjects: list[str]
    origin: Origin
    activity: bool = False
    label: dict[str, str] = field(default_factory=dict)


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
    unit: str | None = None  # the one unit of its figures; a "%" is published as a ratio


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
    sectors: dict[str, Sector] = field(default_factory=dict)
    dates: dict[str, DateStatement] = field(default_factory=dict)
    classifications: dict[str, Classification] = field(default_factory=dict)

    def summary(self) -> str:
        mentions = sum(len(a.mentions) for a in self.actors.values())
        return (
            f"{len(self.actors)} actors ({mentions} mentions), "
            f"{len(self.strength_positions)} strength positions, {len(self.resources)} resources, "
            f"{len(self.regional_business_areas)} regional business areas, "
            f"{len(self.figures)} figures, "
            f"{len(self.relations)} relations, {len(self.challenges)} challenges, "
            f"{len(self.focus_areas)} focus areas, {len(self.indicators)} indicators, "
            f"{len(self.sectors)} sectors, {len(self.dates)} dates"
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
        for date in self.dates.values():
            yield date.span
        for cls in self.classifications.values():
            yield cls.span
        for rel in self.relations.values():
            yield rel.span
