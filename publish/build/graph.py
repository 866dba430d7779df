"""Turn the segmented annex and its annotations into one RDF dataset with four named graphs.

* ``graph/vocabulary``: the ontology and the static SKOS schemes from ``ontology/``;
* ``graph/data``: the document and its segments, business areas' concepts, actors, strength
  positions, challenges, focus areas, figures (RDF Data Cube) and relations;
* ``graph/provenance``: one Web Annotation per supporting span (TextQuoteSelector +
  TextPositionSelector into the annex), the build as a ``prov:Activity`` and where each resource
  was curated;
* ``graph/metadata``: a short description of the dataset (VoID/DCAT; the catalog issue extends it)
  and, added by the pipeline after this module (`publish.build.retired`), the tombstones of
  retired IRIs: statements about the publication's own IRIs, not about the annex.

No blank nodes anywhere: every node has an IRI derived from curated ids or source offsets, so two
builds from the same sources give the same triples and dumps. The module is pure apart from
reading the vocabulary files it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph, Literal, URIRef

from publish import __version__
from publish.build.annotations import (
    Annotations,
    Classification,
    DateStatement,
    Figure,
    Relation,
    Span,
    Statement,
)
from publish.build.catalog import DCAT_VERSION, read_catalog_yaml
from publish.build.source import Document, Segment
from publish.config import Settings
from publish.errors import BuildError
from publish.uris import Uris
from publish.vocab import (
    AUTHORITY,
    CNT,
    DCAT,
    DCTERMS,
    DOCO,
    FOAF,
    NUTS,
    OA,
    ORG,
    PROV,
    QB,
    RDF,
    RDFS,
    SCHEMA,
    SDMX_ATT,
    SDMX_DIM,
    SDMX_MEA,
    SKOS,
    VOID,
    XSD,
    prefixes,
)

#: the prefixes the dumps may bind (each one is written only where the data uses it)
DUMP_PREFIXES = (
    "vl", "skos", "rdfs", "owl", "dcterms", "dcat", "foaf", "org", "prov", "oa", "qb", "schema",
    "doco", "cnt", "void", "spdx", "xsd", "sdmx-dimension", "sdmx-attribute", "sdmx-measure",
)

#: schema.org class per actor type of an organisation (kind org, region or group)
SCHEMA_TYPES = {
    "company": "Corporation", "university": "CollegeOrUniversity",
    "university-college": "CollegeOrUniversity", "school": "EducationalOrganization",
    "university-unit": "ResearchOrganization", "gts-institute": "ResearchOrganization",
    "research-centre": "ResearchOrganization", "knowledge-centre": "ResearchOrganization",
    "regional-authority": "GovernmentOrganization", "growth-forum": "GovernmentOrganization",
    "ministry": "GovernmentOrganization", "public-agency": "GovernmentOrganization",
    "statistics-office": "GovernmentOrganization", "advisory-body": "GovernmentOrganization",
    "fund": "FundingScheme", "science-park": "Organization",
}
#: schema.org class of a work per actor type
WORK_TYPES = {"report": "Report", "website": "WebSite", "agreement": "CreativeWork"}
#: a cluster (*klynge*) is a collaboration of organisations; the body that runs one, a
#: cluster-organisation (*klyngeoperatør*), is not (re-reading 7: S68)
COLLABORATIONS = {"cluster", "innovation-network", "network", "partnership"}
#: types whose very kind is a legal body (org:FormalOrganization, §A1); a research or knowledge
#: centre, a science park, a growth forum or an organisation of no stated kind is only an
#: org:Organization, and so is any unit of another organisation (re-read of #15)
FORMAL_TYPES = {
    "company", "university", "university-college", "school", "regional-authority", "ministry",
    "public-agency", "statistics-office", "trade-association", "association", "fund",
}
SEGMENT_CLASSES = {
    "document": FOAF.Document,
    "area": DOCO.Chapter, "section": DOCO.Section, "subsection": DOCO.Section,
    "paragraph": DOCO.Paragraph, "item": DOCO.Paragraph, "sentence": DOCO.Sentence,
    "footnote": DOCO.Footnote,
}
SEGMENT_PATHS = {
    "area": "section", "section": "section", "subsection": "section", "paragraph": "paragraph",
    "item": "paragraph", "sentence": "sentence", "footnote": "footnote",
}
SEGMENT_NAMES = {
    "paragraph": ("Afsnit", "Paragraph"), "item": ("Punkt", "List item"),
    "sentence": ("Sætning", "Sentence"), "footnote": ("Fodnote", "Footnote"),
}
QUALIFIER_SLUGS = {
    "ca.": "ca", "omkring": "omkring", "godt": "godt", "knap": "knap", "over": "over",
    "mere end": "mere-end", "mindst": "mindst", "godt og vel": "godt-og-vel", "op til": "op-til",
}
DOCUMENT_SLUG = "bilag-styrket-vestdansk-samarbejde"


def _da_en(graph: Graph, node: URIRef, labels: dict[str, str], *props: URIRef) -> None:
    for prop in props:
        for lang in ("da", "en"):
            if lang in labels:
                graph.add((node, prop, Literal(labels[lang], lang=lang)))


class _Builder:
    def __init__(self, doc: Document, ann: Annotations, settings: Settings,
                 headings: dict[str, str], source_sha256: str, inputs_sha256: str,
                 catalog: Mapping[str, Any]) -> None:
        self.doc = doc
        self.catalog = catalog
        self.ann = ann
        self.settings = settings
        self.u = Uris(settings.base_iri)
        self.vl = self.u.vl
        self.headings = headings
        self.source_sha256 = source_sha256
        self.ds = Dataset()
        self.vocab = self.ds.graph(self.u.graph("vocabulary"))
        self.data = self.ds.graph(self.u.graph("data"))
        self.prov = self.ds.graph(self.u.graph("provenance"))
        self.meta = self.ds.graph(self.u.graph("metadata"))
        self.document = self.u.id("document", DOCUMENT_SLUG)
        self.activity = self.u.id("activity", "build-" + inputs_sha256[:16])
        self.sentences = doc.of_kind("sentence")
        self.relation_properties: dict[str, URIRef] = {}

    # ------------------------------------------------------------------ helpers

    def english(self, title: str) -> str:
        if title not in self.headings:
            raise BuildError(
                f"data/source/headings.yaml: no English title for the heading {title!r}"
            )
        return self.headings[title]

    def segment_iri(self, seg: Segment) -> URIRef:
        if seg.kind == "document":
            return self.document
        if seg.kind == "footnote":
            return self.u.id("footnote", str(seg.number))
        return self.u.id(SEGMENT_PATHS[seg.kind], seg.id)

    def add_selectors(self, graph: Graph, node: URIRef, start: int, end: int,
                      quote: Span | None) -> None:
        """`node` is a oa:SpecificResource of the annex with position (and quote) selectors."""
        graph.add((node, RDF.type, OA.SpecificResource))
        graph.add((node, OA.hasSource, self.document))
        pos = URIRef(str(node).split("#")[0] + "#position")
        graph.add((node, OA.hasSelector, pos))
        graph.add((pos, RDF.type, OA.TextPositionSelector))
        graph.add((pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        graph.add((pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        if quote is not None:
            q = URIRef(str(node).split("#")[0] + "#quote")
            graph.add((node, OA.hasSelector, q))
            graph.add((q, RDF.type, OA.TextQuoteSelector))
            graph.add((q, OA.exact, Literal(quote.exact)))
            graph.add((q, OA.prefix, Literal(quote.prefix)))
            graph.add((q, OA.suffix, Literal(quote.suffix)))

    def support(self, body: URIRef, span: Span, kind: str, slug: str,
                motivation: URIRef) -> URIRef:
        """A Web Annotation tying `body` to the words that support it; returns the target."""
        ann = self.u.id("annotation", f"{kind}-{slug}-{span.start}-{span.end}")
        target = URIRef(str(ann) + "#target")
        self.prov.add((ann, RDF.type, OA.Annotation))
        self.prov.add((ann, OA.motivatedBy, motivation))
        self.prov.add((ann, OA.hasBody, body))
        self.prov.add((ann, OA.hasTarget, target))
        self.prov.add((ann, PROV.wasGeneratedBy, self.activity))
        self.prov.add((ann, RDFS.label, Literal(f"Belæg for {slug}: »{span.text}«", lang="da")))
        self.prov.add((ann, RDFS.label, Literal(f"Evidence for {slug}: “{span.text}”", lang="en")))
        self.add_selectors(self.prov, target, span.start, span.end, span)
        sentence = self.doc.smallest_containing(
            span.start, span.end, ("sentence", "footnote", "paragraph", "item")
        )
        if sentence is not None:
            self.prov.add((target, DCTERMS.isPartOf, self.segment_iri(sentence)))
        self.data.add((body, PROV.wasDerivedFrom, target))
        return target

    def curated(self, node: URIRef, path: str, line: int) -> None:
        # relative to the project, whatever path the build was given
        where = f"data/annotations/{Path(path).name}:{line}"
        self.prov.add((node, self.vl.curatedAt, Literal(where)))
        self.prov.add((node, PROV.wasGeneratedBy, self.activity))

    def area(self, slug: str) -> URIRef:
        return self.u.id("area", slug)

    def actor(self, ident: str) -> URIRef:
        a = self.ann.actors[ident]
        return self.u.actor(a.kind, a.id)

    # ------------------------------------------------------------------ parts

    def vocabulary(self, files: Iterable[Path]) -> None:
        for path in files:
            self.vocab.parse(path, format="turtle", publicID=self.settings.base_iri)
        for concept, prop in self.vocab.subject_objects(self.vl.property):
            slug = str(concept).rsplit("/", 1)[-1]
            self.relation_properties[slug] = URIRef(str(prop))

    def document_structure(self) -> None:
        g, d = self.data, self.document
        g.add((d, RDF.type, FOAF.Document))
        g.add((d, RDF.type, SCHEMA.Report))
        g.add((d, RDF.type, CNT.ContentAsText))
        title = {"da": self.doc.title, "en": self.english(self.doc.title)}
        _da_en(g, d, title, RDFS.label, DCTERMS.title)
        g.add((d, DCTERMS.language, AUTHORITY["language/DAN"]))
        g.add((d, CNT.chars, Literal(self.doc.raw)))
        g.add((d, CNT.characterEncoding, Literal("UTF-8")))
        g.add((d, SCHEMA.sha256, Literal(self.source_sha256)))
        g.add((d, DCTERMS.extent, Literal(len(self.doc.raw), datatype=XSD.nonNegativeInteger)))
        for region in ("DK03", "DK04", "DK05"):
            g.add((d, DCTERMS.spatial, NUTS[region]))
        position: dict[str, int] = {}
        for seg in self.doc.segments:
            if seg.kind == "document":
                continue
            node = self.segment_iri(seg)
            g.add((node, RDF.type, SEGMENT_CLASSES[seg.kind]))
            parent = self.document if seg.parent in (None, "bilag") else self.u.id(
                SEGMENT_PATHS[self.doc.by_id(seg.parent).kind], seg.parent
            )
            g.add((node, DCTERMS.isPartOf, parent))
            g.add((parent, DCTERMS.hasPart, node))
            position[seg.parent or ""] = position.get(seg.parent or "", 0) + 1
            g.add((node, SCHEMA.position, Literal(position[seg.parent or ""])))
            quote = None
            if seg.kind in ("paragraph", "item", "sentence", "footnote"):
                quote = Span(seg.start, seg.end, self.doc.raw[seg.start:seg.end],
                             self.doc.raw[max(0, seg.start - 32):seg.start],
                             self.doc.raw[seg.end:seg.end + 32], seg.text,
                             seg.norm_start, seg.norm_end)
            self.add_selectors(g, node, seg.start, seg.end, quote)
            if seg.kind in ("area", "section", "subsection"):
                assert seg.title is not None
                labels = {"da": seg.title, "en": self.english(seg.title)}
                _da_en(g, node, labels, RDFS.label, DCTERMS.title)
                if seg.kind == "area":
                    g.add((self.area(seg.id), SCHEMA.subjectOf, node))
            else:
                g.add((node, RDF.value, Literal(seg.text, lang="da")))
                da, en = SEGMENT_NAMES[seg.kind]
                ref = seg.id if seg.kind != "footnote" else str(seg.number)
                _da_en(g, node, {"da": f"{da} {ref}", "en": f"{en} {ref}"}, RDFS.label)
        self.footnote_links()

    def cited_works(self) -> dict[int, list[URIRef]]:
        """Footnote number -> the works (actors of kind work) named inside that footnote."""
        out: dict[int, list[URIRef]] = {}
        for note in self.doc.of_kind("footnote"):
            assert note.number is not None
            for a in self.ann.actors.values():
                if a.kind == "work" and any(
                    note.start <= m.start and m.end <= note.end for m in a.mentions
                ):
                    out.setdefault(note.number, []).append(self.u.actor(a.kind, a.id))
        return out

    def footnote_links(self) -> None:
        """A marker glued to a word ("år1,") links its sentence to the footnote's cited work."""
        g = self.data
        works = self.cited_works()
        for ref in self.doc.footnote_refs:
            note = self.u.id("footnote", str(ref.number))
            para = self.u.id("paragraph", ref.segment)
            g.add((para, DCTERMS.references, note))
            marker = Span(ref.raw_offset, ref.raw_offset + len(str(ref.number)),
                          str(ref.number), self.doc.raw[max(0, ref.raw_offset - 32):ref.raw_offset],
                          self.doc.raw[ref.raw_offset + len(str(ref.number)):
                                       ref.raw_offset + len(str(ref.number)) + 32],
                          str(ref.number), ref.norm_offset, ref.norm_offset)
            for work in works.get(ref.number, []):
                g.add((note, SCHEMA.citation, work))
                g.add((para, DCTERMS.references, work))
                slug = str(work).rsplit("/", 1)[-1]
                target = self.support(work, marker, "footnote-marker", slug, OA.linking)
                self.prov.add((target, DCTERMS.references, note))

    def actor_types(self, node: URIRef, kind: str, actor_type: str,
                    part_of: str | None = None) -> None:
        """The classes of one annotated thing, from what the annex says it is (§A1): only an
        organisation or a group that acts is a vl:Actor; an initiative, programme or project is
        an activity (a vision a plan), a place or facility a place, a report or web site a
        work, and none of those is an organisation."""
        g = self.data
        if kind in ("org", "region"):
            g.add((node, RDF.type, self.vl.Actor))
            g.add((node, RDF.type, ORG.Organization))
            if actor_type in COLLABORATIONS:
                g.add((node, RDF.type, ORG.OrganizationalCollaboration))
            elif actor_type in FORMAL_TYPES and not part_of:
                g.add((node, RDF.type, ORG.FormalOrganization))
            g.add((node, RDF.type, SCHEMA[SCHEMA_TYPES.get(actor_type, "Organization")]))
        elif kind == "group":
            # a collective subject the text does not split (§A3); members only where named
            g.add((node, RDF.type, self.vl.Actor))
            g.add((node, RDF.type, FOAF.Group))
        elif kind == "initiative":
            if actor_type == "vision":
                g.add((node, RDF.type, PROV.Plan))
                g.add((node, RDF.type, SCHEMA.CreativeWork))
            else:
                g.add((node, RDF.type, PROV.Activity))
                g.add((node, RDF.type, SCHEMA.Project))
        elif kind in ("place", "facility"):
            g.add((node, RDF.type, SCHEMA.Place))
            if kind == "place":
                g.add((node, RDF.type, DCTERMS.Location))
        elif kind == "work":
            g.add((node, RDF.type, FOAF.Document))
            g.add((node, RDF.type, SCHEMA[WORK_TYPES.get(actor_type, "CreativeWork")]))
        g.add((node, DCTERMS.type, self.u.id("actor-type", actor_type)))

    def actors(self) -> None:
        g = self.data
        for a in self.ann.actors.values():
            node = self.u.actor(a.kind, a.id)
            self.actor_types(node, a.kind, a.type, a.part_of)
            _da_en(g, node, a.label, SKOS.prefLabel, RDFS.label)
            _da_en(g, node, a.description, DCTERMS.description)
            for name in sorted(set(a.names) - set(a.label.values())):
                # a surface form of the Danish text, so Danish (§A6)
                g.add((node, SKOS.altLabel, Literal(name, lang="da")))
            if a.kind == "region":
                nuts = {"region-nordjylland": "DK05", "region-midtjylland": "DK04",
                        "region-syddanmark": "DK03"}.get(a.id)
                if nuts:
                    g.add((node, DCTERMS.spatial, NUTS[nuts]))
            if a.part_of:
                parent = self.actor(a.part_of)
                g.add((node, ORG.unitOf if a.kind in ("org", "region") else DCTERMS.isPartOf,
                       parent))
                if a.kind in ("org", "region"):
                    g.add((parent, ORG.hasUnit, node))
            if a.located_in:
                g.add((node, SCHEMA.location, self.actor(a.located_in)))
            for member in a.members:
                g.add((node, ORG.hasMember, self.actor(member)))
            for span in a.mentions:
                self.support(node, span, "mention", a.id, OA.identifying)
            for span in a.quotes:
                self.support(node, span, "quote", a.id, OA.describing)
            self.curated(node, a.origin.path, a.origin.line)

    def statements(self) -> None:
        classes = {"strength_positions": (self.vl.StrengthPosition, "strength-position",
                                          "strength-positions"),
                   "resources": (self.vl.Resource, "resource", "resources"),
                   # a business area of a region's own strategy: a plain concept (§A5)
                   "regional_business_areas": (SKOS.Concept, "regional-business-area",
                                               "regional-business-areas"),
                   "challenges": (self.vl.Challenge, "challenge", "challenges"),
                   "focus_areas": (self.vl.FocusArea, "focus-area", "focus-areas")}
        for section, (cls, kind, scheme) in classes.items():
            table: dict[str, Statement] = getattr(self.ann, section)
            for st in table.values():
                node = self.u.id(kind, st.id)
                g = self.data
                g.add((node, RDF.type, cls))
                g.add((node, RDF.type, SKOS.Concept))
                g.add((node, SKOS.inScheme, self.u.id("scheme", scheme)))
                g.add((node, SKOS.topConceptOf, self.u.id("scheme", scheme)))  # a flat list
                g.add((node, self.vl.businessArea, self.area(st.area)))
                _da_en(g, node, st.label, SKOS.prefLabel, RDFS.label)
                _da_en(g, node, st.description, SKOS.definition)
                g.add((node, SKOS.scopeNote, Literal(st.scope_text, lang="da")))
                self.support(node, st.span, kind, st.id, OA.describing)
                if st.frame is not None:
                    self.support(node, st.frame, kind, st.id, OA.describing)
                self.curated(node, st.origin.path, st.origin.line)

    #: the figures' data sets (§A4): every observation has every dimension of its structure
    #: (IC-11), so figures about a place, dated ones, ranges and figures about an actor or
    #: programme (no place) each have their own. slug -> (structure, da, en)
    FIGURE_DATASETS = {
        "figures-places": ("figuresStructure", "Bilagets tal om et sted",
                           "The annex's figures about a place"),
        "figures-places-dated": ("datedFiguresStructure",
                                 "Bilagets tal om et sted i et bestemt år",
                                 "The annex's figures about a place in a given year"),
        "figures-ranges": ("rangeFiguresStructure", "Bilagets tal givet som et interval",
                           "The annex's figures given as a range"),
        "figures-actors": ("actorFiguresStructure",
                           "Bilagets tal uden sted: om en aktør, et program eller en branche, "
                           "hvis sted bilaget ikke angiver",
                           "The annex's figures without a place: about an actor, a programme or "
                           "a branch whose place the annex does not state"),
        "figures-dated": ("datedUnplacedFiguresStructure",
                          "Bilagets tal uden sted i et bestemt år",
                          "The annex's figures without a place in a given year"),
    }

    def figure_dataset(self, fig: Figure) -> str:
        """Which data set (and so which structure) a figure belongs to."""
        if fig.low is not None:
            if fig.year is not None or not fig.scope:
                raise BuildError(f"figure {fig.id}: a range needs a place and no year (no "
                                 "structure has both a period and bounds)")
            return "figures-ranges"
        if not fig.scope:  # an actor or programme, or a place the annex leaves open (§A4)
            return "figures-actors" if fig.year is None else "figures-dated"
        return "figures-places-dated" if fig.year is not None else "figures-places"

    def figures(self) -> None:
        g = self.data
        umbrella = self.u.id("dataset", "figures")
        g.add((umbrella, RDF.type, VOID.Dataset))
        _da_en(g, umbrella, {"da": "Bilagets tal", "en": "The annex's figures"},
               RDFS.label, DCTERMS.title)
        for slug, (structure, da, en) in self.FIGURE_DATASETS.items():
            dataset = self.u.id("dataset", slug)
            g.add((dataset, RDF.type, QB.DataSet))
            g.add((dataset, QB.structure, self.vl[structure]))
            g.add((umbrella, VOID.subset, dataset))
            _da_en(g, dataset, {"da": da, "en": en}, RDFS.label, DCTERMS.title)
        indicators = self.u.id("scheme", "indicators")
        for ind in self.ann.indicators.values():
            node = self.u.id("indicator", ind.id)
            g.add((node, RDF.type, self.vl.Indicator))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, indicators))
            g.add((node, SKOS.topConceptOf, indicators))
            if ind.unit is not None:
                g.add((node, SDMX_ATT.unitMeasure, self.unit(ind.unit)))
            _da_en(g, node, ind.label, SKOS.prefLabel, RDFS.label)
            _da_en(g, node, ind.description, SKOS.definition)
            self.curated(node, ind.origin.path, ind.origin.line)
        self.measured_things()
        for fig in self.ann.figures.values():
            self.figure(fig)

    def unit(self, unit: str) -> URIRef:
        return self.u.id("unit", "dkk" if unit == "DKK" else unit)

    def measured_thing(self, ident: str) -> URIRef:
        return self.u.id("measured-thing", ident)

    def measured_things(self) -> None:
        """The code list of what figures measure: the sectors, and the actors and programmes
        figures are about (each a concept whose foaf:focus is the actor)."""
        g = self.data
        scheme = self.u.id("scheme", "measured-things")
        for ident in sorted({f.measured for f in self.ann.figures.values()}):
            node = self.measured_thing(ident)
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, scheme))
            g.add((node, SKOS.topConceptOf, scheme))
            if ident in self.ann.sectors:
                sector = self.ann.sectors[ident]
                _da_en(g, node, sector.label, SKOS.prefLabel, RDFS.label)
                _da_en(g, node, sector.description, SKOS.definition)
                self.curated(node, sector.origin.path, sector.origin.line)
            else:
                actor = self.ann.actors[ident]
                _da_en(g, node, actor.label, SKOS.prefLabel, RDFS.label)
                g.add((node, FOAF.focus, self.actor(ident)))

    def figure(self, fig: Figure) -> None:
        g = self.data
        node = self.u.id("figure", fig.id)
        g.add((node, RDF.type, QB.Observation))
        g.add((node, QB.dataSet, self.u.id("dataset", self.figure_dataset(fig))))
        g.add((node, self.vl.businessArea, self.area(fig.area)))
        g.add((node, self.vl.indicator, self.u.id("indicator", fig.indicator)))
        g.add((node, self.vl.measuredThing, self.measured_thing(fig.measured)))
        if fig.low is not None and fig.high is not None:
            # a range keeps its bounds and has no value: never an invented midpoint (§A4)
            g.add((node, self.vl.lowerBound, Literal(fig.low, datatype=XSD.decimal)))
            g.add((node, self.vl.upperBound, Literal(fig.high, datatype=XSD.decimal)))
        else:
            g.add((node, SDMX_MEA.obsValue, Literal(fig.value, datatype=XSD.decimal)))
        g.add((node, SDMX_ATT.unitMeasure, self.unit(fig.unit)))
        if fig.qualifier:
            g.add((node, self.vl.qualifier,
                   self.u.id("qualifier", QUALIFIER_SLUGS[fig.qualifier])))
        if fig.status:
            g.add((node, SDMX_ATT.obsStatus, self.u.id("observation-status", fig.status)))
        if fig.year is not None:
            g.add((node, SDMX_DIM.refPeriod, Literal(str(fig.year), datatype=XSD.gYear)))
        if fig.scope:
            g.add((node, SDMX_DIM.refArea, self.actor(fig.scope)))
        if fig.subject:
            g.add((node, DCTERMS.subject, self.actor(fig.subject)))
        for source in fig.sources:
            g.add((node, DCTERMS.source, self.actor(source)))
        g.add((node, self.vl.expression, Literal(fig.expression.text, lang="da")))
        _da_en(g, node, fig.label, SKOS.prefLabel, RDFS.label)
        _da_en(g, node, fig.description, DCTERMS.description)
        self.support(node, fig.span, "figure", fig.id, OA.describing)
        self.curated(node, fig.origin.path, fig.origin.line)

    #: the property each kind of date is published with (§A4), as xsd:gYear
    DATE_PROPERTIES = {
        "founded": (SCHEMA.foundingDate,), "issued": (DCTERMS.issued,),
        "started": (PROV.startedAtTime,), "period": (PROV.startedAtTime, PROV.endedAtTime),
    }

    def dates(self) -> None:
        """Years of founding, starting, publishing and periods: on the thing they date."""
        for date in self.ann.dates.values():
            self.date(date)

    def date(self, date: DateStatement) -> None:
        g = self.data
        if date.activity:
            # the annex dates something the actors do (FFI's offer to the three regions), not
            # the actors: that activity gets a resource of its own
            node = self.u.id("activity", date.id)
            g.add((node, RDF.type, PROV.Activity))
            for agent in date.subjects:
                g.add((node, PROV.wasAssociatedWith, self.actor(agent)))
            _da_en(g, node, date.label, SKOS.prefLabel, RDFS.label)
            self.curated(node, date.origin.path, date.origin.line)
        else:
            node = self.actor(date.subjects[0])
        years = [date.start] if date.end is None else [date.start, date.end]
        for prop, year in zip(self.DATE_PROPERTIES[date.property], years, strict=True):
            g.add((node, prop, Literal(str(year), datatype=XSD.gYear)))
        self.support(node, date.span, "date", date.id, OA.describing)

    def classifications(self) -> None:
        """A work's classification (*tre kategorier: Followers, early adopters og innovators*):
        a concept scheme with one top concept per category, not a figure (§A4)."""
        for cls in self.ann.classifications.values():
            self.classification(cls)

    def classification(self, cls: Classification) -> None:
        g = self.data
        scheme = self.u.id("scheme", cls.id)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        _da_en(g, scheme, cls.label, SKOS.prefLabel, RDFS.label)
        _da_en(g, scheme, cls.description, SKOS.definition)
        g.add((scheme, DCTERMS.source, self.actor(cls.work)))
        self.support(scheme, cls.span, "classification", cls.id, OA.describing)
        self.curated(scheme, cls.origin.path, cls.origin.line)
        for cat in cls.categories:
            node = self.u.id("category", f"{cls.id}-{cat.id}")
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, scheme))
            g.add((node, SKOS.topConceptOf, scheme))
            _da_en(g, node, cat.label, SKOS.prefLabel, RDFS.label)
            if cat.name not in cat.label.values():
                g.add((node, SKOS.altLabel, Literal(cat.name, lang="da")))

    def top_concepts(self) -> None:
        """SKOS top concepts both ways: skos:hasTopConcept for every skos:topConceptOf (and the
        reverse), in the graph that states it, so no scheme's top concepts are one-sided."""
        for graph in (self.vocab, self.data):
            for concept, scheme in list(graph.subject_objects(SKOS.topConceptOf)):
                graph.add((scheme, SKOS.hasTopConcept, concept))
            for scheme, concept in list(graph.subject_objects(SKOS.hasTopConcept)):
                graph.add((concept, SKOS.topConceptOf, scheme))

    def relations(self) -> None:
        g = self.data
        for rel in self.ann.relations.values():
            self.relation(g, rel)

    def relation(self, g: Graph, rel: Relation) -> None:
        node = self.u.id("relation", rel.id)
        subject, obj = self.actor(rel.subject), self.actor(rel.object)
        prop = self.relation_properties.get(rel.relation)
        if prop is None:
            raise BuildError(f"ontology/schemes/relation-types.ttl: no vl:property for "
                             f"{rel.relation!r}")
        g.add((subject, prop, obj))
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, prop))
        g.add((node, RDF.object, obj))
        g.add((node, DCTERMS.type, self.u.id("relation-type", rel.relation)))
        if rel.year is not None:
            g.add((node, DCTERMS.date, Literal(str(rel.year), datatype=XSD.gYear)))
        s_lab, o_lab = self.ann.actors[rel.subject].label, self.ann.actors[rel.object].label
        rel_labels = {"da": rel.relation, "en": rel.relation}  # the scheme gives both
        for lit in self.vocab.objects(self.u.id("relation-type", rel.relation), SKOS.prefLabel):
            if isinstance(lit, Literal) and lit.language in rel_labels:
                rel_labels[lit.language] = str(lit)
        labels = rel.label or {
            lang: f"{s_lab[lang]} {rel_labels[lang]} {o_lab[lang]}"
            + (f" ({rel.year})" if rel.year else "")
            for lang in ("da", "en")
        }
        _da_en(g, node, labels, SKOS.prefLabel, RDFS.label)
        self.support(node, rel.span, "relation", rel.id, OA.describing)
        self.curated(node, rel.origin.path, rel.origin.line)

    def links(self) -> None:
        """External identifiers and mappings from data/links/ (see publish.build.links), with the
        labels of the external concepts taken from the official files in data/vocabularies/."""
        from publish.build.links import link_triples, load_links

        links_dir = self.settings.data_dir / "links"
        if not links_dir.is_dir():
            return
        linkset, vocab = load_links(links_dir, self.settings.data_dir / "vocabularies", self.ann,
                                    self.settings.ontology_dir)
        for triple in link_triples(linkset, self.ann, self.u, vocab):
            self.data.add(triple)
        folders = (links_dir, self.settings.data_dir / "vocabularies")
        for path in sorted(p for folder in folders if folder.is_dir()
                           for p in folder.iterdir() if p.suffix in (".csv", ".ttl")):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            self.prov.add((self.activity, PROV.used,
                           Literal(f"data/{path.parent.name}/{path.name} sha256:{digest}")))

    def provenance(self, inputs: dict[str, str]) -> None:
        p, act = self.prov, self.activity
        p.add((act, RDF.type, PROV.Activity))
        _da_en(p, act, {"da": "Opbygning af vestlod-datasættet",
                        "en": "Build of the vestlod dataset"}, RDFS.label)
        p.add((act, PROV.used, self.document))
        software = self.u.id("software", "vestlod-" + __version__.replace(".", "-"))
        p.add((act, PROV.wasAssociatedWith, software))
        p.add((software, RDF.type, PROV.SoftwareAgent))
        _da_en(p, software, {"da": f"vestlod {__version__}", "en": f"vestlod {__version__}"},
               RDFS.label)
        for name, digest in sorted(inputs.items()):
            p.add((act, PROV.used, Literal(f"{name} sha256:{digest}")))
        for graph_name in ("data", "provenance", "metadata"):
            p.add((self.u.graph(graph_name), PROV.wasGeneratedBy, act))
        p.add((self.u.graph("data"), PROV.wasDerivedFrom, self.document))

    def dataset_text(self, key: str) -> dict[str, str]:
        """The dataset's title or description in Danish and English, from data/catalog.yaml:
        the catalog a harvester reads and the metadata graph the endpoint serves must agree."""
        spec = self.catalog.get("dataset")
        texts = spec.get(key) if isinstance(spec, Mapping) else None
        if not isinstance(texts, Mapping) or not all(
                isinstance(texts.get(lang), str) and texts[lang].strip() for lang in ("da", "en")):
            raise BuildError(f"data/catalog.yaml: dataset.{key} needs a da and an en text")
        return {lang: str(texts[lang]) for lang in ("da", "en")}

    def metadata(self) -> None:
        m, u = self.meta, self.u
        ds = u.id("dataset", "vestlod")
        m.add((ds, RDF.type, VOID.Dataset))
        m.add((ds, RDF.type, DCAT.Dataset))
        _da_en(m, ds, self.dataset_text("title"), DCTERMS.title, RDFS.label)
        _da_en(m, ds, self.dataset_text("description"), DCTERMS.description)
        m.add((ds, DCTERMS.license, URIRef(self.settings.license)))
        m.add((ds, DCTERMS.source, self.document))
        m.add((ds, VOID.uriSpace, Literal(u.base + "id/")))
        m.add((ds, VOID.sparqlEndpoint, URIRef(self.settings.sparql_endpoint)))
        m.add((ds, VOID.vocabulary, u.ontology))
        m.add((ds, DCTERMS.conformsTo, u.ontology))
        m.add((ds, DCAT_VERSION, Literal(__version__)))
        for lang in ("DAN", "ENG"):
            m.add((ds, DCTERMS.language, AUTHORITY[f"language/{lang}"]))
        root, examples = self.void_entry_points()
        m.add((ds, VOID.rootResource, root))
        for example in examples:
            m.add((ds, VOID.exampleResource, example))

    def void_entry_points(self) -> tuple[URIRef, list[URIRef]]:
        """Where a crawler starts (``void:rootResource``) and what shows the data best
        (``void:exampleResource``): chosen by a curator in data/catalog.yaml ``dataset.void``,
        and each must be a resource this build describes, so the choice cannot go stale when
        the data changes."""
        spec = self.catalog.get("dataset")
        void = spec.get("void") if isinstance(spec, Mapping) else None
        if not isinstance(void, Mapping) or not isinstance(void.get("root"), str) \
                or not isinstance(void.get("examples"), list) or not void["examples"]:
            raise BuildError("data/catalog.yaml: dataset.void needs a root (id/…) and a list of "
                             "examples")
        chosen: list[URIRef] = []
        for key, path in [("root", void["root"])] + [("examples", e) for e in void["examples"]]:
            iri = URIRef(self.u.base + str(path))
            described = next(self.ds.quads((iri, RDF.type, None, None)), None) is not None
            if not str(path).startswith("id/") or not described:
                raise BuildError(f"data/catalog.yaml: dataset.void.{key}: {path!r} is not a "
                                 "resource of this build")
            chosen.append(iri)
        return chosen[0], chosen[1:]


