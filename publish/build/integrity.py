"""The gate's second stage, after SHACL: Data Cube integrity, places as refArea, SKOS.

`vestlod build` runs it on the dataset before anything is written and `vestlod validate` on a
built folder; a problem stops the build like a SHACL violation (`ShaclViolation`, exit 3),
naming the constraint and the resources that break it:

* the W3C Data Cube integrity constraints IC-1 … IC-21 after the §10 normalisation
  (`publish.build.qb_integrity`, queries in ``shapes/qb/``);
* every ``sdmx-dimension:refArea`` value is a place (data/annotations/README.md §A4);
* the SKOS checks of ``shapes/skos/`` (`publish.build.skos_integrity`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from publish.build.qb_integrity import (
    Data,
    check_store,
    load_constraints,
    merged_store,
    non_place_ref_areas,
    normalise,
)
from publish.build.skos_integrity import check_skos, load_checks


@dataclass(frozen=True)
class IntegrityReport:
    problems: tuple[str, ...]
    constraints: int  # how many IC and SKOS checks were asked
    seconds: float

    def headline(self) -> str:
        verdict = "holds" if not self.problems else "BROKEN"
        return (f"integrity: {verdict}, {len(self.problems)} problems ({self.constraints} checks: "
                f"Data Cube IC-1 … IC-21 after normalisation, refArea places, SKOS; "
                f"{self.seconds:.1f} s)")

    def summary(self) -> str:
        return "\n".join([self.headline(), *(f"  {p}" for p in self.problems)])


def check_integrity(data: Data, shapes_dir: Path) -> IntegrityReport:
    """Every problem of the three checks, in that order; the caller decides what it means."""
    t0 = time.perf_counter()
    store = merged_store(data)
    problems = [f"SKOS: {v}" for v in check_skos(store, shapes_dir / "skos")]
    problems += [
        f"refArea is not a place: <{p.value}> ({', '.join(p.types) or 'untyped'}; "
        f"{p.observations} observations)"
        for p in non_place_ref_areas(store)
    ]
    constraints = load_constraints(shapes_dir / "qb")
    normalise(store, shapes_dir / "qb")
    problems += [f"Data Cube {v}" for v in check_store(store, constraints)]
    count = len(constraints) + 1 + len(load_checks(shapes_dir / "skos"))
    return IntegrityReport(tuple(problems), count, time.perf_counter() - t0)
