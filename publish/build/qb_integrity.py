"""The W3C Data Cube well-formedness criteria as a check: normalise, then ask IC-1 … IC-21.

SHACL (`publish.build.validate`) checks the promises vestlod makes about its own data. A Data Cube
consumer — a statistics tool, a cube browser, a reviewer — assumes something else: the integrity
constraints of *The RDF Data Cube Vocabulary* (W3C Recommendation, 16 January 2014, §11). Those
are SPARQL ASK queries that answer *true* when a cube breaks the constraint, to be run after the
Recommendation's normalisation algorithm (§10) has pushed abbreviated data down onto the
observations. They live as the W3C wrote them in ``shapes/qb/`` (see its README); this module only
runs them, so the text a reviewer compares with the Recommendation is the text that runs.

What is checked is the union of every graph, the merged graph a consumer gets from the dumps: the
structure definition sits in the vocabulary graph, the observations in the data graph, and
neither is a cube alone.

Pure: the data is copied into a private in-memory pyoxigraph store (normalisation inserts
triples, and the caller's graph must not change); nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import ConjunctiveGraph, Graph

from publish.errors import BuildError
from publish.vocab import DCTERMS, NUTS, RDF, SCHEMA, SDMX_DIM, prefixes

#: the queries of the Recommendation, as copied into the repository (the build passes
#: ``settings.shapes_dir / "qb"``; this default is the checkout's own folder)
QB_DIR = Path(__file__).resolve().parents[2] / "shapes" / "qb"
#: the normalisation updates, in the order §10 runs them
NORMALISATION = ("normalise-1.ru", "normalise-2.ru")
#: the prefixes §11 takes for granted: its queries declare none
IC_PREFIXES = ("rdf", "rdfs", "xsd", "owl", "skos", "qb")
#: what the data set calls a place. schema.org's class tree is not in the data, so the schema.org
#: place types the curators could plausibly use are named here; subclasses declared in the data
#: count too (``rdfs:subClassOf*``), and so does any NUTS region IRI
PLACE_CLASSES = (
    SCHEMA.Place, SCHEMA.AdministrativeArea, SCHEMA.Country, SCHEMA.State, SCHEMA.City,
    DCTERMS.Location,
)
#: the token §11.1 puts where IC-20 and IC-21 take each parent-child property
TEMPLATE_SLOT = "<$p>"

Data = Graph | ox.Store | Path


@dataclass(frozen=True)
class Violation:
    """An integrity constraint whose ASK query found at least one offending cube.

    ``offenders`` names resources the constraint's pattern matched (the ASK asked as a SELECT),
    so a curator knows where to look; it is left out of equality, since the ASK is the verdict.
    """

    ic: str
    title: str
    offenders: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        where = f": {', '.join(self.offenders)}" if self.offenders else ""
        return f"{self.ic}. {self.title}{where}"


@dataclass(frozen=True)
class NonPlace:
    """A ``sdmx-dimension:refArea`` value that is not a place, with what it is instead.

    SDMX defines refArea as "the country or geographic area to which the measured statistical
    phenomenon relates"; an organisation or a report there hides what the figure is about.
    """

    value: str
    types: tuple[str, ...]
    observations: int


@dataclass(frozen=True)
class Constraint:
    """One integrity constraint as the Recommendation states it.

    ``asks`` holds one query, or two for IC-19 (a code list may be a concept scheme or a
    collection). IC-20 and IC-21 are templates: ``instances`` finds the parent-child properties
    and each is put into the template before asking.
    """

    ic: str
    title: str
    asks: tuple[str, ...]
    instances: str | None = None


def _title(path: Path) -> tuple[str, str]:
    """``("IC-12", "No duplicate observations")`` from the file's first line."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"#\s*(IC-\d+)\.\s+(.+?)\s*", first)
    if match is None:
        raise BuildError(f"{path}:1: expected '# IC-<n>. <title>', found {first!r}")
    return match.group(1), match.group(2)


