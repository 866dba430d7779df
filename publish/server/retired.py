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
"""

from __future__ import annotations

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
        known = Tombstones(live.version, parse(rows, serving.settings.base_iri))
        if serving.current is live:
            request.app.state.tombstones = known
    return known.by_iri.get(iri)
