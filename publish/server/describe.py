"""What a `/doc/…` description holds, as SPARQL, and the small index pages read it through.

A description is one CONSTRUCT per resource: its own triples, the triples of its ``#fragment``
nodes (selectors of an annotation), the labels of everything it links to, the inverse links
that matter (not the hundreds of ``oa:hasSource``/``prov:wasGeneratedBy`` back-links of the
annex and the build), and the evidence: each annotation whose body it is, with the sentence,
paragraph and sections around the quote, and the business area those sections are about.
Business areas also get their figures' values (for the chart); the annex gets its segments
and every annotated span (for the readable document).

The resource is bound with ``substitutions`` (``?this`` → a `NamedNode` built from an IRI that
`publish.uris` has validated); no request text is ever formatted into a query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from publish import vocab

# Plain strings of the namespaces in `publish.vocab` (pages and queries concatenate them with
# local names and compare them with the values pyoxigraph gives back, which are `str`).
RDF = str(vocab.RDF)
RDFS = str(vocab.RDFS)
SKOS = str(vocab.SKOS)
SCHEMA = str(vocab.SCHEMA)
DCTERMS = str(vocab.DCTERMS)
OA = str(vocab.OA)
OWL = str(vocab.OWL)
QB = str(vocab.QB)
SDMX_MEASURE = str(vocab.SDMX_MEA)
SDMX_ATTR = str(vocab.SDMX_ATT)
SDMX_DIM = str(vocab.SDMX_DIM)
CNT = str(vocab.CNT)
PROV = str(vocab.PROV)
DOCO = str(vocab.DOCO)
ROV = str(vocab.ROV)
ADMS = str(vocab.ADMS)

RDF_TYPE = RDF + "type"
LABELS = (SKOS + "prefLabel", RDFS + "label", DCTERMS + "title")

_PROLOGUE = "".join(
    f"PREFIX {name}: <{iri}>\n"
    for name, iri in vocab.prefixes((
        "rdf", "rdfs", "skos", "schema", "dcterms", "oa", "owl", "qb", "prov", "cnt",
        "sdmx-measure", "sdmx-attribute", "sdmx-dimension",
    )).items()
)

_LABEL_VALUES = "FILTER(?lp IN (skos:prefLabel, rdfs:label))"

#: the branches every resource gets; ``?this`` is substituted, ``?vl`` is the ontology IRI
_COMMON = f"""
  {{ ?this ?p ?o }}
  UNION {{ ?this ?p ?o . FILTER(isIRI(?o)) ?o ?lp ?ol {{by_s}} . {_LABEL_VALUES} }}
  UNION {{ ?this ?p ?o . ?p ?lp ?pl {{by_s}} . {_LABEL_VALUES} }}
  UNION {{ ?this ?p4 ?f . FILTER(isIRI(?f) && STRSTARTS(STR(?f), CONCAT(STR(?this), "#")))
           ?f ?fp ?fo }}
  UNION {{ ?this ?p5 ?g . FILTER(isIRI(?g) && STRSTARTS(STR(?g), CONCAT(STR(?this), "#")))
           ?g ?p6 ?f . FILTER(isIRI(?f) && STRSTARTS(STR(?f), CONCAT(STR(?this), "#")))
           ?f ?fp ?fo }}
  UNION {{ {{inverse}} FILTER(?ip NOT IN (oa:hasSource, prov:wasGeneratedBy)) }}
  UNION {{ {{inverse}} FILTER(?ip NOT IN (oa:hasSource, prov:wasGeneratedBy))
           ?x ?xp ?xo {{by_s}} . FILTER(?xp IN (skos:prefLabel, rdfs:label, rdf:type)) }}
  UNION {{ {{inverse}} ?x a qb:Observation ; ?xp ?xo {{by_s}} .
           FILTER(?xp IN (sdmx-measure:obsValue, sdmx-attribute:unitMeasure,
                          <{{vl}}expression>, <{{vl}}qualifier>, sdmx-dimension:refPeriod,
                          <{{vl}}lowerBound>, <{{vl}}upperBound>)) }}
  UNION {{ {{inverse}} ?x a qb:Observation ; sdmx-attribute:unitMeasure|<{{vl}}qualifier> ?u .
           ?u ?ulp ?ul {{by_s}} . FILTER(?ulp IN (skos:prefLabel, rdfs:label, skos:notation)) }}
  UNION {{ ?ann oa:hasBody ?this ; ?ap ?ao {{by_s}} .
           FILTER(?ap IN (oa:hasBody, oa:hasTarget, oa:motivatedBy)) }}
  UNION {{ ?ann oa:hasBody ?this ; oa:hasTarget ?t . ?t ?tp ?to {{by_s}} .
           FILTER(?tp IN (oa:hasSelector, dcterms:isPartOf)) }}
  UNION {{ ?ann oa:hasBody ?this ; oa:hasTarget/oa:hasSelector ?sel . ?sel ?sp ?so {{by_s_any}} }}
  UNION {{ ?ann oa:hasBody ?this ; oa:hasTarget/dcterms:isPartOf+ ?anc . ?anc ?ancp ?anco {{by_s}} .
           FILTER(?ancp IN (dcterms:isPartOf, rdf:value, rdfs:label, oa:hasSelector,
                            schema:position, rdf:type)) }}
  UNION {{ ?ann oa:hasBody ?this ; oa:hasTarget/dcterms:isPartOf+/oa:hasSelector ?asel .
           ?asel oa:start|oa:end ?apos . ?asel ?aselp ?apos }}
  UNION {{ ?ann oa:hasBody ?this ; oa:hasTarget/dcterms:isPartOf+ ?top .
           ?area schema:subjectOf ?top . ?area ?arp ?aro {{by_s}} .
           FILTER(?arp IN (skos:prefLabel, rdfs:label, rdf:type)) }}
