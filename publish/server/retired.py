"""Retired IRIs, read from the served store: which answer 301 (moved) and which 410 (gone).

A build writes one tombstone per row of ``data/retired.csv`` into the metadata graph (see
``data/annotations/README.md``)::

    <…/id/relation/foo> owl:deprecated true ;
        dcterms:isReplacedBy <…/id/relation/bar> ;    # moved; absent when gone
        skos:changeNote "…"@da , "…"@en .             # why

The server never imports the build: it asks the store for every ``owl:deprecated true`` IRI
under ``/id/`` once per dataset version, through the same cached, pooled reads as the pages
(`publish.server.lookup`), and keeps the table until a swap brings a new version, so a live
reload picks up new tombstones with the new data. Merged organisations also carry
``dcterms:isReplacedBy`` but are still described: only ``owl:deprecated`` makes a tombstone.

One kind of IRI is retired by rule rather than by row: the build activity
``id/activity/build-<16 hex>`` is named after the hash of the build's inputs, so every change of
the sources mints a new one and the previous one stops being described. A curator cannot be
expected to write a row per build, so any such IRI that the served data does not describe answers
``410`` with `EARLIER_BUILD` as its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from starlette.requests import Request

from publish import vocab
from publish.server import lookup
from publish.server.live import Serving

TOMBSTONES_QUERY = f"""
PREFIX owl: <{vocab.OWL}>
PREFIX dcterms: <{vocab.DCTERMS}>
PREFIX skos: <{vocab.SKOS}>
SELECT ?iri ?successor ?note ?lang WHERE {{
  ?iri owl:deprecated true .
  FILTER(isIRI(?iri))
  OPTIONAL {{ ?iri dcterms:isReplacedBy ?successor . FILTER(isIRI(?successor)) }}
  OPTIONAL {{ ?iri skos:changeNote ?note . BIND(LANG(?note) AS ?lang) }}
}}
"""


#: the path of a build activity (see `publish.build.graph`): named after its inputs' hash
BUILD_ACTIVITY = re.compile(r"id/activity/build-[0-9a-f]{16}")

#: why an earlier build's activity is gone
EARLIER_BUILD = {
    "da": "Et tidligere byggeforløb af datasættet; hvert byggeforløb har sin egen IRI, "
          "og tidligere forløb gemmes ikke.",
    "en": "An earlier build of the dataset; every build has its own IRI, and earlier builds "
          "are not kept.",
}

CURRENT_BUILDS_QUERY = f"""
PREFIX prov: <{vocab.PROV}>
SELECT DISTINCT ?activity WHERE {{
  ?activity a prov:Activity . ?thing prov:wasGeneratedBy ?activity
}}
"""


@dataclass(frozen=True)
class Tombstone:
    """A retired IRI: its successor (an IRI) when it moved, None when it is gone; why."""

    iri: str
    successor: str | None
    reason: dict[str, str] = field(default_factory=dict)

    def why(self, lang: str) -> str:
        """The reason in ``lang``, else in the other language, else nothing."""
        return self.reason.get(lang) or next(iter(self.reason.values()), "")


@dataclass(frozen=True)
class Tombstones:
    """Every tombstone of one dataset version, by IRI."""

    version: str = ""
    by_iri: dict[str, Tombstone] = field(default_factory=dict)
    #: the build activities the served data describes (never retired by rule)
    current_builds: frozenset[str] = frozenset()

    def get(self, iri: str, base_iri: str) -> Tombstone | None:
        """The tombstone of ``iri``: its row, or the rule for an earlier build's activity."""
        stone = self.by_iri.get(iri)
        if stone is not None or not iri.startswith(base_iri):
            return stone
        if BUILD_ACTIVITY.fullmatch(iri[len(base_iri):]) and iri not in self.current_builds:
            return Tombstone(iri, None, dict(EARLIER_BUILD))
        return None


def parse(rows: list[dict[str, str]], base_iri: str) -> dict[str, Tombstone]:
    """The rows of `TOMBSTONES_QUERY` as tombstones, only for IRIs under ``{base}id/``
    (a deprecated ontology term is no retired resource)."""
    successors: dict[str, set[str]] = {}
    reasons: dict[str, dict[str, str]] = {}
    prefix = base_iri + "id/"
    for row in rows:
        iri = row["iri"]
        if not iri.startswith(prefix):
            continue
        successors.setdefault(iri, set())
        reasons.setdefault(iri, {})
        if "successor" in row:
            successors[iri].add(row["successor"])
        if row.get("note"):
            reasons[iri].setdefault(row.get("lang", ""), row["note"])
    return {
        iri: Tombstone(iri, min(found) if found else None, reasons[iri])
        for iri, found in successors.items()
    }


async def find(request: Request, iri: str) -> Tombstone | None:
    """The tombstone of ``iri`` in the dataset being served, if it is retired."""
    serving: Serving = request.app.state.serving
    live = serving.live()
    known: Tombstones = getattr(request.app.state, "tombstones", Tombstones())
    if known.version != live.version:
        rows = await lookup.select(serving, live, "tombstones", TOMBSTONES_QUERY)
        builds = await lookup.select(serving, live, "current-builds", CURRENT_BUILDS_QUERY)
        known = Tombstones(live.version, parse(rows, serving.settings.base_iri),
                           frozenset(row["activity"] for row in builds))
        if serving.current is live:
            request.app.state.tombstones = known
    return known.get(iri, serving.settings.base_iri)
