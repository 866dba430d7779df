"""The DCAT-AP 3.0.1 catalog that national data portals harvest (`dist/catalog.ttl`).

CKAN-based portals (opendata.dk, and data.europa.eu through them) find datasets only by harvesting
DCAT-AP, so this graph is what makes the publication visible. It is built from three inputs, all
passed in (the module is pure, like `graph`): the curated `data/catalog.yaml`, the real byte sizes
and sha256 digests of the dumps that are published in the same atomic step, and counts of the
dataset. Nothing reads the clock: dates come from the YAML, so builds stay byte-identical.

What it says:

* one `dcat:Catalog`; the whole dataset (`{base}id/dataset/vestlod`, the same IRI as the VoID
  description in the metadata graph) and one `dcat:Dataset` per business area, linked with
  `dct:isPartOf`/`dct:hasPart` (DCAT-AP 3 has no part-whole property of its own for datasets, and a
  `dcat:DatasetSeries` would claim the areas are releases of one thing, which they are not);
* one `dcat:Distribution` per dump, with IANA media type, EU file type, byte size, sha256, licence
  and download URL `{base}dumps/{file}`; each dataset also gets a distribution through the SPARQL
  endpoint, which is described as a `dcat:DataService`;
* the agents: the cooperation of the three regions as the one `dct:publisher` DCAT-AP allows, each
  region a `dct:creator`; all `foaf:Agent` with Danish and English names and an ADMS type.

The objects that come from EU authority tables are typed here (`dct:LinguisticSystem`,
`dct:MediaTypeOrExtent`, …) because DCAT-AP's range shapes check classes and the tables do not
carry those types; membership of the tables (`skos:inScheme`) is deliberately *not* asserted
here, so the controlled-vocabulary check stays a real check against the official files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef

from publish import __version__
from publish.config import Settings
from publish.errors import BuildError
from publish.formats import Format, by_suffix
from publish.layout import TABLES, TABLES_METADATA, table_file
from publish.profiles import DCAT_AP_3, DCAT_AP_DK, Profile
from publish.uris import Uris
from publish.vocab import (
    AUTHORITY,
    DCAT,
    DCAT_DK,
    DCTERMS,
    EUROVOC,
    FOAF,
    IANA,
    LICENCE_TYPE,
    NUTS,
    OWL,
    PUBLISHER_TYPE,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    VCARD,
    VOID,
    XSD,
    prefixes,
)

#: format key of `publish.formats` → code in the EU file-type authority table
FILE_TYPES: dict[str, str] = {
    "turtle": "RDF_TURTLE", "ntriples": "RDF_N_TRIPLES", "jsonld": "JSON_LD",
    "rdfxml": "RDF_XML", "trig": "RDF_TRIG", "nquads": "RDF_N_QUADS", "csv": "CSV",
}
#: compression suffix → IANA media type of the compression (dcat:compressFormat)
COMPRESSIONS: dict[str, str] = {".gz": "application/gzip"}
#: file type of a distribution that is access through the SPARQL endpoint (query results)
SPARQL_FILE_TYPE = "SPARQLQRES"

#: the prefixes catalog.ttl may use (each one is written only where the catalog uses it)
CATALOG_PREFIXES = ("dcat", "dcterms", "foaf", "rdfs", "skos", "xsd", "adms", "dcatap", "spdx",
                    "vcard", "void", "owl", "rdf", "dqv", "dcat-dk", "vl")

#: SHA-256 as the DCAT-AP 3.0.1 shapes accept it: their ChecksumAlgorithmRestriction requires
#: `^https://spdx.org/rdf/terms`, while SPDX's own term is `http://…#checksumAlgorithm_sha256`
#: (stated as owl:sameAs). The EU validators use those shapes, so the https form is what passes.
SHA256_ALGORITHM = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")

#: SHA-1, the one algorithm DCAT-AP 2.x and DCAT-AP-DK 2.0.2 accept (`sh:hasValue`)
SHA1_ALGORITHM = URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha1")

#: DCAT 3 term that rdflib's DCAT namespace (DCAT 2) lacks
DCAT_VERSION = URIRef(str(DCAT) + "version")
#: schema.org's maintainer as DCAT-AP-DK 2.0.2 spells it (http, not the https of `vocab.SCHEMA`)
DK_MAINTAINER = URIRef("http://schema.org/maintainer")

#: the file with one business area's part of the data (a download subset of the area's dataset)
AREA_FILE = "vestlod-{slug}.ttl"

#: dump or subset file name -> (byte size, sha256 hex, sha1 hex) of the published bytes
Distributions = Mapping[str, tuple[int, str, str]]


def authority(table: str, code: str) -> URIRef:
    """An IRI of an EU authority table (Publications Office NAL), e.g. language/DAN."""
    return URIRef(f"{AUTHORITY}{table}/{code}")


def dump_format(name: str) -> tuple[Format, str | None]:
    """`vestlod.nt.gz` → (N-Triples, "application/gzip"): the format table decides, not us."""
    compression = next((c for c in COMPRESSIONS if name.endswith(c)), None)
    stem = name.removesuffix(compression) if compression else name
    fmt = by_suffix("." + stem.rsplit(".", 1)[-1]) if "." in stem else None
    if fmt is None or fmt.key not in FILE_TYPES:
        raise BuildError(f"catalog: no DCAT format known for the dump {name!r}")
    return fmt, COMPRESSIONS[compression] if compression else None


@cache
def eurovoc_labels(data_dir: Path) -> Graph:
    """The shipped EuroVoc subset (labels of the catalog's subjects), read once per folder."""
    g = Graph()
    path = data_dir / "vocabularies" / "eurovoc-subset.ttl"
    if path.is_file():
        g.parse(path, format="turtle")
    return g


class _Catalog:
    """Builds the graph; one method per DCAT-AP class, in the order a reader meets them."""

    def __init__(self, settings: Settings, data: Mapping[str, Any],
                 profile: Profile = DCAT_AP_3) -> None:
        self.s = settings
        self.p = profile
        self.d = data
        self.u = Uris(settings.base_iri)
        self.g = Graph()
        for prefix, ns in prefixes(CATALOG_PREFIXES, settings.base_iri).items():
            self.g.bind(prefix, ns)
        self.issued = self.date("issued")
        self.modified = self.date("modified")
        if self.modified < self.issued:
            raise BuildError("data/catalog.yaml: modified is before issued")
        self.licence = URIRef(settings.license)
        self.publisher = self.iri(data["publisher"]["iri"])
        self.contact = self.iri(data["contact_point"]["iri"])
        self.service = self.iri(data["service"]["iri"])
        self.catalog = self.iri(data["catalog"]["iri"])
        self.regions: list[URIRef] = []
        self.period: URIRef | None = None

    # ----------------------------------------------------------------- helpers

    def iri(self, ref: str) -> URIRef:
        """A YAML reference: absolute IRIs stay, others are relative to the base IRI."""
        return URIRef(ref if "://" in ref else self.s.base_iri + ref)

    def date(self, key: str) -> dt.date:
        value = self.d.get(key)
        if not isinstance(value, dt.date):
            raise BuildError(f"data/catalog.yaml: {key} must be a date (YYYY-MM-DD), not {value!r}")
        return value

    def add(self, s: URIRef, p: URIRef, *objects: URIRef | Literal) -> None:
        for o in objects:
            self.g.add((s, p, o))

    def texts(self, s: URIRef, p: URIRef, texts: Mapping[str, str], **fmt: str) -> None:
        """Danish and English (the catalog's two languages) of one property; both required."""
        for lang in ("da", "en"):
            if not texts.get(lang):
                raise BuildError(f"data/catalog.yaml: no {lang} text for {p} of <{s}>")
            self.g.add((s, p, Literal(str(texts[lang]).format(**fmt), lang=lang)))

    def keywords(self, s: URIRef, words: Mapping[str, Iterable[str]]) -> None:
        for lang in ("da", "en"):
            for word in words.get(lang, ()):
                self.g.add((s, DCAT.keyword, Literal(str(word), lang=lang)))

    def typed(self, iri: URIRef, cls: URIRef) -> URIRef:
        self.g.add((iri, RDF.type, cls))
        return iri

    def dates(self, s: URIRef) -> None:
        self.add(s, DCTERMS.issued, Literal(self.issued.isoformat(), datatype=XSD.date))
        self.add(s, DCTERMS.modified, Literal(self.modified.isoformat(), datatype=XSD.date))

    def languages(self, s: URIRef) -> None:
        for code in self.d["languages"]:
            self.add(s, DCTERMS.language,
                     self.typed(authority("language", code), DCTERMS.LinguisticSystem))

    def themes(self, s: URIRef, codes: Iterable[str]) -> None:
        for code in codes:
            self.add(s, DCAT.theme, authority("data-theme", code))

    def spatial(self, s: URIRef) -> None:
        for code in self.d["spatial"]["nuts"]:
            self.add(s, DCTERMS.spatial, self.typed(NUTS[code], DCTERMS.Location))
        for code in self.d["spatial"]["countries"]:
            self.add(s, DCTERMS.spatial, self.typed(authority("country", code), DCTERMS.Location))

    def standard(self, key: str) -> URIRef:
        spec = self.d["standards"][key]
        iri = self.typed(self.iri(spec["iri"]), DCTERMS.Standard)
        self.texts(iri, DCTERMS.title, spec["title"])
        return iri

    def rights(self, s: URIRef) -> None:
        code = self.d["access_rights"]
        self.add(s, DCTERMS.accessRights,
                 self.typed(authority("access-right", code), DCTERMS.RightsStatement))

    # ----------------------------------------------------------------- parts

    def agents(self) -> list[URIRef]:
        """The publisher (the cooperation) and the three regions; returns the regions."""
        pub = self.d["publisher"]
        self.agent(self.publisher, pub["name"], pub["type"])
        regions = []
        for key in pub["members"]:
            spec = self.d["agents"][key]
            region = self.iri(spec["iri"])
            self.agent(region, spec["name"], spec["type"])
            self.add(self.publisher, FOAF.member, region)
            if spec.get("homepage"):
                self.add(region, FOAF.homepage, self.typed(URIRef(spec["homepage"]),
                                                           FOAF.Document))
            if spec.get("spatial"):
                self.add(region, DCTERMS.spatial, NUTS[spec["spatial"]])
            regions.append(region)
        return regions

    def agent(self, iri: URIRef, name: Mapping[str, str], kind: str) -> None:
        self.typed(iri, FOAF.Agent)
        self.typed(iri, FOAF.Organization)
        self.texts(iri, FOAF.name, name)
        self.add(iri, DCTERMS.type, PUBLISHER_TYPE[kind])

    def contact_point(self) -> None:
        spec = self.d["contact_point"]
        c = self.contact
        self.typed(c, VCARD.Kind)
        self.typed(c, VCARD.Organization)
        self.texts(c, VCARD.fn, spec["name"])
        self.add(c, VCARD.hasURL, self.iri(spec.get("url") or self.s.base_iri))
        if spec.get("email"):
            self.add(c, VCARD.hasEmail, URIRef("mailto:" + str(spec["email"])))

    def licence_document(self) -> None:
        spec = self.d.get("licences", {}).get(str(self.licence))
        lic = self.typed(self.licence, DCTERMS.LicenseDocument)
        if spec is None:
            raise BuildError(f"data/catalog.yaml: the licence <{self.licence}> (setting "
                             "`license`) is not described under `licences:`")
        self.texts(lic, RDFS.label, spec["label"])
        self.texts(lic, DCTERMS.title, spec["label"])  # CKAN matches licences by IRI or dct:title
        self.add(lic, DCTERMS.type, LICENCE_TYPE[spec["type"]])
        if spec.get("same_as"):
            self.add(lic, SKOS.exactMatch, URIRef(spec["same_as"]))

    def eurovoc(self, s: URIRef, ids: Iterable[str]) -> None:
        """EuroVoc subjects (DCAT-AP recommends dct:subject from EuroVoc), as skos:Concepts
        with the English label of the shipped subset (DCAT-AP wants a concept's prefLabel)."""
        for ident in ids:
            concept = self.typed(EUROVOC[str(ident)], SKOS.Concept)
            labels = [o for o in eurovoc_labels(self.s.data_dir).objects(concept, SKOS.prefLabel)
                      if isinstance(o, Literal) and o.language == "en"]
            if not labels:
                raise BuildError(f"data/catalog.yaml: EuroVoc {ident} is not in "
                                 "data/vocabularies/eurovoc-subset.ttl")
            self.add(s, DCTERMS.subject, concept)
            self.add(concept, SKOS.prefLabel, *labels)

    def common(self, s: URIRef, themes: Iterable[str]) -> None:
        """What every dataset says: publisher, contact, coverage, languages, dates, rights."""
        self.add(s, DCTERMS.publisher, self.publisher)
        self.add(s, DCAT.contactPoint, self.contact)
        self.themes(s, themes)
        self.spatial(s)
        if self.period is not None:
            self.add(s, DCTERMS.temporal, self.period)
        self.languages(s)
        self.dates(s)
        self.rights(s)
        self.add(s, DCTERMS.accrualPeriodicity,
                 self.typed(authority("frequency", self.d["accrual_periodicity"]),
                            DCTERMS.Frequency))
        # the version: DCAT 3's dcat:version, DCAT-AP 2's owl:versionInfo
        self.add(s, OWL.versionInfo if self.p.dcat_ap_2 else DCAT_VERSION, Literal(__version__))
        self.add(s, DCTERMS.identifier, Literal(str(s)))
        self.add(s, DCTERMS.conformsTo, self.standard("ontology"))
        if self.p == DCAT_AP_DK:
            # one dct:creator in DK: the cooperation; the regions are its DK contributors
            self.add(s, DCTERMS.creator, self.publisher)
            for region in self.regions:
                self.add(s, DCTERMS.contributor, region)
            self.add(s, DK_MAINTAINER, self.publisher)
            self.add(s, DCAT_DK.paymentImposedContents, Literal(False))
        else:
            for region in self.regions:
                self.add(s, DCTERMS.creator, region)

    def temporal(self) -> URIRef:
        t = self.d["temporal"]
        start, end = t["start"], t["end"]
        if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
            raise BuildError("data/catalog.yaml: temporal needs start <= end, both dates")
        period = self.typed(self.u.id("period", f"{start.isoformat()}-{end.isoformat()}"),
                            DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date))
        self.add(period, DCAT.endDate, Literal(end.isoformat(), datatype=XSD.date))
        return period

    def whole(self, distributions: Distributions, counts: Mapping[str, int]) -> URIRef:
        spec = self.d["dataset"]
        ds = self.typed(self.iri(spec["iri"]), DCAT.Dataset)
        self.typed(ds, VOID.Dataset)
        self.texts(ds, DCTERMS.title, spec["title"])
        self.texts(ds, DCTERMS.description, spec["description"])
        self.keywords(ds, spec["keywords"])
        self.common(ds, spec["themes"])
        self.eurovoc(ds, spec.get("eurovoc", ()))
        self.add(ds, DCAT.landingPage, self.typed(URIRef(self.s.base_iri), FOAF.Document))
        self.add(ds, VOID.sparqlEndpoint, URIRef(self.s.sparql_endpoint))
        for key, prop in (("triples", VOID.triples), ("entities", VOID.entities)):
            if key in counts:
                self.add(ds, prop, Literal(int(counts[key]), datatype=XSD.integer))
        subsets = {AREA_FILE.format(slug=slug) for slug in self.d["areas"]}
        tables = [table_file(name) for name in TABLES]
        dumps = {n: v for n, v in distributions.items()
                 if n not in subsets and n not in tables and n != TABLES_METADATA}
        if not dumps:
            raise BuildError("catalog: no dumps to describe")
        for name, stats in sorted(dumps.items()):
            dist = self.dump(name, stats, self.d["distribution"])
            self.add(ds, DCAT.distribution, dist)
            self.add(ds, VOID.dataDump, URIRef(self.download_url(name)))
        for table in TABLES:
            if table_file(table) in distributions:
                self.add(ds, DCAT.distribution, self.table(table, distributions))
        self.add(ds, DCAT.distribution, self.sparql_distribution("vestlod"))
        return ds

    def table(self, name: str, distributions: Distributions) -> URIRef:
        """One CSV table for portals (`publish.build.tables`): a download like a dump, in IANA
        ``text/csv`` and the EU file type CSV, conforming to the W3C tabular data model, with
        its CSV on the Web metadata (the table group of all tables) as its documentation."""
        from publish.build.tables import DESCRIPTIONS, TITLES

        if TABLES_METADATA not in distributions:
            raise BuildError(f"catalog: the tables are published without {TABLES_METADATA}")
        wording = self.d["table_distribution"]
        words = {key: {lang: str(text).replace("{table}", TITLES[name][lang]).replace(
                     "{about}", DESCRIPTIONS[name][lang]) for lang, text in wording[key].items()}
                 for key in ("title", "description")}
        file = table_file(name)
        dist = self.dump(file, distributions[file], words, standard="csvw")
        metadata = self.typed(URIRef(self.download_url(TABLES_METADATA)), FOAF.Document)
        self.add(dist, FOAF.page, metadata)
        return dist

    def download_url(self, name: str) -> str:
        return f"{self.s.base_iri}dumps/{name}"

    def dump(self, name: str, stats: tuple[int, str, str], spec: Mapping[str, Any],
             standard: str = "ontology") -> URIRef:
        """A downloadable file: a dump of the whole dataset or an area's subset (`spec` words
        it). Size and checksum as the profile wants them: DCAT-AP 3 a nonNegativeInteger and
        SHA-256, the DCAT-AP 2 based profiles a decimal and SHA-1."""
        size, digest, sha1 = stats
        fmt, compression = dump_format(name)
        for algo, value, length in (("sha256", digest, 64), ("sha1", sha1, 40)):
            if len(value) != length or any(c not in "0123456789abcdef" for c in value):
                raise BuildError(f"catalog: {name}: not a {algo} hex digest: {value!r}")
        slug = name.replace(".", "-")
        dist = self.typed(self.u.id("distribution", slug), DCAT.Distribution)
        self.texts(dist, DCTERMS.title, spec["title"], label=fmt.label)
        key = "description_trig" if fmt.key == "trig" else "description"
        self.texts(dist, DCTERMS.description, spec[key], label=fmt.label)
        url = URIRef(self.download_url(name))
        self.add(dist, DCAT.downloadURL, url)
        self.add(dist, DCAT.accessURL, url)  # no landing page per file: DCAT-AP says repeat it
        self.add(dist, DCAT.mediaType, self.typed(URIRef(IANA + fmt.media_type),
                                                  DCTERMS.MediaType))
        if compression:
            self.add(dist, DCAT.compressFormat, self.typed(URIRef(IANA + compression),
                                                           DCTERMS.MediaType))
        self.add(dist, DCTERMS.format, self.typed(authority("file-type", FILE_TYPES[fmt.key]),
                                                 DCTERMS.MediaTypeOrExtent))
        if self.p.dcat_ap_2:
            self.add(dist, DCAT.byteSize, Literal(str(int(size)), datatype=XSD.decimal))
            checksum = self.typed(self.u.id("distribution", slug, "sha1"), SPDX.Checksum)
            self.add(checksum, SPDX.algorithm, self.typed(SHA1_ALGORITHM, SPDX.ChecksumAlgorithm))
            self.add(checksum, SPDX.checksumValue, Literal(sha1, datatype=XSD.hexBinary))
        else:
            self.add(dist, DCAT.byteSize, Literal(int(size), datatype=XSD.nonNegativeInteger))
            checksum = self.typed(self.u.id("distribution", slug, "sha256"), SPDX.Checksum)
            algorithm = self.typed(SHA256_ALGORITHM, SPDX.ChecksumAlgorithm)
            self.add(checksum, SPDX.algorithm, algorithm)
            self.add(algorithm, OWL.sameAs, SPDX.checksumAlgorithm_sha256)
            self.add(checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary))
        self.add(dist, SPDX.checksum, checksum)
        self.distribution_common(dist, standard)
        return dist

    def rights_statement(self) -> URIRef:
        """The one dct:rights statement of every distribution (what the licence asks of a
        re-user), a dct:RightsStatement with Danish and English text."""
        spec = self.d["rights"]
        iri = self.typed(self.iri(spec["iri"]), DCTERMS.RightsStatement)
        self.texts(iri, RDFS.label, spec["label"])
        return iri

    def distribution_common(self, dist: URIRef, standard: str = "ontology") -> None:
        """What every distribution says; it conforms to `standard` (a key of ``standards:``):
        the ontology for RDF, the tabular data model for the CSV tables."""
        self.add(dist, DCTERMS.license, self.licence)
        self.add(dist, DCTERMS.rights, self.rights_statement())
        self.languages(dist)
        self.dates(dist)
        self.add(dist, DCTERMS.conformsTo, self.standard(standard))

    def sparql_distribution(self, slug: str) -> URIRef:
        """Access to a dataset through the SPARQL endpoint (DCAT-AP links a dataset to a data
        service through a distribution's dcat:accessService)."""
        spec = self.d["distribution"]
        dist = self.typed(self.u.id("distribution", f"{slug}-sparql"), DCAT.Distribution)
        self.texts(dist, DCTERMS.title, spec["sparql_title"])
        self.texts(dist, DCTERMS.description, spec["sparql_description"])
        self.add(dist, DCAT.accessURL, URIRef(self.s.sparql_endpoint))
        self.add(dist, DCAT.accessService, self.service)
        self.add(dist, DCTERMS.format, self.typed(authority("file-type", SPARQL_FILE_TYPE),
                                                 DCTERMS.MediaTypeOrExtent))
        self.distribution_common(dist)
        return dist

    def area(self, slug: str, spec: Mapping[str, Any], whole: URIRef,
             distributions: Distributions) -> URIRef:
        ds = self.typed(self.u.id("dataset", slug), DCAT.Dataset)
        self.texts(ds, DCTERMS.title, spec["title"])
        self.texts(ds, DCTERMS.description, spec["description"])
        self.keywords(ds, spec["keywords"])
        self.common(ds, spec["themes"])
        self.eurovoc(ds, spec.get("eurovoc", ()))
        self.add(ds, DCTERMS.isPartOf, whole)
        self.add(whole, DCTERMS.hasPart, ds)
        self.add(ds, DCTERMS.subject, self.u.id("area", slug))
        self.add(ds, DCAT.landingPage, self.typed(URIRef(f"{self.s.base_iri}doc/area/{slug}"),
                                                  FOAF.Document))
        name = AREA_FILE.format(slug=slug)
        if name in distributions:
            wording = self.d["area_distribution"]
            words = {key: {lang: str(text).replace("{area}", spec["title"][lang])
                           for lang, text in wording[key].items()}
                     for key in ("title", "description")}
            self.add(ds, DCAT.distribution, self.dump(name, distributions[name], words))
        self.add(ds, DCAT.distribution, self.sparql_distribution(slug))
        return ds

    def data_service(self, datasets: Iterable[URIRef]) -> None:
        spec = self.d["service"]
        svc = self.typed(self.service, DCAT.DataService)
        self.texts(svc, DCTERMS.title, spec["title"])
        self.texts(svc, DCTERMS.description, spec["description"])
        self.keywords(svc, spec["keywords"])
        self.themes(svc, spec["themes"])
        endpoint = URIRef(self.s.sparql_endpoint)
        self.add(svc, DCAT.endpointURL, endpoint)
        # GET /sparql without a query answers with the SPARQL service description
        self.add(svc, DCAT.endpointDescription, endpoint)
        self.add(svc, DCTERMS.conformsTo, self.standard("sparql"))
        self.add(svc, DCTERMS.publisher, self.publisher)
        self.add(svc, DCAT.contactPoint, self.contact)
        self.add(svc, DCTERMS.license, self.licence)
        self.rights(svc)
        self.languages(svc)
        for ds in datasets:
            self.add(svc, DCAT.servesDataset, ds)

    def build(self, distributions: Distributions, counts: Mapping[str, int]) -> Graph:
        self.regions = self.agents()
        self.contact_point()
        self.licence_document()
        self.period = self.temporal()
        whole = self.whole(distributions, counts)
        datasets = [whole] + [self.area(slug, spec, whole, distributions)
                              for slug, spec in sorted(self.d["areas"].items())]
        self.data_service(datasets)

        spec = self.d["catalog"]
        c = self.typed(self.catalog, DCAT.Catalog)
        self.texts(c, DCTERMS.title, spec["title"])
        self.texts(c, DCTERMS.description, spec["description"])
        self.add(c, DCTERMS.publisher, self.publisher)
        self.add(c, FOAF.homepage, self.typed(self.iri(spec.get("homepage") or self.s.base_iri),
                                              FOAF.Document))
        self.add(c, DCAT.contactPoint, self.contact)
        self.add(c, DCTERMS.license, self.licence)
        self.languages(c)
        self.dates(c)
        self.spatial(c)
        self.add(c, DCAT.themeTaxonomy, URIRef(AUTHORITY + "data-theme"))
        self.add(c, DCTERMS.conformsTo, self.standard(self.p.token))
        for ds in datasets:
            self.add(c, DCAT.dataset, ds)
        self.add(c, DCAT.service, self.service)
        return self.g