"""

_COMMON_TEMPLATE = """
  ?this ?p ?o . ?o ?lp ?ol . ?p ?lp ?pl . ?f ?fp ?fo .
  ?x ?ip ?this . ?x ?xp ?xo . ?u ?ulp ?ul .
  ?ann ?ap ?ao . ?t ?tp ?to . ?sel ?sp ?so . ?anc ?ancp ?anco . ?asel ?aselp ?apos .
  ?area ?arp ?aro . ?area schema:subjectOf ?top .
"""

#: business areas: actors, and initiatives, programmes and plans, mentioned in the sections the
#: area is about (with their types); since issue #15 an initiative is an activity, not an actor
_AREA = """
  UNION { ?this schema:subjectOf ?top . ?seg dcterms:isPartOf+ ?top .
          ?mt dcterms:isPartOf ?seg . ?m oa:hasTarget ?mt ; oa:hasBody ?actor .
          ?actor a ?actorClass ; ?acp ?aco {by_s} .
          FILTER(?actorClass IN (<{vl}Actor>, prov:Activity, prov:Plan))
          FILTER(?acp IN (skos:prefLabel, rdfs:label, rdf:type)) }
"""

#: the annex: every segment with its text and position, every annotated span and its body
_DOCUMENT = """
  UNION { ?seg dcterms:isPartOf+ ?this ; ?segp ?sego {by_s} .
          FILTER(?segp IN (dcterms:isPartOf, rdf:value, rdfs:label, dcterms:title,
                           schema:position, rdf:type, oa:hasSelector)) }
  UNION { ?seg dcterms:isPartOf+ ?this ; oa:hasSelector ?segsel . ?segsel ?segselp ?segselo {by_s} .
          FILTER(?segselp IN (oa:start, oa:end)) }
  UNION { ?span oa:hasSource ?this ; ^oa:hasTarget ?m . ?m oa:hasBody ?body ; oa:hasTarget ?span .
          ?span oa:hasSelector ?spansel . ?spansel ?spanselp ?spanselo {by_s} .
          FILTER(?spanselp IN (oa:start, oa:end)) }
  UNION { ?span oa:hasSource ?this ; ^oa:hasTarget/oa:hasBody ?body .
          ?span oa:hasSelector ?spansel }
  UNION { ?span oa:hasSource ?this ; ^oa:hasTarget/oa:hasBody ?body . ?body ?bodyp ?bodyo {by_s} .
          FILTER(?bodyp IN (skos:prefLabel, rdfs:label, rdf:type)) }
