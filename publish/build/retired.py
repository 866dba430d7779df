"""Retired IRIs: `data/retired.csv` in, checked tombstones (as data) out.

An IRI, once published, never stops answering. When a resource changes kind or goes away, a
curator writes one row::

    iri,successor,reason_da,reason_en

``iri`` and ``successor`` are paths under the base IRI (``id/relation/foo``); an empty
``successor`` means the resource is gone (the server answers 410), otherwise it moved (301). The
reasons are one short sentence in Danish and in English, shown on the 410 page.

Every problem is an `AnnotationError` naming file, line and field, all reported at once:
malformed paths, missing reasons, an IRI listed twice, an IRI that is still a resource of this
build, a successor that is neither a resource of this build nor retired itself, and a cycle of
successors. Chains are followed at build time, so a tombstone names the *live* resource at the
end of its chain (one redirect, never a chain of them); a chain that ends in a gone IRI makes
the first one gone as well.

Tombstones are data, so SPARQL users see them too, with existing vocabularies only, in the
metadata graph (they are statements about the publication's own IRIs, not about the annex)::

    <id/relation/foo> owl:deprecated true ;
        dcterms:isReplacedBy <id/relation/bar> ;          # only when it moved
        skos:changeNote "…"@da , "…"@en .

and, in the provenance graph, where the row was written (``vl:curatedAt "data/retired.csv:7"``,
as every curated resource has). A tombstone has no ``rdf:type``: it describes nothing any more.

Pure apart from `read_retired`, which opens the one file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef

from publish.errors import AnnotationError, AnnotationErrors
from publish.uris import Uris
from publish.vocab import DCTERMS, OWL, PROV, RDF, SKOS, XSD

COLUMNS = ("iri", "successor", "reason_da", "reason_en")
FILE = "retired.csv"
#: how the file is named in messages and provenance, whatever path the build was given
SHOWN = f"data/{FILE}"
#: the only IRIs that can be retired or named as successors: things under /id/
PATH = re.compile(r"^id/[a-z]+(?:-[a-z]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGS = ("da", "en")

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass(frozen=True)
class Row:
    """One row of retired.csv as written (paths relative to the base IRI)."""

    line: int
    iri: str
    successor: str  # "" = gone
    reason: dict[str, str]


@dataclass(frozen=True)
class Tombstone:
    """A checked row: ``successor`` is the live resource at the end of the chain, or None."""

    line: int
    iri: str
    successor: str | None
    reason: dict[str, str]


def parse_retired(text: str, path: str = SHOWN) -> tuple[list[Row], list[AnnotationError]]:
    """The rows of the file; their form only (references are checked by `check_retired`)."""
    errors: list[AnnotationError] = []
    rows: list[Row] = []
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        return [], [AnnotationError(path, 1, None, f"header must be {','.join(COLUMNS)}, "
                                    f"not {','.join(reader.fieldnames or ())}")]
    first_line: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw or any(v is None for v in raw.values()):
            errors.append(AnnotationError(path, line, None, f"expected {len(COLUMNS)} columns"))
            continue
        row = {k: v.strip() for k, v in raw.items()}
        bad = False
        if not PATH.match(row["iri"]):
            errors.append(AnnotationError(path, line, "iri", _malformed(row["iri"])))
            bad = True
        if row["successor"] and not PATH.match(row["successor"]):
            errors.append(AnnotationError(path, line, "successor", _malformed(row["successor"])))
            bad = True
        for lang in LANGS:
            if not row[f"reason_{lang}"]:
                errors.append(AnnotationError(
                    path, line, f"reason_{lang}",
                    "required: say in one sentence why the IRI was retired"))
                bad = True
        if row["iri"] in first_line:
            errors.append(AnnotationError(path, line, "iri", f"{row['iri']} is retired twice "
                                          f"(first at line {first_line[row['iri']]})"))
            bad = True
        else:
            first_line[row["iri"]] = line
        if not bad:
            rows.append(Row(line, row["iri"], row["successor"],
                            {lang: row[f"reason_{lang}"] for lang in LANGS}))
    return rows, errors


def _malformed(value: str) -> str:
    if not value:
        return "required: the path of the retired IRI under the base IRI, e.g. id/org/vestas"
    return (f"not a path of the form id/{{kind}}/{{slug}} under the base IRI: {value!r} "
            "(no leading slash, no base IRI, no #fragment, no suffix)")


def check_retired(rows: Iterable[Row], subjects: set[str],
                  path: str = SHOWN) -> tuple[list[Tombstone], list[AnnotationError]]:
    """Rows against the new build: ``subjects`` holds the paths (relative to the base IRI,
    without #fragments) of every subject of the dataset before tombstones are added."""
    rows = list(rows)
    by_iri = {row.iri: row for row in rows}
    errors: list[AnnotationError] = []
    tombstones: list[Tombstone] = []
    for row in rows:
        if row.iri in subjects:
            errors.append(AnnotationError(
                path, row.line, "iri", f"{row.iri} is still a resource of this build; retire "
                "only what the data no longer describes"))
            continue
        final, problem = _follow(row, by_iri, subjects)
        if problem:
            errors.append(AnnotationError(path, row.line, "successor", problem))
            continue
        tombstones.append(Tombstone(row.line, row.iri, final, row.reason))
    return sorted(tombstones, key=lambda t: t.iri), errors


def _follow(row: Row, by_iri: dict[str, Row],
            subjects: set[str]) -> tuple[str | None, str | None]:
    """The live end of ``row``'s chain of successors (None: gone), or a problem."""
    chain = [row.iri]
    current = row
    while current.successor:
        nxt = current.successor
        if nxt in chain:
            return None, "a cycle of successors: " + " → ".join([*chain, nxt])
        if nxt in subjects:
            return nxt, None
        if nxt not in by_iri:
            return None, (f"{nxt} is neither a resource of this build nor retired in this file")
        chain.append(nxt)
        current = by_iri[nxt]
    return None, None


def tombstone_triples(tombstones: Iterable[Tombstone], uris: Uris,
                      path: str = SHOWN) -> tuple[list[Triple], list[Triple]]:
    """(metadata-graph triples, provenance-graph triples) of the tombstones."""
    meta: list[Triple] = []
    prov: list[Triple] = []
    for t in tombstones:
        node = URIRef(uris.base + t.iri)
        meta.append((node, OWL.deprecated, Literal(True, datatype=XSD.boolean)))
        if t.successor is not None:
            meta.append((node, DCTERMS.isReplacedBy, URIRef(uris.base + t.successor)))
        for lang in LANGS:
            meta.append((node, SKOS.changeNote, Literal(t.reason[lang], lang=lang)))
        prov.append((node, uris.vl.curatedAt, Literal(f"{path}:{t.line}")))
    return meta, prov


def subject_paths(dataset: Dataset, base: str) -> set[str]:
    """Paths under ``base`` (no #fragment) of every subject in any graph of ``dataset``."""
    out: set[str] = set()
    for graph in dataset.graphs():
        for s in graph.subjects(unique=True):
            iri = str(s)
            if isinstance(s, URIRef) and iri.startswith(base):
                out.add(iri[len(base):].split("#", 1)[0])
    return out


def read_retired(data_dir: Path) -> tuple[bytes | None, list[Row], list[AnnotationError]]:
    """(the file's bytes or None when there is none, its rows, its form errors)."""
    file = data_dir / FILE
    if not file.is_file():
        return None, [], []
    data = file.read_bytes()
    rows, errors = parse_retired(data.decode("utf-8-sig"))
    return data, rows, errors


def collect_tombstones(dataset: Dataset, data_dir: Path,
                       uris: Uris) -> tuple[bytes | None, list[Tombstone], list[AnnotationError]]:
    """Read and check data/retired.csv against ``dataset``; every problem at once."""
    data, rows, errors = read_retired(data_dir)
    tombstones, more = check_retired(rows, subject_paths(dataset, uris.base))
    errors = sorted([*errors, *more], key=lambda e: (e.line or 0, e.field or ""))
    return data, tombstones, errors


def add_tombstones(dataset: Dataset, data_dir: Path, uris: Uris) -> list[Tombstone]:
    """Check data/retired.csv and add its tombstones to ``dataset`` (metadata and provenance
    graphs); raise `AnnotationErrors` listing every problem. Returns the tombstones."""
    data, tombstones, errors = collect_tombstones(dataset, data_dir, uris)
    if errors:
        raise AnnotationErrors(errors)
    meta, prov = tombstone_triples(tombstones, uris)
    metadata = dataset.graph(uris.graph("metadata"))
    provenance = dataset.graph(uris.graph("provenance"))
    for triple in meta:
        metadata.add(triple)
    for triple in prov:
        provenance.add(triple)
    if data is not None:  # recorded like data/links/*.csv: used, without changing the build id
        digest = hashlib.sha256(data).hexdigest()
        for activity in _activities(provenance):
            provenance.add((activity, PROV.used, Literal(f"{SHOWN} sha256:{digest}")))
    return tombstones


def _activities(graph: Graph) -> Iterator[URIRef]:
    yield from sorted(s for s in set(graph.subjects(RDF.type, PROV.Activity))
                      if isinstance(s, URIRef))
