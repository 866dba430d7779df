"""The one home of namespaces and prefixes.

Every vocabulary vestlod writes or reads is named here once, as an rdflib `Namespace`, and every
prefix table (Turtle output, the query UI, SHACL summaries, the catalog) is a selection from the
one `PREFIXES` table. A literal namespace string anywhere else is a bug: two spellings of one
namespace (``http`` vs ``https``, a missing ``#``) silently split the data.

Our own namespaces depend on the base IRI and are therefore functions (`vestlod_prefixes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "ADMS", "AUTHORITY", "CNT", "DCAT", "DCATAP", "DCTERMS", "DOCO", "FOAF", "IANA",
    "LICENCE_TYPE", "NACE", "NUTS", "OA", "ORG", "OWL", "PREFIXES", "PROV", "PUBLISHER_TYPE",
    "QB", "RDF", "RDFS", "ROV", "SCHEMA", "SD", "SDMX_ATT", "SDMX_DIM", "SDMX_MEA", "SH", "SKOS",
    "SPDX", "THEME", "VCARD", "VOID", "WDT", "WIKIDATA", "XSD", "prefixes", "vestlod_prefixes",
    "ROR", "DQV", "DCAT_DK", "EUROVOC",
]

OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
DOCO = Namespace("http://purl.org/spar/doco/")
CNT = Namespace("http://www.w3.org/2011/content#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATT = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_MEA = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
#: EU authority tables (languages, file types, licences, data themes, …)
AUTHORITY = Namespace("http://publications.europa.eu/resource/authority/")
THEME = Namespace(str(AUTHORITY) + "data-theme/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
NACE = Namespace("http://data.europa.eu/ux2/nace2/")
WIKIDATA = Namespace("http://www.wikidata.org/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
#: Research Organization Registry identifiers (links from actors)
ROR = Namespace("https://ror.org/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
#: the DCAT-AP-DK 2.0.2 extension vocabulary (Digitaliseringsstyrelsen)
DCAT_DK = Namespace("https://data.gov.dk/model/core/dcat-dk/")
#: EuroVoc, the EU's multilingual thesaurus (links from regions, areas, strength positions)
EUROVOC = Namespace("http://eurovoc.europa.eu/")

#: prefix → namespace, the one table; serialisers pick the prefixes they bind from it
PREFIXES: Mapping[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "oa": str(OA),
    "org": str(ORG),
    "qb": str(QB),
    "schema": str(SCHEMA),
    "doco": str(DOCO),
    "cnt": str(CNT),
    "void": str(VOID),
    "spdx": str(SPDX),
    "sd": str(SD),
    "sh": str(SH),
    "rov": str(ROV),
    "adms": str(ADMS),
    "dcatap": str(DCATAP),
    "vcard": str(VCARD),
    "sdmx-dimension": str(SDMX_DIM),
    "sdmx-attribute": str(SDMX_ATT),
    "sdmx-measure": str(SDMX_MEA),
    "wdt": str(WDT),
    "dqv": str(DQV),
    "dcat-dk": str(DCAT_DK),
}


def vestlod_prefixes(base_iri: str) -> dict[str, str]:
    """Our own prefixes for a base IRI: ``vl:`` ontology, ``vlid:`` things, ``vlg:`` graphs,
    ``vls:`` shapes."""
    return {
        "vl": f"{base_iri}def/vestlod#",
        "vlid": f"{base_iri}id/",
        "vlg": f"{base_iri}graph/",
        "vls": f"{base_iri}shapes/vestlod#",
    }


def prefixes(names: Iterable[str], base_iri: str | None = None) -> dict[str, str]:
    """The named prefixes, in the order given, from `PREFIXES` (and our own for ``base_iri``).

    A name not in the table is a `KeyError`: a new prefix is added to the table, not inline.
    """
    table = dict(PREFIXES)
    if base_iri is not None:
        table.update(vestlod_prefixes(base_iri))
    return {name: table[name] for name in names}