def read_headings(path: Path) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {str(k): str(v) for k, v in (data or {}).items()}


def vocabulary_files(settings: Settings) -> list[Path]:
    return [settings.ontology_dir / "vestlod.ttl",
            *sorted((settings.ontology_dir / "schemes").glob("*.ttl"))]


def input_digests(settings: Settings) -> dict[str, str]:
    """sha256 of every file the build reads, keyed by path relative to the project."""
    paths = [settings.source_path, settings.source_path.parent / "headings.yaml",
             *sorted(settings.annotations_dir.glob("*.yaml")), *vocabulary_files(settings)]
    def name(p: Path) -> str:  # relative to the project, whatever path the build was given
        for root, label in ((settings.data_dir, "data"), (settings.ontology_dir, "ontology")):
            if p.is_relative_to(root):
                return f"{label}/{p.relative_to(root).as_posix()}"
        return p.name

    return {name(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def build_dataset(doc: Document, ann: Annotations, settings: Settings,
                  catalog: Mapping[str, Any] | None = None) -> Dataset:
    """The whole dataset, four named graphs, no blank nodes.

    `catalog` is the content of data/catalog.yaml (the pipeline has read it already); without it
    the file is read here, so a caller that only wants the graph need not know about it.
    """
    if catalog is None:
        catalog = read_catalog_yaml(settings.catalog_path)
    inputs = input_digests(settings)
    combined = hashlib.sha256("".join(f"{k}{v}" for k, v in sorted(inputs.items())).encode())
    b = _Builder(doc, ann, settings, read_headings(settings.source_path.parent / "headings.yaml"),
                 hashlib.sha256(doc.raw.encode("utf-8")).hexdigest(), combined.hexdigest(),
                 catalog)
    b.vocabulary(vocabulary_files(settings))
    b.document_structure()
    b.actors()
    b.statements()
    b.figures()
    b.dates()
    b.classifications()
    b.relations()
    b.links()
    b.top_concepts()
    b.provenance(inputs)
    b.metadata()
    for prefix, ns in prefixes(DUMP_PREFIXES, settings.base_iri).items():
        b.ds.bind(prefix, ns, override=True)
    return b.ds