def load_constraints(folder: Path = QB_DIR) -> tuple[Constraint, ...]:
    """IC-1 … IC-21 from ``folder``, in order; a missing constraint is an error, not a pass."""
    out = []
    for n in range(1, 22):
        files = sorted(p for p in folder.glob(f"ic-{n:02d}*.rq") if "-properties" not in p.name)
        if not files:
            raise BuildError(f"{folder}: no ic-{n:02d}.rq; refusing to call IC-{n} a pass")
        ic, title = _title(files[0])
        instances = folder / f"ic-{n:02d}-properties.rq"
        out.append(Constraint(
            ic=ic, title=title,
            asks=tuple(p.read_text(encoding="utf-8") for p in files),
            instances=instances.read_text(encoding="utf-8") if instances.exists() else None,
        ))
    return tuple(out)


def merged_store(data: Data) -> ox.Store:
    """A new in-memory store whose default graph is the union of every graph of ``data``.

    ``data`` is an rdflib graph or dataset, a pyoxigraph store (copied, never changed), or an
    RDF file (the format from its extension, e.g. ``dist/vestlod.trig``).
    """
    if isinstance(data, ox.Store):
        source = data
    else:
        source = ox.Store()
        if isinstance(data, Path):
            source.bulk_load(path=data, format=_format_of(data))
        elif isinstance(data, ConjunctiveGraph):  # a Dataset is one: keep every named graph
            text = data.serialize(format="nquads", encoding="utf-8")
            source.load(text, format=ox.RdfFormat.N_QUADS)
        else:
            text = data.serialize(format="nt", encoding="utf-8")
            source.load(text, format=ox.RdfFormat.N_TRIPLES)
    union = ox.Store()
    union.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in source)
    return union


def _format_of(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None:
        raise BuildError(f"{path}: unknown RDF file extension")
    return fmt


def normalise(store: ox.Store, folder: Path = QB_DIR) -> None:
    """Run the two phases of the §10 normalisation algorithm on ``store`` (changes it)."""
    for name in NORMALISATION:
        store.update((folder / name).read_text(encoding="utf-8"))


def _prologue() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes(IC_PREFIXES).items())


def _ask(store: ox.Store, query: str) -> bool:
    result = store.query(_prologue() + query)
    if not isinstance(result, ox.QueryBoolean):
        raise BuildError(f"an integrity constraint is not an ASK query: {query[:60]!r}")
    return bool(result)


def _instantiate(store: ox.Store, constraint: Constraint) -> Iterator[str]:
    """The constraint's ASK queries, templates filled with each property the data declares.

    Only IRIs reach the template (the instantiation queries filter with ``isIRI``), and a
    `NamedNode` prints itself in SPARQL's ``<…>`` form, so no data text is pasted unchecked.
    """
    if constraint.instances is None:
        yield from constraint.asks
        return
    solutions = store.query(_prologue() + constraint.instances)
    if not isinstance(solutions, ox.QuerySolutions):
        raise BuildError(f"{constraint.ic}: the instantiation query is not a SELECT")
    for row in solutions:
        prop = row["p"]
        if isinstance(prop, ox.NamedNode):
            for template in constraint.asks:
                yield template.replace(TEMPLATE_SLOT, str(prop))


#: IC-12's ASK wraps its pairs in an aggregate; asked as a SELECT it would name none, so the
#: pairs of observations with equal dimension values are listed with this query instead
_IC12_PAIRS = """
SELECT ?obs1 ?obs2 WHERE {
  {
    SELECT ?obs1 ?obs2 (MIN(?equal) AS ?allEqual) WHERE {
        ?obs1 qb:dataSet ?dataset .
        ?obs2 qb:dataSet ?dataset .
        FILTER (?obs1 != ?obs2)
        ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty .
        ?obs1 ?dim ?value1 .
        ?obs2 ?dim ?value2 .
        BIND( ?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2
  }
  FILTER (?allEqual && STR(?obs1) < STR(?obs2))
}"""
_ASK = re.compile(r"^(\s*)ASK\b", re.M)
#: how many offending resources a violation names at most
MAX_OFFENDERS = 12
#: vocabulary namespaces whose terms are never the offender a curator fixes
_NOT_OFFENDERS = ("http://purl.org/linked-data/cube#", "http://www.w3.org/")


