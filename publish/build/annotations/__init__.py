"""Load the curated YAML annotations and anchor every entry in the words of the annex.

Each entry quotes the annex; the quote is located in the normalised text (see
`publish.build.source`) and becomes a `Span` with offsets into the original file. Everything a
curator can get wrong is reported as ``file:line: [field] message``. The schema is documented
for curators in ``data/annotations/README.md``.

The package is split by job, each module small enough to read at once:

* `model`: the dataclasses the rest of the build consumes (`Annotations`, `Span`, `Figure`, …);
* `codelists`: the fixed code lists a field may take (actor types, areas, units, …), as data;
* `yamlreader`: YAML that remembers the line of every key;
* `locator`: a quote or a name in the annex → a `Span`;
* `loading`: reading, checking and anchoring every file (`collect_annotations`, …);
* `coverage`: what in the annex no annotation covers yet.

The names below are re-exported so callers import from ``publish.build.annotations`` and do not
depend on that split.
"""

from __future__ import annotations

from publish.build.annotations.codelists import (
    ACTOR_TYPES,
    AREAS,
    CONTEXT,
    COUNT_UNITS,
    KINDS,
    LANGS,
    RELATION_TYPES,
    SECTIONS,
    SLUG,
)
from publish.build.annotations.coverage import coverage
from publish.build.annotations.loading import (
    annotation_files,
    collect_annotations,
    load_annotations,
    load_ignore,
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

__all__ = [
    "ACTOR_TYPES", "AREAS", "CONTEXT", "COUNT_UNITS", "KINDS", "LANGS", "RELATION_TYPES",
    "SECTIONS", "SLUG", "Actor", "Annotations", "Category", "Classification", "DateStatement",
    "Figure", "Indicator", "Lined", "Locator", "Origin", "Relation", "Sector", "Span",
    "Statement", "annotation_files", "clean", "collect_annotations", "coverage",
    "load_annotations", "load_ignore", "parse_yaml",
]
