"""SKOS checks of the gate: top concepts both ways, one prefLabel per language, tagged labels.

SHACL (`publish.build.validate`) checks resources one by one; these checks speak of pairs
(a scheme and its top concept, two labels of one resource), so they are SELECT queries in
``shapes/skos/`` that list what breaks them, run like the Data Cube constraints of
`publish.build.qb_integrity` on the union of every graph of the dataset. Each query's first line
is ``# SKOS-<n>. <title>``; each returns ``?resource`` (and ``?value``, what is wrong with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from publish.build.qb_integrity import Data, merged_store
from publish.errors import BuildError
from publish.vocab import prefixes

#: the checks as the repository keeps them (the build passes ``settings.shapes_dir / "skos"``)
SKOS_DIR = Path(__file__).resolve().parents[2] / "shapes" / "skos"
#: how many offending resources a violation names at most
MAX_OFFENDERS = 12


@dataclass(frozen=True)
class Check:
    check: str
    title: str
    select: str


@dataclass(frozen=True)
class SkosViolation:
    """A SKOS check that found resources breaking it, named with what is wrong."""

    check: str
    title: str
    offenders: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.check}. {self.title}: {', '.join(self.offenders)}"


def load_checks(folder: Path = SKOS_DIR) -> tuple[Check, ...]:
    """The checks of ``folder`` in order; an empty folder is an error, not a pass."""
    out = []
    for path in sorted(folder.glob("skos-*.rq"), key=lambda p: int(re.sub(r"\D", "", p.stem))):
        text = path.read_text(encoding="utf-8")
        match = re.fullmatch(r"#\s*(SKOS-\d+)\.\s+(.+?)\s*", text.splitlines()[0])
        if match is None:
            raise BuildError(f"{path}:1: expected '# SKOS-<n>. <title>'")
        out.append(Check(match.group(1), match.group(2), text))
    if not out:
        raise BuildError(f"{folder}: no SKOS checks; refusing to call SKOS a pass")
    return tuple(out)


def _prologue() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes(
        ("rdf", "rdfs", "skos")).items())


def check_skos(data: Data, folder: Path = SKOS_DIR) -> list[SkosViolation]:
    """Every SKOS check the union of ``data`` breaks, each with (some of) its offenders."""
    store = data if isinstance(data, ox.Store) else merged_store(data)
    out = []
    for check in load_checks(folder):
        result = store.query(_prologue() + check.select, use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):
            raise BuildError(f"{check.check}: not a SELECT query")
        found: list[str] = []
        for row in result:
            resource, value = row["resource"], row["value"]
            name = resource.value if isinstance(resource, ox.NamedNode) else str(resource)
            what = "" if value is None else (
                value.value if isinstance(value, ox.NamedNode | ox.Literal) else str(value))
            found.append(f"<{name}> ({what})" if what else f"<{name}>")
        if found:
            out.append(SkosViolation(check.check, check.title,
                                     tuple(sorted(found)[:MAX_OFFENDERS])))
    return out