def offenders(store: ox.Store, ic: str, ask: str) -> tuple[str, ...]:
    """Resources the pattern of an ASK matched, for the message: the ASK asked as a SELECT."""
    query = _IC12_PAIRS if ic == "IC-12" else _ASK.sub(r"\1SELECT *", ask, count=1)
    result = store.query(_prologue() + query)
    if not isinstance(result, ox.QuerySolutions):
        return ()
    names: list[str] = []
    for row in result:
        for term in row:
            if (isinstance(term, ox.NamedNode) and not term.value.startswith(_NOT_OFFENDERS)
                    and term.value not in names):
                names.append(term.value)
        if len(names) >= MAX_OFFENDERS:
            break
    return tuple(names[:MAX_OFFENDERS])


def check_store(store: ox.Store, constraints: Iterable[Constraint]) -> list[Violation]:
    """The constraints violated in an already normalised ``store``, in IC order."""
    out = []
    for c in constraints:
        failing = [q for q in _instantiate(store, c) if _ask(store, q)]
        if failing:
            named: list[str] = []
            for query in failing:
                named += [n for n in offenders(store, c.ic, query) if n not in named]
            out.append(Violation(c.ic, c.title, tuple(named[:MAX_OFFENDERS])))
    return out


def check_cube(data: Data, folder: Path = QB_DIR) -> list[Violation]:
    """Every W3C integrity constraint the union of ``data`` breaks after normalisation.

    An empty list means a well-formed (abbreviated) cube in the sense of §11. Data without any
    cube passes, as it does in the Recommendation: the constraints only speak of cube resources.
    """
    constraints = load_constraints(folder)
    store = merged_store(data)
    normalise(store, folder)
    return check_store(store, constraints)


def non_place_ref_areas(data: Data) -> list[NonPlace]:
    """``sdmx-dimension:refArea`` values (or values of its sub-properties) that are not places.

    A place is typed with one of `PLACE_CLASSES` or a class the data declares beneath one, or is a
    NUTS region IRI. The result is sorted by value; each carries the value's ``rdf:type``s.
    """
    store = data if isinstance(data, ox.Store) else merged_store(data)
    names = prefixes(("rdf", "rdfs"))
    classes = " ".join(f"<{c}>" for c in PLACE_CLASSES)
    query = f"""
        PREFIX rdf: <{names["rdf"]}>
        PREFIX rdfs: <{names["rdfs"]}>
        SELECT ?v (COUNT(DISTINCT ?obs) AS ?n) WHERE {{
          {{ BIND(<{SDMX_DIM.refArea}> AS ?dim) }}
          UNION {{ ?dim rdfs:subPropertyOf+ <{SDMX_DIM.refArea}> }}
          ?obs ?dim ?v .
          FILTER NOT EXISTS {{
            VALUES ?place {{ {classes} }}
            ?v rdf:type/rdfs:subClassOf* ?place .
          }}
          FILTER (!(isIRI(?v) && STRSTARTS(STR(?v), "{NUTS}")))
        }} GROUP BY ?v ORDER BY STR(?v)
    """
    rdf_type = ox.NamedNode(str(RDF.type))
    out = []
    for row in _select(store, query):
        value, count = row["v"], row["n"]
        types = sorted({
            q.object.value for q in store.quads_for_pattern(value, rdf_type, None)
            if isinstance(q.object, ox.NamedNode)
        }) if isinstance(value, ox.NamedNode | ox.BlankNode) else []
        out.append(NonPlace(
            value=str(value) if isinstance(value, ox.BlankNode) else value.value,
            types=tuple(types),
            observations=int(count.value) if isinstance(count, ox.Literal) else 0,
        ))
    return out


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise BuildError(f"expected a SELECT: {query[:60]!r}")
    return result
