"""CSV tables for data portals (issue #17, item 3): actors, figures, strength positions and
relations, each a plain CSV file with W3C CSV on the Web metadata, published with the dumps.

Portals and spreadsheets read tables, not RDF. The tables are made from the graph the build is
about to publish, with the same SPARQL as the server's browse indexes (`publish.indexes`), run
over an in-memory Oxigraph store of that graph, so ``/browse/actors`` and
``dumps/vestlod-actors.csv`` list the same actors.

One table group describes them all (`layout.TABLES_METADATA`, ``application/csvm+json``):
columns with names, Danish and English titles and datatypes; ``aboutUrl``, ``propertyUrl`` and
``valueUrl`` such that CSVW-to-RDF gives back the published IRIs and only triples that are in
the dataset; primary keys; the relations' foreign keys into the actors table; ``dc:license``
and ``dc:source`` (the dataset). A column whose values are not a property of the row's subject
in the data (a business area an actor is *mentioned* in, the label of a linked thing, a note
read from one of several properties) is there for people and marked ``suppressOutput``, so it
never turns into a claim the annex does not make.

Deterministic like the dumps: rows sorted by IRI, columns in a fixed or vocabulary-given order,
UTF-8 without a byte-order mark, CRLF line ends (RFC 4180), JSON with sorted-free fixed key
order and a final newline.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset

from publish.errors import BuildError
from publish.indexes import (
    FIGURE_EXTRAS,
    actors_query,
    concepts_query,
    facets_query,
    figure_columns_query,
    figures_query,
    relations_query,
    select_rows,
)
from publish.layout import TABLES_METADATA, table_file
from publish.vocab import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCTERMS_TYPE = "http://purl.org/dc/terms/type"
#: the separator of a cell with several values: IRIs never contain a space; labels are checked
IRI_SEPARATOR = " "
LABEL_SEPARATOR = " | "
#: the datatype of a column of IRIs: a string that is an absolute http(s) IRI. Not ``anyURI``:
#: csvw (the Python library the tests validate with, 4.1.1) parses an anyURI cell into its parts
#: and then expands ``{+iri}`` templates from those parts, not from the cell's text
IRI_DATATYPE: dict[str, str] = {"base": "string", "format": r"^https?://[^\s<>\"{}|\\^`]+$"}
#: the CSVW datatypes a literal of these XSD datatypes is published as (others: string)
DATATYPES = {f"{XSD}{name}": name for name in (
    "decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger", "gYear",
    "date", "dateTime", "boolean", "anyURI", "string")}


@dataclass
class Column:
    """One column: its CSVW description and its cells, by row IRI."""

    name: str
    titles: dict[str, str]
    datatype: str | dict[str, str] = "string"
    property: str | None = None  # propertyUrl; None: suppressOutput
    value_url: str | None = None
    lang: str | None = None
    separator: str | None = None
    required: bool = False
    cells: dict[str, list[str]] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        # the header cell (the name) is a title too, language undefined: CSVW checks the
        # header row against a column's titles, and portals show the Danish or English one
        out: dict[str, Any] = {"name": self.name, "titles": {**self.titles, "und": self.name},
                               "datatype": self.datatype}
        if self.required:
            out["required"] = True
        if self.separator is not None:
            out["separator"] = self.separator
        if self.lang:
            out["lang"] = self.lang
        if self.property is None:
            out["suppressOutput"] = True
        else:
            out["propertyUrl"] = self.property
            if self.value_url:
                out["valueUrl"] = self.value_url
        return out

    def cell(self, key: str) -> str:
        values = self.cells.get(key, [])
        if len(values) > 1 and self.separator is None:
            raise BuildError(f"tables: column {self.name} has several values for {key} but no "
                             "separator")
        for value in values:
            if self.separator and self.separator in value:
                raise BuildError(f"tables: a value of {self.name} ({value!r}) contains the "
                                 f"separator {self.separator!r}")
        return (self.separator or "").join(values)


@dataclass
class Table:
    name: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    key: list[str]
    about: str
    columns: list[Column]
    rows: list[str]  # row keys, in order
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # column, table, col

    @property
    def file(self) -> str:
        return table_file(self.name)

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.name for c in self.columns])
        for key in self.rows:
            writer.writerow([c.cell(key) for c in self.columns])
        return out.getvalue().encode("utf-8")

    def describe(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "columns": [c.describe() for c in self.columns],
            "primaryKey": self.key if len(self.key) > 1 else self.key[0],
            "aboutUrl": self.about,
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"columnReference": column,
                 "reference": {"resource": table_file(table), "columnReference": other}}
                for column, table, other in self.foreign_keys]
        return {"url": self.file, "dc:title": _texts(self.titles),
                "dc:description": _texts(self.descriptions), "tableSchema": schema}


def _texts(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": lang} for lang, text in texts.items()]


def _titles(da: str, en: str) -> dict[str, str]:
    return {"da": da, "en": en}


#: the tables' titles (also the catalog's words for them)
TITLES: dict[str, dict[str, str]] = {
    "actors": _titles("Aktører", "Actors"),
    "figures": _titles("Tal", "Figures"),
    "strength-positions": _titles("Styrkepositioner", "Strength positions"),
    "relations": _titles("Relationer", "Relations"),
}
#: what each table holds (the catalog's descriptions begin with it)
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "actors": _titles(
        "Aktørerne i bilaget: organisationer, netværk, initiativer, steder og "
        "regioner, med type, de forretningsområder hvis afsnit nævner dem, og "
        "regionen de ligger i.",
        "The actors of the annex: organisations, networks, initiatives, places and "
        "regions, with their type, the business areas whose sections name them and "
        "the region they are in."),
    "figures": _titles(
        "Tallene i bilaget som Data Cube-observationer: hvad der måles, hvor og "
        "hvornår, værdien med enhed og forbehold og bilagets egen formulering.",
        "The figures of the annex as Data Cube observations: what is measured, "
        "where and when, the value with its unit and qualifier, and the annex's own "
        "wording."),
    "strength-positions": _titles(
        "De vestdanske styrkepositioner, som bilaget nævner dem, med deres "
        "forretningsområde.",
        "The West Danish strength positions as the annex names them, with their "
        "business area."),
    "relations": _titles(
        "Relationerne mellem aktørerne, som bilaget angiver dem: hvem deltager i, "
        "leder, støtter eller samarbejder med hvem.",
        "The relations between the actors as the annex states them: who takes "
        "part in, leads, supports or works with whom."),
}


def _iri_column(name: str, da: str, en: str, prop: str | None,
                several: bool = False) -> Column:
    """A column of IRIs: an object of ``prop`` (``valueUrl`` makes it an IRI in RDF) or, without
    a property, a pointer for people (suppressed)."""
    return Column(name, _titles(da, en), IRI_DATATYPE, prop, "{+" + name + "}" if prop else None,
                  separator=IRI_SEPARATOR if several else None)


def _label_columns(name: str, da: str, en: str, prop: str | None = None,
                   several: bool = False) -> list[Column]:
    """The Danish and English labels of ``name``: of the row's own subject when ``prop`` is
    given (``skos:prefLabel``), else of the things in column ``name`` (suppressed)."""
    sep = LABEL_SEPARATOR if several else None
    return [Column(f"{name}_da", _titles(f"{da} (dansk)", f"{en} (Danish)"), "string", prop,
                   lang="da", separator=sep),
            Column(f"{name}_en", _titles(f"{da} (engelsk)", f"{en} (English)"), "string", prop,
                   lang="en", separator=sep)]


def _put(columns: Iterable[Column], key: str, row: Mapping[str, str], var: str) -> None:
    """The IRI of ``var`` and its labels into the columns named like it (set semantics)."""
    for column in columns:
        suffix = column.name.rsplit("_", 1)[-1] if "_" in column.name else ""
        value = row.get(f"{var}_{suffix}") if suffix in ("da", "en") else row.get(var)
        if value:
            cell = column.cells.setdefault(key, [])
            if value not in cell:
                cell.append(value)


def _sorted_cells(columns: Iterable[Column]) -> None:
    """Several values of one cell in a fixed order, labels in the order of their IRIs."""
    by_name = {c.name: c for c in columns}
    for column in by_name.values():
        if column.separator == IRI_SEPARATOR:
            for key, values in column.cells.items():
                order = sorted(range(len(values)), key=values.__getitem__)
                column.cells[key] = [values[i] for i in order]
                for lang in ("da", "en"):
                    labels = by_name.get(f"{column.name}_{lang}")
                    if labels is not None and len(labels.cells.get(key, [])) == len(values):
                        labels.cells[key] = [labels.cells[key][i] for i in order]


class _Builder:
    def __init__(self, store: ox.Store, base_iri: str) -> None:
        self.store = store
        self.base = base_iri
        self.vl = base_iri + "def/vestlod#"

    def rows(self, query: str) -> list[dict[str, str]]:
        return select_rows(self.store, query)

    def subject_columns(self, name: str, da: str, en: str) -> list[Column]:
        iri = Column(name, _titles(f"{da} (IRI)", f"{en} (IRI)"), IRI_DATATYPE, None,
                     required=True)
        return [iri, *_label_columns("label", "Navn", "Name", SKOS_PREF_LABEL)]

    def actors(self) -> Table:
        columns = self.subject_columns("iri", "Aktør", "Actor")
        keys: list[str] = []
        for row in self.rows(actors_query(self.vl)):
            key = row["actor"]
            keys.append(key)
            columns[0].cells[key] = [key]
            _put(columns[1:], key, row, "actor")
        facets: dict[str, list[Column]] = {
            "type": [_iri_column("type", "Type", "Type", DCTERMS_TYPE),
                     *_label_columns("type", "Type", "Type")],
            "area": [_iri_column("area", "Forretningsområde", "Business area", None, True),
                     *_label_columns("area", "Forretningsområde", "Business area",
                                     several=True)],
            "region": [_iri_column("region", "Region", "Region", None, True),
                       *_label_columns("region", "Region", "Region", several=True)],
        }
        for row in self.rows(facets_query(self.vl)):
            facet = facets[row["facet"]]
            _put(facet, row["actor"], {row["facet"]: row["value"],
                                        **{f"{row['facet']}_{lang}": row.get(f"value_{lang}", "")
                                           for lang in ("da", "en")}}, row["facet"])
        every = columns + [c for group in facets.values() for c in group]
        _sorted_cells(every)
        return Table(
            "actors", TITLES["actors"], DESCRIPTIONS["actors"],
            ["iri"], "{+iri}", every, sorted(keys))

    def figures(self) -> Table:
        components = self.rows(figure_columns_query())

        def order_of(r: dict[str, str]) -> tuple[int, int, str]:
            kinds = {"dimension": 0, "measure": 1, "attribute": 2}
            kind = kinds.get(r.get("k", "").rsplit("#", 1)[-1], 3)
            return (int(r["o"]) if r.get("o", "").isdigit() else 99, kind, r["p"])

        names = {r["p"]: (r.get("p_da", ""), r.get("p_en", "")) for r in components}
        extras = [_expand(e.format(vl=self.vl)) for e in FIGURE_EXTRAS]
        props = [r["p"] for r in sorted(components, key=order_of)]
        props += [p for p in extras if p not in props]
        values: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(
            list))
        columns = self.subject_columns("iri", "Tal", "Figure")
        keys: set[str] = set()
        for row in self.rows(figures_query(self.vl)):
            key = row["figure"]
            keys.add(key)
            columns[0].cells[key] = [key]
            if row["p"] == SKOS_PREF_LABEL:
                lang = row.get("o_lang", "")[:2]
                if lang in ("da", "en"):
                    _put([c for c in columns if c.name == f"label_{lang}"], key,
                         {f"x_{lang}": row["o"]}, "x")
                continue
            values[row["p"]][key].append(row)
        taken = {c.name for c in columns}
        for p in props:
            if p not in values:
                continue
            name = _column_name(p, taken)
            taken.add(name)
            da, en = names.get(p, ("", ""))
            da, en = (da or name), (en or name)
            cells = values[p]
            several = any(len(v) > 1 for v in cells.values())
            kinds = {(r.get("o_type"), r.get("o_lang") or None) for v in cells.values()
                     for r in v}
            if kinds == {(None, None)}:  # IRIs: the object and its labels
                group = [_iri_column(name, da.capitalize(), en.capitalize(), p, several),
                         *_label_columns(name, da.capitalize(), en.capitalize(),
                                         several=several)]
                for key, rows in cells.items():
                    for r in rows:  # the object in o, its labels in o_da and o_en
                        _put(group, key, r, "o")
                columns += group
                continue
            if len(kinds) != 1:
                raise BuildError(f"tables: the figures' {p} mixes datatypes or languages "
                                 f"({sorted(str(k) for k in kinds)}); give it a column each")
            ((datatype, tag),) = kinds
            column = Column(name, _titles(da.capitalize(), en.capitalize()),
                            "string" if datatype == RDF_LANG_STRING else
                            DATATYPES.get(datatype or "", "string"), p, lang=tag,
                            separator=LABEL_SEPARATOR if several else None)
            for key, rows in cells.items():
                column.cells[key] = sorted(r["o"] for r in rows)
            columns.append(column)
        _sorted_cells(columns)
        return Table(
            "figures", TITLES["figures"], DESCRIPTIONS["figures"],
            ["iri"], "{+iri}", columns, sorted(keys))

    def strength_positions(self) -> Table:
        columns = self.subject_columns("iri", "Styrkeposition", "Strength position")
        area = [_iri_column("area", "Forretningsområde", "Business area",
                            self.vl + "businessArea"),
                *_label_columns("area", "Forretningsområde", "Business area")]
        notes = [Column("note_da", _titles("Note (dansk)", "Note (Danish)"), "string", None,
                        lang="da"),
                 Column("note_en", _titles("Note (engelsk)", "Note (English)"), "string", None,
                        lang="en")]
        keys = []
        for row in self.rows(concepts_query(self.vl + "StrengthPosition")):
            key = row["item"]
            keys.append(key)
            columns[0].cells[key] = [key]
            _put(columns[1:], key, row, "item")
            _put(area, key, row, "area")
            _put(notes, key, row, "note")
        every = columns + area + notes
        _sorted_cells(every)
        return Table(
            "strength-positions", TITLES["strength-positions"], DESCRIPTIONS["strength-positions"],
            ["iri"], "{+iri}", every, sorted(keys))

    def relations(self) -> Table:
        source = [Column("source", _titles("Fra (IRI)", "From (IRI)"), IRI_DATATYPE, None,
                         required=True),
                  *_label_columns("source", "Fra", "From")]
        relation = [Column("relation", _titles("Relationstype (IRI)", "Relation type (IRI)"),
                           IRI_DATATYPE, None, required=True),
                    *_label_columns("relation", "Relationstype", "Relation type"),
                    Column("property", _titles("Egenskab (IRI)", "Property (IRI)"), IRI_DATATYPE,
                           None, required=True)]
        target = [Column("target", _titles("Til (IRI)", "To (IRI)"), IRI_DATATYPE, "{+property}",
                         "{+target}", required=True),
                  *_label_columns("target", "Til", "To")]
        labels = {r["actor"]: r for r in self.rows(actors_query(self.vl))}
        keys = []
        for row in self.rows(relations_query(self.vl)):
            key = "\x00".join((row["source"], row["type"], row["target"]))
            keys.append(key)
            _put(source, key, {**labels.get(row["source"], {}), "actor": row["source"]},
                 "actor")
            _put(relation[:-1], key, {**row, "relation": row["type"], "property": row["p"],
                                 "relation_da": row.get("type_da", ""),
                                 "relation_en": row.get("type_en", "")}, "relation")
            _put(relation[-1:], key, {"property": row["p"]}, "property")
            _put(target, key, {**labels.get(row["target"], {}), "actor": row["target"]},
                 "actor")
        return Table(
            "relations", TITLES["relations"], DESCRIPTIONS["relations"],
            ["source", "relation", "target"], "{+source}", source + relation + target,
            sorted(keys),
            foreign_keys=[("source", "actors", "iri"), ("target", "actors", "iri")])


def _expand(term: str) -> str:
    """``schema:minValue`` or ``<iri>`` → the IRI."""
    if term.startswith("<"):
        return term.strip("<>")
    prefix, _, local = term.partition(":")
    return PREFIXES[prefix] + local


def _column_name(iri: str, taken: set[str]) -> str:
    """The local name of a property (``obsValue``), with its prefix if that is taken."""
    local = iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if local not in taken:
        return local
    prefix = next((p for p, ns in sorted(PREFIXES.items()) if iri.startswith(ns)), "x")
    return f"{prefix.replace('-', '_')}_{local}"


def tables_of(dataset: Dataset, base_iri: str) -> list[Table]:
    """The four tables of the dataset (read into an in-memory store once)."""
    from publish.build.dumps import to_quads

    store = ox.Store()
    store.extend(to_quads(dataset))
    b = _Builder(store, base_iri)
    return [b.actors(), b.figures(), b.strength_positions(), b.relations()]


def tables_files(dataset: Dataset, base_iri: str, licence: str,
                 titles: Mapping[str, str], dataset_iri: str) -> dict[str, bytes]:
    """Every table as CSV and the table group's metadata, by file name (for the dumps)."""
    tables = tables_of(dataset, base_iri)
    out = {t.file: t.csv() for t in tables}
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "da"}],
        "dc:title": _texts({lang: f"{text} – tabeller" if lang == "da" else f"{text} – tables"
                            for lang, text in titles.items()}),
        "dc:license": {"@id": licence},
        "dc:source": {"@id": dataset_iri},
        "dc:conformsTo": {"@id": "http://www.w3.org/TR/tabular-data-model/"},
        "tables": [t.describe() for t in tables],
    }
    out[TABLES_METADATA] = (json.dumps(metadata, ensure_ascii=False, indent=1) + "\n").encode(
        "utf-8")
    return out