"""

_EXTRA_TEMPLATE = {
    "area": "?actor ?acp ?aco .",
    "document": """?seg ?segp ?sego . ?segsel ?segselp ?segselo . ?m oa:hasBody ?body ;
      oa:hasTarget ?span . ?span oa:hasSource ?this .
      ?span oa:hasSelector ?spansel . ?spansel ?spanselp ?spanselo .
      ?body ?bodyp ?bodyo .""",
}
_EXTRA_WHERE = {"area": _AREA, "document": _DOCUMENT}


#: How each dialect writes the steps a store's planner may get wrong (the ``{…}`` markers in
#: the branches above). ``"sparql"`` is plain SPARQL 1.1 and leaves the plan to the engine.
#:
#: ``"virtuoso"`` (Virtuoso 7.2 behind `publish.query.remote`): pinned to one graph (our union
#: graph, sent as ``default-graph-uri``) its planner trusts a sample that puts a fraction of a
#: row behind the whole graph, and so answers ``?x ?ip <this>`` by walking every subject of the
#: graph (RDF_QUAD_GS) and ``?s ?p ?o`` with a known ``?s`` by scanning RDF_QUAD_POGS; a
#: description took 0.7 s at 1M triples against 25 ms unrestricted (measured, issue #19). So:
#:
#: * ``inverse``: the predicates that point at ``?this`` are first read from *any* graph (the
#:   OP index answers that alone; the store sends no ``named-graph-uri`` for this request, see
#:   `QueryRequest.named_graphs_unrestricted`), then each is looked up in our graph with
#:   predicate and object known (RDF_QUAD_POGS). The candidates only narrow the lookup: a link
#:   found in another graph but not in ours gives no row, so the answer is the same triples.
#: * ``by_s``: after a pattern whose subject is already bound and whose predicate a FILTER IN
#:   lists, the primary index (P, S, O, G) is used, one seek per listed predicate.
#: * ``by_s_any``: a bound subject with any predicate reads its predicates from the SP index.
#:
#: Table options are Virtuoso syntax, so the variant is only sent to a store that said it is
#: Virtuoso (`publish.query.remote.dialect_of`); tests/query/test_remote_store.py checks that both
#: give the embedded store's triples.
DIALECTS: dict[str, dict[str, str]] = {
    "sparql": {"inverse": "?x ?ip ?this .", "by_s": "", "by_s_any": ""},
    "virtuoso": {
        "inverse": "{ SELECT DISTINCT ?ip WHERE { GRAPH ?anyg { ?anyx ?ip ?this } } }\n"
                   '           ?x ?ip ?this OPTION (TABLE_OPTION "index RDF_QUAD_POGS") .',
        "by_s": 'OPTION (TABLE_OPTION "index RDF_QUAD")',
        "by_s_any": 'OPTION (TABLE_OPTION "index RDF_QUAD_SP")',
    },
}


def describe_query(kind: str, vocabulary_ns: str, dialect: str = "sparql") -> str:
    """The CONSTRUCT for one resource of ``kind`` (``?this`` left for substitution).

    ``vocabulary_ns`` (``…/def/vestlod#``) comes from settings, never from the request;
    ``dialect`` is a key of `DIALECTS`, chosen by the store (never by the request).
    """
    where = _COMMON + _EXTRA_WHERE.get(kind, "")
    template = _COMMON_TEMPLATE + _EXTRA_TEMPLATE.get(kind, "")
    for marker, text in DIALECTS[dialect].items():
        where = where.replace("{" + marker + "}", text)
    body = f"CONSTRUCT {{{template}}}\nWHERE {{{where}}}"
    return _PROLOGUE + body.replace("{vl}", vocabulary_ns)


#: the ontology document: every term in its namespace, the concept schemes, labels of targets
ONTOLOGY_QUERY = _PROLOGUE + f"""CONSTRUCT {{
  ?t ?p ?o . ?o ?lp ?ol . ?scheme ?sp ?so . ?c skos:inScheme ?scheme ; ?cp ?co .
}} WHERE {{
  {{ ?this a owl:Ontology . ?t ?p ?o .
     FILTER(?t = ?this || STRSTARTS(STR(?t), CONCAT(STR(?this), "#"))) }}
  UNION {{ ?this a owl:Ontology . ?t ?p ?o .
           FILTER(isIRI(?o) && STRSTARTS(STR(?t), CONCAT(STR(?this), "#")))
           ?o ?lp ?ol . {_LABEL_VALUES} }}
  UNION {{ ?scheme a skos:ConceptScheme ; ?sp ?so .
           FILTER(?sp IN (rdf:type, skos:prefLabel, rdfs:label, dcterms:title, skos:definition,
                          dcterms:description)) }}
  UNION {{ ?c skos:inScheme ?scheme ; ?cp ?co . FILTER(?cp IN (skos:prefLabel, rdf:type)) }}
}}"""

#: the home page: the dataset's own description and the business areas with their labels
HOME_QUERY = _PROLOGUE + """CONSTRUCT {
  ?this ?p ?o . ?area ?ap ?ao .
} WHERE {
  { ?this ?p ?o }
  UNION { ?area a ?businessArea ; ?ap ?ao .
          FILTER(?ap IN (skos:prefLabel, rdf:type)) }
}"""

Term = ox.NamedNode | ox.Literal | ox.BlankNode


def _key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode) else str(term)


@dataclass
class Description:
    """A set of triples about ``subject``, indexed both ways for templates.

    Built from the triples of a CONSTRUCT answer; pages read it through `objects`, `subjects`
    and `label` and never see the store.
    """

    subject: str
    triples: list[ox.Triple]
    _out: dict[str, dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)), repr=False
    )
    _in: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)), repr=False
    )

    def __post_init__(self) -> None:
        for t in self.triples:
            obj = t.object
            if isinstance(obj, ox.Triple):
                continue  # a quoted triple (RDF-star): our data has none, no page can show one
            s = _key(t.subject)
            self._out[s][t.predicate.value].append(obj)
            if isinstance(obj, ox.NamedNode):
                self._in[obj.value][t.predicate.value].append(s)

    @classmethod
    def parse(cls, subject: str, ntriples: bytes) -> Description:
        triples = [t.triple for t in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
        return cls(subject, triples)

    def __len__(self) -> int:
        return len(self.triples)

    def has_subject(self, iri: str) -> bool:
        return iri in self._out

    def predicates(self, s: str) -> Iterator[tuple[str, list[Term]]]:
        yield from self._out.get(s, {}).items()

    def inverse(self, o: str) -> Iterator[tuple[str, list[str]]]:
        yield from self._in.get(o, {}).items()

    def objects(self, s: str, p: str) -> list[ox.NamedNode | ox.Literal | ox.BlankNode]:
        return self._out.get(s, {}).get(p, [])

    def iris(self, s: str, p: str) -> list[str]:
        return [o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode)]

    def first(self, s: str, p: str) -> str | None:
        values = self.objects(s, p)
        return values[0].value if values else None

    def subjects(self, p: str, o: str) -> list[str]:
        return sorted(set(self._in.get(o, {}).get(p, [])))

    def types(self, s: str) -> set[str]:
        return set(self.iris(s, RDF_TYPE))

    def literal(self, s: str, p: str, lang: str) -> str | None:
        """The value in ``lang``, else one without a language, else any."""
        values = [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]
        for want in (lang, None, "en", "da"):
            for v in values:
                if (v.language or None) == want:
                    return v.value
        return values[0].value if values else None

    def label(self, s: str, lang: str, props: Iterable[str] = LABELS) -> str | None:
        for p in props:
            found = self.literal(s, p, lang)
            if found:
                return found
        return None

    def label_language(self, s: str, lang: str, props: Iterable[str] = LABELS) -> str | None:
        """The language of the label `label` picks, when it is not ``lang`` (EuroVoc concepts
        have English labels only: a Danish page marks them ``lang="en"``)."""
        for p in props:
            values = [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]
            if any((v.language or None) == lang for v in values):
                return None
            for want in (None, "en", "da"):
                if any((v.language or None) == want for v in values):
                    return want
            if values:
                return values[0].language or None
        return None