def read_catalog_yaml(path: Path) -> dict[str, Any]:
    """`data/catalog.yaml`: read before anything is written, so a broken file stops the build."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise BuildError(f"{path}: expected a mapping at the top level")
    return data


def build_catalog(
    settings: Settings,
    catalog_yaml_data: Mapping[str, Any],
    distributions: Distributions,
    counts: Mapping[str, int],
    profile: Profile = DCAT_AP_3,
) -> Graph:
    """The catalog graph in one application profile (DCAT-AP 3.0.1 unless told otherwise).

    `distributions` maps each dump's file name to (byte size, sha256 hex) of the bytes that are
    published with this catalog; `counts` may give "triples" and "entities" of the whole dataset
    (VoID). Raises `BuildError` for an incomplete `catalog.yaml` rather than publishing a catalog
    a harvester would reject.
    """
    try:
        return _Catalog(settings, catalog_yaml_data, profile).build(distributions, counts)
    except KeyError as exc:
        raise BuildError(f"data/catalog.yaml: missing key {exc}") from exc


def serialise_catalog(graph: Graph, base_iri: str) -> bytes:
    """Turtle with sorted triples: rdflib's own serialiser orders by hash, which would make two
    builds of the same catalog differ byte for byte."""
    import pyoxigraph as ox

    nt = graph.serialize(format="nt", encoding="utf-8")
    triples = sorted(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    used = {term.value for t in triples for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)}
    used |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    ours = prefixes(CATALOG_PREFIXES, base_iri)
    bound = {p: ns for p, ns in sorted(ours.items()) if any(i.startswith(ns) for i in used)}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=bound)
    assert data is not None
    return data
