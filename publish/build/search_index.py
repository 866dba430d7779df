"""The full-text search index, built with the dataset and published in ``dist/`` beside it.

One SQLite file (FTS5, BM25 ranking) over what people look for: every resource under ``/id/``
that a reader would open — actors, places, areas, strength positions, challenges, focus areas,
figures, indicators, relations and the annex's sentences — with its labels in both languages,
the names as the annex spells them, its descriptions, its figure wording and the exact words
of the annex that support it. Terms come from `publish.textsearch`, which the server uses to
analyse queries, so both sides agree.

The file is deterministic: the same dataset gives the same bytes (rows inserted in IRI order,
the index optimised and the file vacuumed; SQLite writes no timestamps), so two builds still
give byte-identical dumps and ``SHA256SUMS``.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from publish.textsearch import terms
from publish.vocab import DCTERMS, OA, RDF, RDFS, SCHEMA, SKOS

#: path segments under /id/ that are machinery, not something a reader searches for
NOT_SEARCHED = frozenset({
    "annotation", "paragraph", "section", "identifier", "activity", "software", "dataset",
    "scheme", "footnote",
})

#: how much a match in each column counts (BM25 weights): a name outranks a passing mention
WEIGHTS = {"names": 8.0, "body": 1.0}

SCHEMA_SQL = """
CREATE TABLE doc (
  rowid INTEGER PRIMARY KEY,
  iri TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  label_da TEXT NOT NULL,
  label_en TEXT NOT NULL,
  names TEXT NOT NULL,
  text_da TEXT NOT NULL,
  text_en TEXT NOT NULL
);
CREATE INDEX doc_kind ON doc(kind);
CREATE VIRTUAL TABLE fts USING fts5(names, body, content='',
  tokenize = "unicode61 remove_diacritics 0");
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE kind_weight (kind TEXT PRIMARY KEY, weight REAL NOT NULL);
"""

#: how much a match on each kind of thing counts (BM25 is multiplied by it; absent: 1.0). The
#: things people look for come before the statements and sentences that mention them.
KIND_WEIGHTS = {
    "area": 2.0, "region": 1.8, "org": 1.6, "group": 1.6, "initiative": 1.6, "facility": 1.5,
    "place": 1.5, "work": 1.4, "strength-position": 1.5, "challenge": 1.3, "focus-area": 1.3,
    "indicator": 1.1, "figure": 1.0, "relation": 0.7, "sentence": 0.6, "actor-type": 0.8,
    "relation-type": 0.8, "unit": 0.6, "qualifier": 0.6,
}

LABELS = (SKOS.prefLabel, RDFS.label)
NAMES = (SKOS.altLabel, SCHEMA.alternateName, SKOS.hiddenLabel)
TEXTS = (DCTERMS.description, SKOS.definition, RDFS.comment, RDF.value)


def kind_of(iri: str, base: str) -> str | None:
    """The ``/id/{kind}/`` segment of a searchable IRI, else None."""
    prefix = base + "id/"
    if not iri.startswith(prefix) or "#" in iri:
        return None
    kind, sep, rest = iri[len(prefix):].partition("/")
    if not sep or not rest or kind in NOT_SEARCHED:
        return None
    return kind


class _Doc:
    def __init__(self) -> None:
        self.labels: dict[str, list[str]] = defaultdict(list)
        self.names: list[str] = []
        self.texts: dict[str, list[str]] = defaultdict(list)
        self.quotes: list[str] = []

    def label(self, lang: str) -> str:
        other = "en" if lang == "da" else "da"
        for candidates in (self.labels.get(lang), self.labels.get(other), self.labels.get("")):
            if candidates:
                return sorted(candidates)[0]
        return ""


def _lang(lit: Literal) -> str:
    return (lit.language or "").split("-")[0]


def collect(triples: Iterable[tuple[Node, Node, Node]], base: str, vl: str) -> dict[str, _Doc]:
    """Per searchable IRI, its labels, names, texts and supporting quotes."""
    docs: dict[str, _Doc] = defaultdict(_Doc)
    body_of: dict[Node, list[str]] = defaultdict(list)   # annotation → bodies
    target_of: dict[Node, list[Node]] = defaultdict(list)  # annotation → targets
    selectors: dict[Node, list[Node]] = defaultdict(list)  # target → selectors
    exact: dict[Node, str] = {}
    expression = URIRef(vl + "expression")
    for s, p, o in triples:
        if p == OA.hasBody and isinstance(o, URIRef):
            body_of[s].append(str(o))
        elif p == OA.hasTarget:
            target_of[s].append(o)
        elif p == OA.hasSelector:
            selectors[s].append(o)
        elif p == OA.exact and isinstance(o, Literal):
            exact[s] = str(o)
        if not isinstance(s, URIRef) or not isinstance(o, Literal) or kind_of(str(s), base) is None:
            continue
        doc = docs[str(s)]
        if p in LABELS:
            doc.labels[_lang(o)].append(str(o))
        elif p in NAMES:
            doc.names.append(str(o))
        elif p in TEXTS or p == expression:
            doc.texts[_lang(o) or "da"].append(str(o))
    for annotation, bodies in body_of.items():
        quotes = [exact[sel] for t in target_of.get(annotation, ()) for sel in selectors.get(t, ())
                  if sel in exact]
        for body in bodies:
            if body in docs:
                docs[body].quotes.extend(" ".join(q.split()) for q in quotes)
    return {iri: doc for iri, doc in docs.items() if doc.labels or doc.texts}


def search_index(triples: Iterable[tuple[Node, Node, Node]], base: str) -> bytes:
    """The bytes of the SQLite search index over ``triples`` (the union of the dataset)."""
    docs = collect(triples, base, base + "def/vestlod#")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.sqlite"
        db = sqlite3.connect(path)
        try:
            db.executescript("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF;" + SCHEMA_SQL)
            rows = []
            for rowid, iri in enumerate(sorted(docs), start=1):
                doc = docs[iri]
                kind = kind_of(iri, base) or ""
                label_da, label_en = doc.label("da"), doc.label("en")
                if kind == "sentence":  # its label is a number; its words are the point
                    label_da = label_en = _clip(" ".join(doc.texts.get("da", [label_da])), 90)
                names = sorted(set(doc.names) | {v for vs in doc.labels.values() for v in vs})
                text_da = sorted(set(doc.texts.get("da", [])) | set(doc.texts.get("", [])))
                text_en = sorted(set(doc.texts.get("en", [])))
                quotes = sorted(set(doc.quotes))
                rows.append((rowid, iri, kind, label_da, label_en, "\n".join(names),
                             "\n".join(text_da + quotes), "\n".join(text_en)))
            db.executemany("INSERT INTO doc VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany(
                "INSERT INTO fts(rowid, names, body) VALUES (?, ?, ?)",
                [(r[0], " ".join(terms(r[5])), " ".join(terms(r[6] + "\n" + r[7]))) for r in rows],
            )
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted({
                "base_iri": base, "documents": str(len(rows)),
                "weights": ",".join(f"{k}={v}" for k, v in WEIGHTS.items()),
            }.items()))
            db.executemany("INSERT INTO kind_weight VALUES (?, ?)", sorted(KIND_WEIGHTS.items()))
            db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            db.commit()
            db.execute("VACUUM")
        finally:
            db.close()
        return path.read_bytes()


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"
