"""The query UI: YASGUI served from our own static files, prefilled with prefixes and examples.

The bundle comes from npm (`@zazuko/yasgui`, pinned in package-lock.json) and is installed by
``make setup`` into ``node_modules/`` rather than committed (it is ~1 MB of minified code). When
it is missing, the page says so plainly and still offers a plain form that runs queries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from publish import vocab
from publish.config import Settings
from publish.query.store import prefixes_for

HERE = Path(__file__).parent
UI_STATIC = HERE / "static"
UI_TEMPLATES = HERE / "templates"

def _declare(name: str) -> str:
    """A PREFIX line for a namespace the UI's prologue (`prefixes_for`) does not declare."""
    return f"PREFIX {name}: <{vocab.PREFIXES[name]}>"


# Real questions about the annex. The vocabulary is the one in ontology/vestlod.ttl.
EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "Strength positions per business area",
        """SELECT ?area ?areaLabel (COUNT(DISTINCT ?position) AS ?positions)
WHERE {
  ?position a vl:StrengthPosition ;
            vl:businessArea ?area .
  OPTIONAL { ?area skos:prefLabel ?areaLabel FILTER(lang(?areaLabel) = "da") }
}
GROUP BY ?area ?areaLabel
ORDER BY DESC(?positions)""",
    ),
    (
        "The largest figures in the annex",
        _declare("sdmx-measure") + """
SELECT ?figure ?value ?expression ?indicator
WHERE {
  ?figure a qb:Observation ;
          sdmx-measure:obsValue ?value ;
          vl:expression ?expression .
  OPTIONAL { ?figure vl:indicator ?indicator }
}
ORDER BY DESC(?value)
LIMIT 20""",
    ),
    (
        "Actors named in each business area",
        _declare("doco") + """
SELECT ?area ?areaLabel (COUNT(DISTINCT ?actor) AS ?actors)
WHERE {
  ?mention oa:hasBody ?actor ; oa:hasTarget/dcterms:isPartOf ?sentence .
  ?actor a vl:Actor .
  ?sentence dcterms:isPartOf+ ?chapter .
  ?chapter a doco:Chapter .
  ?area schema:subjectOf ?chapter ; skos:prefLabel ?areaLabel .
  FILTER(lang(?areaLabel) = "en")
}
GROUP BY ?area ?areaLabel
ORDER BY DESC(?actors)""",
    ),
    (
        "The sentence behind each figure",
        """SELECT ?figure ?expression ?sentence ?start ?end
WHERE {
  ?figure a qb:Observation ;
          vl:expression ?expression ;
          prov:wasDerivedFrom ?target .
  ?target oa:hasSelector [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] ;
          dcterms:isPartOf/rdf:value ?sentence .
}
ORDER BY ?start""",
    ),
    (
        "What the annex says about one organisation (Welfare Tech)",
        """SELECT ?relation ?label ?quote
WHERE {
  ?relation a rdf:Statement ;
            (rdf:subject|rdf:object) ?org ;
            skos:prefLabel ?label ;
            prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote .
  ?org skos:prefLabel "Welfare Tech"@da .
  FILTER(lang(?label) = "en")
}""",
    ),
    (
        # issue #16: the keys Eurostat's regional datasets use (geo = NUTS 2, nace_r2 = NACE)
        "Strength positions by NACE code and NUTS 2 region, with the Eurostat datasets to join",
        """SELECT ?position ?positionLabel ?naceCode ?nutsCode
       (GROUP_CONCAT(DISTINCT ?dataset; separator=" ") AS ?eurostatDatasets)
WHERE {
  ?position a vl:StrengthPosition ;
            skos:prefLabel ?positionLabel ;
            skos:exactMatch|skos:closeMatch|skos:relatedMatch|skos:broadMatch ?nace .
  ?nace skos:notation ?naceCode .
  FILTER(STRSTARTS(STR(?nace), "http://data.europa.eu/ux2/nace2/"))
  FILTER(lang(?positionLabel) = "en")
  # the annex's regions: their NUTS 2 code and the Eurostat datasets that report on it
  ?region dcterms:spatial ?nuts ;
          dcterms:relation ?eurostat .
  ?nuts skos:notation ?nutsCode .
  FILTER(STRSTARTS(STR(?nuts), "http://data.europa.eu/nuts/code/"))
  ?eurostat a dcat:Dataset ; dcterms:identifier ?dataset .
}
GROUP BY ?position ?positionLabel ?naceCode ?nutsCode
ORDER BY ?positionLabel ?naceCode ?nutsCode""",
    ),
    (
        "Clusters named in the annex and the national clusters that carry them today",
        """SELECT DISTINCT ?successorLabel ?year ?clusterLabel ?areaLabel ?event
WHERE {
  ?cluster dcterms:isReplacedBy ?successor ;
           org:changedBy ?event ;
           skos:prefLabel ?clusterLabel .
  FILTER(lang(?clusterLabel) = "en")
  ?successor a org:OrganizationalCollaboration ;   # clusters, not the renamed ministry
             skos:prefLabel ?successorLabel .
  FILTER(lang(?successorLabel) = "en")
  ?event dcterms:date ?year .   # and dcterms:source: the pages that report the change
  OPTIONAL {
    ?cluster prov:wasDerivedFrom/dcterms:isPartOf+ ?chapter .
    ?area schema:subjectOf ?chapter ; skos:prefLabel ?areaLabel .
    FILTER(lang(?areaLabel) = "en")
  }
}
ORDER BY ?successorLabel ?clusterLabel ?areaLabel""",
    ),
    (
        "Named graphs and their size",
        """SELECT ?graph (COUNT(*) AS ?triples)
WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph
ORDER BY ?graph""",
    ),
    (
        "Find anything by label",
        """SELECT ?thing ?label
WHERE {
  ?thing skos:prefLabel ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "vind"))
}
LIMIT 50""",
    ),
)


def make_ui_renderer(settings: Settings, assets: Path) -> Callable[[Request], str]:
    """Return ``render(request) -> html``; the Jinja environment belongs to this app only."""
    env = Environment(
        loader=FileSystemLoader(UI_TEMPLATES), autoescape=select_autoescape(["html"])
    )
    template = env.get_template("sparql.html")
    prefixes = prefixes_for(settings.base_iri)
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    examples = [{"title": t, "query": prologue + "\n" + q} for t, q in EXAMPLES]
    config = {"endpoint": "/sparql", "prefixes": prefixes, "examples": examples}
    have_bundle = (assets / "yasgui.min.js").is_file()

    def render(request: Request) -> str:
        return template.render(
            have_bundle=have_bundle,
            assets=str(assets),
            # "<" escaped so no value can close the <script> element it is embedded in.
            config_json=json.dumps(config).replace("<", "\\u003c"),
            examples=examples,
            first_query=examples[0]["query"],
            # the server the reader is on, not the base IRI (which may not resolve yet)
            endpoint=str(request.base_url) + "sparql",
        )

    return render
