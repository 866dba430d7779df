"""Links to external identifiers: reviewable CSV mappings in, checked `Link`s and triples out.

Why data and not code: every link states a claim about the world ("Aarhus Universitet is
ror.org/01aj84f44", "district heating is NACE 35.30"). A reviewer must see each claim with its
justification and the source where the identifier was read, and refuse it without touching
Python. So `data/links/*.csv` holds the claims and this module only checks and translates them.

Two kinds of file:

* mapping files (every ``*.csv`` except ``changes.csv``), one link a row::

      subject,property,target,justification,source,held

  ``subject`` is ``actor:{id}``, ``area:{slug}`` or ``strength-position:{id}``; ``property`` a
  CURIE from `PROPERTIES`; ``target`` an IRI of one of the `SCHEMES` (or, for ISO 3166-2, the
  code itself). ``held`` is empty for a link that is published; otherwise it says why the link is
  recorded but not yet published (e.g. a shape that does not accept the official IRI yet).
* ``changes.csv``: organisations that have since merged or been renamed, one original a row
  (an event whose id has the word ``renaming`` is labelled as a renaming, the others as
  mergers)::

      event,original,resulting,resulting_label_da,resulting_label_en,resulting_type,year,justification,source

Every problem is an `AnnotationError` with file, line and field, all reported at once. Labels of
external concepts come from the official files shipped in ``data/vocabularies/`` (never from the
network), so a page can show "NACE 35.30 Steam and air conditioning supply" beside the link.

The module is pure: functions take text or already-read data and return values; only
`read_links` and `read_vocabularies` open files, and neither writes anything.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from publish.build.annotations import ACTOR_TYPES, AREAS, Annotations
from publish.errors import AnnotationError, AnnotationErrors
from publish.uris import SLUG, Uris
from publish.vocab import (
    ADMS,
    DCTERMS,
    EUROVOC,
    NACE,
    NUTS,
    ORG,
    OWL,
    RDF,
    RDFS,
    ROR,
    ROV,
    SCHEMA,
    SKOS,
    THEME,
    WDT,
    WIKIDATA,
    XSD,
)

MAPPING_COLUMNS = ("subject", "property", "target", "justification", "source", "held")
CHANGE_COLUMNS = ("event", "original", "resulting", "resulting_label_da", "resulting_label_en",
                  "resulting_type", "year", "justification", "source")
CHANGES_FILE = "changes.csv"
SUBJECT_KINDS = ("actor", "area", "strength-position", "resource")
#: what the link triples are made of
Triple = tuple[URIRef, URIRef, Node]
#: Properties that give an actor an external identifier (counted by `vestlod links`).
IDENTIFYING = ("owl:sameAs", "wdt:P300", "rov:registration")


@dataclass(frozen=True)
class Scheme:
    """An external identifier scheme: how its targets start and the exact form they must have."""

    name: str
    prefix: str
    pattern: re.Pattern[str]
    literal: bool = False  # the target is a code, not an IRI (ISO 3166-2 has no IRIs)
    #: the target is a concept of ours, ``{prefix}{slug}``, published as ``id/{local}/{slug}``
    #: under the base IRI (the industrial ecosystems: no official code list exists)
    local: str = ""
    vocabulary: bool = False  # every target must exist in data/vocabularies/
    check: Callable[[str], bool] | None = None  # beyond the form, e.g. a check digit

    def accepts(self, target: str) -> bool:
        return bool(self.pattern.match(target)) and (self.check is None or self.check(target))


def cvr_valid(target: str) -> bool:
    """The CVR number's own check: digits weighted 2,7,6,5,4,3,2,1 sum to a multiple of 11
    (Erhvervsstyrelsen's modulus-11 rule), so a mistyped digit is caught before publishing."""
    digits = target.removeprefix("cvr:")
    if len(digits) != 8 or not digits.isdigit():
        return False
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


#: where Eurostat's data browser shows a dataset: {EUROSTAT_VIEW}{code}/default/table
EUROSTAT_VIEW = "https://ec.europa.eu/eurostat/databrowser/view/"
#: the European Cluster Collaboration Platform's cluster profiles: {ECCP_PROFILE}{slug}
ECCP_PROFILE = "https://www.clustercollaboration.eu/cluster-organisations/"


def _within(namespace: str, local: str) -> re.Pattern[str]:
    """The exact form of an IRI in `namespace` whose local part matches `local`."""
    return re.compile(f"^{re.escape(namespace)}{local}$")


#: The forms match the SHACL shapes (NUTS, Wikidata, ROR) and the official IRIs (NACE: the code
#: without its dot, http://data.europa.eu/ux2/nace2/2811 for class 28.11; see the README in
#: data/vocabularies/).
SCHEMES: tuple[Scheme, ...] = (
    Scheme("nuts", str(NUTS), _within(NUTS, r"DK0\d"), vocabulary=True),
    Scheme("nace", str(NACE), _within(NACE, r"([A-U]|\d{2,4})"), vocabulary=True),
    Scheme("data-theme", str(THEME), _within(THEME, r"[A-Z]{4}"), vocabulary=True),
    # EuroVoc: numeric ids and the newer c_ ids (data/vocabularies/eurovoc-subset.ttl)
    Scheme("eurovoc", str(EUROVOC), _within(EUROVOC, r"(\d+|c_[0-9a-f]{8})"), vocabulary=True),
    Scheme("wikidata", str(WIKIDATA), _within(WIKIDATA, r"entity/Q[1-9]\d*")),
    Scheme("ror", str(ROR), _within(ROR, r"0[a-z0-9]{6}\d{2}")),
    Scheme("iso3166-2", "DK-", re.compile(r"^DK-8[1-5]$"), literal=True),
    # The Danish Central Business Register has no IRIs of its own: the number is published as
    # an adms:Identifier of ours (id/identifier/cvr-NNNNNNNN) reached by rov:registration.
    Scheme("cvr", "cvr:", re.compile(r"^cvr:\d{8}$"), literal=True, check=cvr_valid),
    # The EU's 14 industrial ecosystems: our own SKOS scheme
    # (ontology/schemes/industrial-ecosystems.ttl), since the Commission publishes no code list.
    Scheme("industrial-ecosystem", "ecosystem:", re.compile(r"^ecosystem:[a-z]+(-[a-z]+)*$"),
           vocabulary=True, local="industrial-ecosystem"),
    # Eurostat datasets by their dissemination address (the data browser's table view), the
    # address Eurostat itself prints for a dataset; described in
    # data/vocabularies/eurostat-datasets.ttl (code, SDMX API address).
    Scheme("eurostat", EUROSTAT_VIEW,
           _within(EUROSTAT_VIEW, r"[a-z0-9_]+/default/table"), vocabulary=True),
    # A cluster organisation's profile page on the European Cluster Collaboration Platform
    # (its S3 EU priority areas, sectors, members): a page, never an identity.
    Scheme("eccp", ECCP_PROFILE, _within(ECCP_PROFILE, r"[a-z0-9]+(-[a-z0-9]+)*")),
)
#: Malformed spellings of the same authorities (http/https, /wiki/ pages, www.): recognised so
#: that they are reported as malformed instead of as "unknown scheme".
_LOOSE = (("nuts", "data.europa.eu/nuts/"), ("nace", "data.europa.eu/ux2/nace2/"),
          ("data-theme", "publications.europa.eu/resource/authority/data-theme/"),
          ("eurovoc", "eurovoc.europa.eu/"),
          ("wikidata", "wikidata.org/"), ("ror", "ror.org/"),
          ("eurostat", "ec.europa.eu/eurostat/"), ("eccp", "clustercollaboration.eu/"))

#: property CURIE -> (IRI, subject kinds it may describe, schemes it may point to)
PROPERTIES: dict[str, tuple[URIRef, frozenset[str], frozenset[str]]] = {
    "owl:sameAs": (OWL.sameAs, frozenset({"actor"}), frozenset({"wikidata", "ror"})),
    # a record of something related but not the same thing (§A1: MADE the project and the
    # organisation's ROR record)
    "rdfs:seeAlso": (RDFS.seeAlso, frozenset({"actor"}),
                     frozenset({"wikidata", "ror", "eccp"})),
    "dcterms:spatial": (DCTERMS.spatial, frozenset({"actor"}), frozenset({"nuts", "eurovoc"})),
    # a dataset that gives figures about the subject (a region's NUTS code, an area's NACE
    # codes are the keys the Eurostat dataset uses); the target is a dcat:Dataset
    "dcterms:relation": (DCTERMS.relation, frozenset({"actor", "area", "strength-position"}),
                         frozenset({"eurostat"})),
    "schema:containedInPlace": (SCHEMA.containedInPlace, frozenset({"actor"}),
                                frozenset({"nuts"})),
    "wdt:P300": (WDT.P300, frozenset({"actor"}), frozenset({"iso3166-2"})),
    "rov:registration": (ROV.registration, frozenset({"actor"}), frozenset({"cvr"})),
    **{
        f"skos:{name}": (SKOS[name], frozenset({"area", "strength-position", "resource"}),
                         frozenset({"nace", "data-theme", "eurovoc", "industrial-ecosystem"}))
        for name in ("exactMatch", "closeMatch", "relatedMatch", "broadMatch", "narrowMatch")
    },
}


@dataclass(frozen=True)
class Link:
    """One row of a mapping file."""

    path: str
    line: int
    subject: str  # "actor:vestas"
    prop: str  # CURIE
    target: str
    justification: str
    source: str
    held: str = ""

    @property
    def kind(self) -> str:
        return self.subject.split(":", 1)[0]

    @property
    def ident(self) -> str:
        return self.subject.split(":", 1)[1]

    @property
    def scheme(self) -> Scheme | None:
        return scheme_of(self.target)

    @property
    def malformed(self) -> bool:
        s = self.scheme
        return s is None or not s.accepts(self.target)


@dataclass(frozen=True)
class Change:
    """One original organisation of an `org:ChangeEvent` (a merger or renaming)."""

    path: str
    line: int
    event: str
    original: str
    resulting: str
    resulting_label: dict[str, str]
    resulting_type: str
    year: int
    justification: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Vocabularies:
    """Labels, notations and hierarchy of the external concepts we ship (NUTS, NACE, themes)."""

    graph: Graph
    #: IRI -> (notation, English title, parent IRI or None) for NACE
    nace: Mapping[str, tuple[str, str, str | None]] = field(default_factory=dict)
    #: slugs of our own industrial-ecosystem concepts (ontology/schemes/industrial-ecosystems.ttl)
    ecosystems: frozenset[str] = frozenset()

    def has(self, iri: str) -> bool:
        if iri.startswith("ecosystem:"):
            return iri.removeprefix("ecosystem:") in self.ecosystems
        return iri in self.nace or (URIRef(iri), None, None) in self.graph


@dataclass(frozen=True)
class LinkSet:
    links: tuple[Link, ...]
    changes: tuple[Change, ...]

    @property
    def published(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if not link.held)


# ---------------------------------------------------------------------------- parsing


def scheme_of(target: str) -> Scheme | None:
    """The scheme a target claims to belong to, judged by its prefix (not its exact form)."""
    for scheme in SCHEMES:
        if target.startswith(scheme.prefix):
            return scheme
    for name, fragment in _LOOSE:
        if fragment in target:
            return next(s for s in SCHEMES if s.name == name)
    return None


def nace_iri(code: str) -> str:
    """The official IRI of a NACE Rev. 2 code: the code without its dot (28.11 -> …/2811)."""
    return str(NACE) + code.replace(".", "")


def _rows(text: str, path: str, columns: tuple[str, ...],
          errors: list[AnnotationError]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        errors.append(AnnotationError(path, 1, None,
                                      f"header must be {','.join(columns)}, "
                                      f"not {','.join(reader.fieldnames or ())}"))
        return
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            errors.append(AnnotationError(path, reader.line_num, None,
                                          f"expected {len(columns)} columns"))
            continue
        yield reader.line_num, {k: v.strip() for k, v in row.items()}


def parse_mappings(text: str, path: str) -> tuple[list[Link], list[AnnotationError]]:
    """Rows of one mapping file; shape errors only (references are checked by `check_links`)."""
    errors: list[AnnotationError] = []
    links = []
    for line, row in _rows(text, path, MAPPING_COLUMNS, errors):
        missing = [c for c in ("subject", "property", "target", "justification", "source")
                   if not row[c]]
        for col in missing:
            errors.append(AnnotationError(path, line, col, "required: a link without "
                                          f"{col} does not go in"))
        if missing:
            continue
        links.append(Link(path, line, row["subject"], row["property"], row["target"],
                          row["justification"], row["source"], row["held"]))
    return links, errors


def parse_changes(text: str, path: str) -> tuple[list[Change], list[AnnotationError]]:
    errors: list[AnnotationError] = []
    changes = []
    for line, row in _rows(text, path, CHANGE_COLUMNS, errors):
        bad = False
        for col in CHANGE_COLUMNS:
            if not row[col]:
                errors.append(AnnotationError(path, line, col, "required"))
                bad = True
        for col in ("event", "original", "resulting"):
            if row[col] and not SLUG.match(row[col]):
                errors.append(AnnotationError(path, line, col, f"not a slug: {row[col]!r}"))
                bad = True
        if row["year"] and not re.fullmatch(r"(19|20)\d\d", row["year"]):
            errors.append(AnnotationError(path, line, "year", f"not a year: {row['year']!r}"))
            bad = True
        sources = tuple(s.strip() for s in row["source"].split(" ; ") if s.strip())
        if row["source"] and not all(s.startswith(("http://", "https://")) for s in sources):
            errors.append(AnnotationError(path, line, "source",
                                          "list the web pages read, separated by ' ; '"))
            bad = True
        if bad:
            continue
        changes.append(Change(path, line, row["event"], row["original"], row["resulting"],
                              {"da": row["resulting_label_da"], "en": row["resulting_label_en"]},
                              row["resulting_type"], int(row["year"]), row["justification"],
                              sources))
    return changes, errors


def check_links(links: Iterable[Link], changes: Iterable[Change], ann: Annotations,
                vocab: Vocabularies) -> list[AnnotationError]:
    """Every reference resolves, every target has its scheme's exact form and, for shipped
    vocabularies, exists in them; no link is stated twice; no identifier is given to two
    subjects (a ROR ID or a CVR number denotes one organisation: a second claim is a mix-up,
    e.g. a parent's number copied to its unit)."""
    errors: list[AnnotationError] = []
    known = {"actor": set(ann.actors), "area": set(AREAS),
             "strength-position": set(ann.strength_positions), "resource": set(ann.resources)}
    seen: dict[tuple[str, str, str], Link] = {}
    identifies: dict[tuple[str, str], Link] = {}
    for link in links:
        def err(fld: str, msg: str, link: Link = link) -> None:
            errors.append(AnnotationError(link.path, link.line, fld, msg))

        if ":" not in link.subject or link.kind not in SUBJECT_KINDS:
            err("subject", f"{link.subject!r}: write actor:ID, area:SLUG, "
                           "strength-position:ID or resource:ID")
            continue
        if link.ident not in known[link.kind]:
            err("subject", f"unknown {link.kind} {link.ident!r}")
        spec = PROPERTIES.get(link.prop)
        if spec is None:
            err("property", f"{link.prop!r} is not one of {', '.join(sorted(PROPERTIES))}")
            continue
        _, kinds, schemes = spec
        if link.kind not in kinds:
            err("property", f"{link.prop} does not fit a {link.kind} "
                            f"(only {', '.join(sorted(kinds))}); owl:sameAs is for identical "
                            "things, skos:*Match for concepts")
        scheme = link.scheme
        if scheme is None:
            err("target", f"{link.target!r} belongs to no known scheme "
                          f"({', '.join(s.name for s in SCHEMES)})")
            continue
        if not scheme.pattern.match(link.target):
            err("target", f"malformed {scheme.name} target {link.target!r} "
                          f"(expected {scheme.pattern.pattern})")
            continue
        if not scheme.accepts(link.target):
            err("target", f"{link.target!r} fails the {scheme.name} check digit: a digit is "
                          "wrong")
            continue
        if scheme.name not in schemes:
            err("target", f"{link.prop} may point to {', '.join(sorted(schemes))}, "
                          f"not to {scheme.name}")
        if scheme.vocabulary and not vocab.has(link.target):
            err("target", f"{link.target} is not in the shipped {scheme.name} vocabulary "
                          "(data/vocabularies/)")
        key = (link.subject, link.prop, link.target)
        if key in seen:
            err("target", f"stated twice (first at line {seen[key].line})")
        seen[key] = link
        if link.prop in IDENTIFYING:
            first = identifies.setdefault((link.prop, link.target), link)
            if first.subject != link.subject:
                err("target", f"{link.target} already identifies {first.subject} "
                              f"({first.path}:{first.line}); an identifier denotes one thing")
    events: dict[str, Change] = {}
    for ch in changes:
        if ch.original not in ann.actors:
            errors.append(AnnotationError(ch.path, ch.line, "original",
                                          f"unknown actor {ch.original!r}"))
        if ch.resulting in ann.actors:
            errors.append(AnnotationError(
                ch.path, ch.line, "resulting",
                f"{ch.resulting!r} is an annotated actor; a successor not in the annex needs "
                "its own id"))
        if ch.resulting_type not in ACTOR_TYPES:
            errors.append(AnnotationError(ch.path, ch.line, "resulting_type",
                                          f"unknown actor type {ch.resulting_type!r}"))
        first_change = events.setdefault(ch.event, ch)
        if (first_change.resulting, first_change.year) != (ch.resulting, ch.year):
            errors.append(AnnotationError(
                ch.path, ch.line, "event",
                f"event {ch.event!r} has another result or year at line {first_change.line}"))
    return errors


# ---------------------------------------------------------------------------- files


#: our industrial-ecosystem scheme, relative to the ontology folder
ECOSYSTEMS_FILE = Path("schemes") / "industrial-ecosystems.ttl"
_LOCAL_BASE = "https://vestlod.invalid/"  # any base: only the slugs are kept


def read_ecosystems(ontology_dir: Path | None) -> frozenset[str]:
    """The slugs of the concepts in our industrial-ecosystem scheme (none without the file)."""
    if ontology_dir is None or not (ontology_dir / ECOSYSTEMS_FILE).is_file():
        return frozenset()
    g = Graph()
    g.parse(ontology_dir / ECOSYSTEMS_FILE, format="turtle", publicID=_LOCAL_BASE)
    prefix = _LOCAL_BASE + "id/industrial-ecosystem/"
    return frozenset(str(s).removeprefix(prefix) for s in g.subjects(RDF.type, SKOS.Concept)
                     if str(s).startswith(prefix))


def read_vocabularies(folder: Path, ontology_dir: Path | None = None) -> Vocabularies:
    """The shipped official vocabularies: NUTS, data themes, the EuroVoc subset and the Eurostat
    datasets (Turtle), NACE (CSV); and the slugs of our industrial-ecosystem scheme."""
    g = Graph()
    for name in ("nuts-dk.ttl", "data-themes.ttl", "eurovoc-subset.ttl",
                 "eurostat-datasets.ttl"):
        path = folder / name
        if path.is_file():
            g.parse(path, format="turtle")
    nace: dict[str, tuple[str, str, str | None]] = {}
    path = folder / "nace-rev2.csv"
    if path.is_file():
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            parent = nace_iri(row["parent"]) if row["parent"] else None
            nace[nace_iri(row["code"])] = (row["code"], row["title_en"], parent)
    return Vocabularies(g, nace, read_ecosystems(ontology_dir))


def read_links(folder: Path) -> tuple[list[Link], list[Change], list[AnnotationError]]:
    """All mapping files and changes.csv of a folder, with paths relative to the project."""
    links: list[Link] = []
    changes: list[Change] = []
    errors: list[AnnotationError] = []
    for path in sorted(folder.glob("*.csv")):
        shown = f"data/links/{path.name}"
        text = path.read_text(encoding="utf-8")
        if path.name == CHANGES_FILE:
            found_c, errs = parse_changes(text, shown)
            changes += found_c
        else:
            found_l, errs = parse_mappings(text, shown)
            links += found_l
        errors += errs
    return links, changes, errors


def collect_links(links_dir: Path, vocab_dir: Path, ann: Annotations,
                  ontology_dir: Path | None = None
                  ) -> tuple[LinkSet, Vocabularies, list[AnnotationError]]:
    """Everything that was read, good or bad, and every problem (for `vestlod links`)."""
    vocab = read_vocabularies(vocab_dir, ontology_dir)
    links, changes, errors = read_links(links_dir)
    errors += check_links(links, changes, ann, vocab)
    return LinkSet(tuple(links), tuple(changes)), vocab, errors


def load_links(links_dir: Path, vocab_dir: Path, ann: Annotations,
               ontology_dir: Path | None = None) -> tuple[LinkSet, Vocabularies]:
    """Read and check everything; raise `AnnotationErrors` listing every problem (the build)."""
    links, vocab, errors = collect_links(links_dir, vocab_dir, ann, ontology_dir)
    if errors:
        raise AnnotationErrors(errors)
    return links, vocab


# ---------------------------------------------------------------------------- triples


def _subject_iri(link: Link, ann: Annotations, uris: Uris) -> URIRef:
    if link.kind == "actor":
        actor = ann.actors[link.ident]
        return uris.actor(actor.kind, actor.id)
    return uris.id(link.kind, link.ident)


def _publishable(iri: str) -> bool:
    """An external IRI we may write as an object: it has its scheme's exact form."""
    scheme = scheme_of(iri)
    return scheme is not None and bool(scheme.pattern.match(iri))


def _described(iri: URIRef, vocab: Vocabularies) -> Iterator[Triple]:
    """Every triple the shipped file states about a target (a Eurostat dataset: type, code,
    title, the SDMX API address)."""
    for p, o in sorted(vocab.graph.predicate_objects(iri)):
        if isinstance(p, URIRef):
            yield iri, p, o


def _concept_labels(iri: URIRef, vocab: Vocabularies) -> Iterator[Triple]:
    """Label and notation of an external concept, and its ancestors as far as their IRIs are
    link targets themselves (NACE division -> section).

    Scheme IRIs (…/nuts/scheme/2016, …/nace2/nace2) and NUTS levels other than 2 are left out:
    the SHACL link shapes read every IRI in those namespaces as a link target (see the report
    of issue 7); the shipped files in data/vocabularies/ keep them.
    """
    seen: set[URIRef] = set()
    todo = [iri]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if str(node) in vocab.nace:
            code, title, parent = vocab.nace[str(node)]
            yield node, SKOS.prefLabel, Literal(title, lang="en")
            yield node, SKOS.notation, Literal(code)
            if parent and _publishable(parent):
                yield node, SKOS.broader, URIRef(parent)
                todo.append(URIRef(parent))
            continue
        for prop in (SKOS.prefLabel, SKOS.notation, SKOS.broader):
            for value in vocab.graph.objects(node, prop):
                if isinstance(value, Literal) and value.language not in (None, "da", "en"):
                    continue
                if isinstance(value, URIRef):
                    if not _publishable(str(value)):
                        continue
                    todo.append(value)
                if prop == SKOS.prefLabel and isinstance(value, Literal) and not value.language:
                    # Eurostat names the Danish NUTS regions in Danish without a tag; vestlod
                    # tags every label (SKOS-5 of the gate)
                    value = Literal(str(value), lang="da")
                yield node, prop, value


def link_triples(links: LinkSet, ann: Annotations, uris: Uris,
                 vocab: Vocabularies) -> Iterator[Triple]:
    """The published links, the labels of what they point to, and the modelled changes."""
    labelled: set[URIRef] = set()
    for link in links.published:
        prop = PROPERTIES[link.prop][0]
        subject = _subject_iri(link, ann, uris)
        scheme = link.scheme
        assert scheme is not None  # checked by check_links
        if scheme.name == "cvr":
            yield from _cvr_triples(subject, link.target.removeprefix("cvr:"), uris)
            continue
        if scheme.literal:
            yield subject, prop, Literal(link.target)
            continue
        if scheme.local:  # our own concept: labelled by its scheme in ontology/schemes/
            yield subject, prop, uris.id(scheme.local, link.target.removeprefix(scheme.prefix))
            continue
        target = URIRef(link.target)
        yield subject, prop, target
        if scheme.vocabulary and target not in labelled:
            labelled.add(target)
            if scheme.name == "eurostat":
                yield from _described(target, vocab)
            else:
                yield from _concept_labels(target, vocab)
    yield from _change_triples(links.changes, ann, uris)


def _cvr_triples(subject: URIRef, number: str,
                 uris: Uris) -> Iterator[Triple]:
    """An organisation's CVR registration in the W3C Registered Organization Vocabulary."""
    ident = uris.id("identifier", f"cvr-{number}")
    yield subject, ROV.registration, ident
    yield ident, RDF.type, ADMS.Identifier
    yield ident, SKOS.notation, Literal(number)
    yield ident, RDFS.label, Literal(f"CVR-nr. {number}", lang="da")
    yield ident, RDFS.label, Literal(f"CVR no. {number}", lang="en")
    yield ident, ADMS.schemaAgency, Literal("Erhvervsstyrelsen", lang="da")
    yield ident, ADMS.schemaAgency, Literal("Danish Business Authority", lang="en")


def _change_triples(changes: Iterable[Change], ann: Annotations,
                    uris: Uris) -> Iterator[Triple]:
    by_event: dict[str, list[Change]] = {}
    for ch in changes:
        by_event.setdefault(ch.event, []).append(ch)
    for event, group in sorted(by_event.items()):
        first = group[0]
        ev = uris.id("change-event", event)
        res = uris.id("org", first.resulting)
        yield res, RDF.type, ORG.Organization
        yield res, RDF.type, (ORG.OrganizationalCollaboration
                              if first.resulting_type in ("cluster-organisation", "network",
                                                          "innovation-network", "partnership")
                              else ORG.FormalOrganization)
        yield res, DCTERMS.type, uris.id("actor-type", first.resulting_type)
        for lang, text in first.resulting_label.items():
            yield res, RDFS.label, Literal(text, lang=lang)
            yield res, SKOS.prefLabel, Literal(text, lang=lang)
        yield res, ORG.resultedFrom, ev
        yield ev, RDF.type, ORG.ChangeEvent
        yield ev, DCTERMS.date, Literal(str(first.year), datatype=XSD.gYear)
        originals = [ann.actors[ch.original] for ch in group]
        names = {lang: ", ".join(a.label[lang] for a in originals) for lang in ("da", "en")}
        if "renaming" in event.split("-"):  # a renamed body (§A1), not a merger
            yield ev, RDFS.label, Literal(
                f"Omdøbning af {names['da']} til {first.resulting_label['da']} ({first.year})",
                lang="da")
            yield ev, RDFS.label, Literal(
                f"Renaming of {names['en']} to {first.resulting_label['en']} ({first.year})",
                lang="en")
        else:
            yield ev, RDFS.label, Literal(
                f"Sammenlægning til {first.resulting_label['da']} ({first.year}): "
                f"{names['da']}", lang="da")
            yield ev, RDFS.label, Literal(
                f"Merger into {first.resulting_label['en']} ({first.year}): {names['en']}",
                lang="en")
        yield ev, ORG.resultingOrganization, res
        for ch, actor in zip(group, originals, strict=True):
            orig = uris.actor(actor.kind, actor.id)
            yield ev, ORG.originalOrganization, orig
            yield orig, ORG.changedBy, ev
            yield orig, DCTERMS.isReplacedBy, res
            yield res, DCTERMS.replaces, orig
            for source in ch.sources:
                yield ev, DCTERMS.source, URIRef(source)


# ---------------------------------------------------------------------------- coverage


def coverage_table(links: LinkSet, ann: Annotations) -> list[str]:
    """What `vestlod links` prints: identifier coverage per actor type, NACE per area and
    strength position, held links, and every malformed target."""
    published = links.published
    external = {link.ident for link in published
                if link.kind == "actor" and link.prop in IDENTIFYING}
    located = {link.ident for link in published if link.kind == "actor"}
    out = ["actors with at least one external identifier (owl:sameAs to Wikidata/ROR, ISO "
           "3166-2 or a CVR number), per type:",
           f"  {'type':28} {'with':>5} {'of':>4} {'share':>6}"]
    by_type: dict[str, list[str]] = {}
    for actor in ann.actors.values():
        by_type.setdefault(actor.type, []).append(actor.id)
    tot_with = tot = org_with = org_tot = 0
    for typ, ids in sorted(by_type.items()):
        n = sum(1 for i in ids if i in external)
        tot_with, tot = tot_with + n, tot + len(ids)
        out.append(f"  {typ:28} {n:5} {len(ids):4} {100 * n / len(ids):5.0f}%")
    for actor in ann.actors.values():
        if actor.kind in ("org", "region"):
            org_tot += 1
            org_with += actor.id in external
    out.append(f"  {'all actors':28} {tot_with:5} {tot:4} {100 * tot_with / tot:5.0f}%")
    out.append(f"  {'organisations (kind org/region)':28} {org_with:5} {org_tot:4} "
               f"{100 * org_with / max(org_tot, 1):5.0f}%")
    without = sorted(a.id for a in ann.actors.values()
                     if a.kind in ("org", "region") and a.id not in external)
    held_actors = {link.ident for link in links.links if link.held and link.kind == "actor"}
    out.append(f"  organisations without one ({len(without)}; * = a candidate is held):")
    out += textwrap.wrap(" ".join(i + ("*" if i in held_actors else "") for i in without),
                         width=96, initial_indent="    ", subsequent_indent="    ",
                         break_on_hyphens=False)
    units = [i for i in without if ann.actors[i].part_of]
    linked_units = sum(ann.actors[i].part_of in external for i in units)
    out.append(f"  of these, units of another organisation (org:unitOf) whose parent has one: "
               f"{linked_units} of {len(units)}")
    # Issue 7 links a unit to its parent rather than to an identifier of its own; this line
    # counts them as linked, the line above ("organisations") does not.
    reach = org_with + linked_units
    out.append(f"  organisations with their own identifier or as a unit of one that has one: "
               f"{reach} of {org_tot} ({100 * reach / max(org_tot, 1):.0f}%)")
    places = [a.id for a in ann.actors.values() if a.kind == "place"]
    out.append(f"  places located in a NUTS 2 region: {sum(p in located for p in places)} of "
               f"{len(places)}")
    out.append("")
    out.append("NACE Rev. 2 mappings (published; +held):")
    nace = [link for link in links.links if (link.scheme and link.scheme.name == "nace")]
    concepts = [("area", a) for a in AREAS] + [("strength-position", s)
                                              for s in sorted(ann.strength_positions)] + [
        ("resource", r) for r in sorted(ann.resources)]
    missing = []
    for kind, ident in concepts:
        mine = [lk for lk in nace if lk.kind == kind and lk.ident == ident]
        shown = [lk.target.removeprefix(str(NACE)) for lk in mine if not lk.held]
        held = [lk.target.removeprefix(str(NACE)) for lk in mine if lk.held]
        if not shown:
            missing.append(f"{kind}:{ident}")
        extra = f"  +held {' '.join(held)}" if held else ""
        out.append(f"  {kind + ':' + ident:72} {' '.join(shown) or '-'}{extra}")
    n_ok = len(concepts) - len(missing)
    out.append(f"  with at least one published NACE mapping: {n_ok} of {len(concepts)}")
    out.append("")
    out += _eurovoc_coverage(links, ann)
    out.append("")
    out += scheme_coverage(links)
    out.append("")
    changes = sorted({(c.event, c.resulting) for c in links.changes})
    out.append(f"organisation changes: {len(changes)} events, {len(links.changes)} originals")
    out.append(f"links: {len(links.links)} stated, {len(published)} published, "
               f"{len(links.links) - len(published)} held")
    bad = [link for link in links.links if link.malformed]
    out.append(f"malformed targets: {len(bad)}")
    out += [f"  {link.path}:{link.line}: {link.target}" for link in bad]
    return out


def _eurovoc_coverage(links: LinkSet, ann: Annotations) -> list[str]:
    """EuroVoc links per kind of subject (issue #16): regions, areas, strength positions."""
    mapped = {(lk.kind, lk.ident) for lk in links.published
              if lk.scheme is not None and lk.scheme.name == "eurovoc"}
    groups = [
        ("regions", [("actor", a.id) for a in ann.actors.values() if a.kind == "region"]),
        ("business areas", [("area", a) for a in AREAS]),
        ("strength positions", [("strength-position", s) for s in ann.strength_positions]),
    ]
    out = ["EuroVoc mappings (published):"]
    for name, items in groups:
        got = sum(item in mapped for item in items)
        missing = sorted(i for k, i in items if (k, i) not in mapped)
        out.append(f"  {name:28} {got:3} of {len(items):3}"
                   + (f"  without: {' '.join(missing)}" if missing else ""))
    return out


#: how `vestlod links` groups the target schemes (issue #16 item 6)
SCHEME_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("EuroVoc", ("eurovoc",)),
    ("NACE Rev. 2", ("nace",)),
    ("NUTS", ("nuts",)),
    ("EU data themes", ("data-theme",)),
    ("S3: industrial ecosystems (ours)", ("industrial-ecosystem",)),
    ("Eurostat datasets", ("eurostat",)),
    ("S3: cluster profiles (ECCP)", ("eccp",)),
    ("Wikidata", ("wikidata",)),
    ("ROR", ("ror",)),
    ("CVR", ("cvr",)),
    ("ISO 3166-2", ("iso3166-2",)),
    ("PIC (EU participant code)", ("pic",)),  # no scheme yet: no PIC has a source here
)


def scheme_coverage(links: LinkSet) -> list[str]:
    """Links per target scheme: rows published and held, and how many subjects they reach; the
    national-cluster changes (S3) with the number of pages cited. A scheme nothing links to
    shows 0, so a gap is visible (PIC: no scheme yet, no sourced PIC)."""
    out = ["links per target scheme (published rows, subjects reached; +held rows):"]
    for label, names in SCHEME_GROUPS:
        rows = [lk for lk in links.links if lk.scheme is not None and lk.scheme.name in names]
        shown = [lk for lk in rows if not lk.held]
        subjects = {lk.subject for lk in shown}
        held = len(rows) - len(shown)
        out.append(f"  {label:34} {len(shown):4} rows {len(subjects):4} subjects"
                   + (f"  +{held} held" if held else ""))
    events = {c.event for c in links.changes}
    pages = {s for c in links.changes for s in c.sources}
    out.append(f"  {'S3: national-cluster changes':34} {len(events):4} events "
               f"{len(links.changes):4} originals, {len(pages)} source pages")
    unsourced = [lk for lk in links.published if not lk.source.strip()]
    out.append(f"  published rows without a source: {len(unsourced)}")
    return out
