"""The DCAT-AP catalog: conformance to the official shapes, and that it tells the truth.

Conformance is checked the way shared/dcat-ap/README.md and shared/eu-vocabularies/README.md
describe (split shapes, EU authority tables merged into the data graph, results filtered to our
own nodes). Every warning we accept is named in EXPLAINED with the reason; a new kind of warning
fails the test until it is fixed or explained here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from publish.build.catalog import (
    SHA256_ALGORITHM,
    SPDX,
    build_catalog,
    dump_format,
    serialise_catalog,
)
from publish.build.dumps import DUMPS
from publish.build.pipeline import BuildResult
from publish.errors import BuildError
from publish.layout import TABLES, TABLES_METADATA, table_file
from tests.conftest import ROOT, project_settings
from tests.dcat_ap import SHARED, VOCABULARY, Result, check, shapes, subset_file

BASE = "https://w3id.org/vestlod/"
AUTH = "http://publications.europa.eu/resource/authority/"
DCATAP = "http://data.europa.eu/r5r/"
AREAS = ("energiteknologi", "foedevarer", "fremtidens-industri", "sundheds-og-velfaerdsteknologi")
WHOLE = URIRef(BASE + "id/dataset/vestlod")
NUTS = [URIRef(f"http://data.europa.eu/nuts/code/{c}") for c in ("DK03", "DK04", "DK05")]
DNK = URIRef(AUTH + "country/DNK")

#: accepted warnings: (test, reason). Reasons are also in shapes/dcat-ap/README.md.
EXPLAINED: tuple[tuple[Callable[[Result], bool], str], ...] = (
    (lambda r: r.path in (str(DCAT) + "bbox", str(DCAT) + "centroid")
     and r.focus in {str(x) for x in [*NUTS, DNK]},
     "recommended geometry of NUTS/country locations: we curate no coordinates; the IRIs are "
     "the authorities' own, which carry the geometry"),
    (lambda r: r.path == str(DCTERMS.publisher) and r.value == BASE + "id/agent/vestdansk-samarbejde",
     "the publisher is not in the EU corporate-body table: Danish regions never are (MAY rule)"),
    (lambda r: r.path == str(DCTERMS.spatial) and r.value in {str(n) for n in NUTS},
     "NUTS codes are not in the country/place/continent tables the shape accepts; country DNK "
     "is given alongside"),
    (lambda r: r.path == DCATAP + "availability",
     "dcatap:availability needs the planned-availability table, which is not available offline; "
     "a value without it gives two violations instead of one warning"),
)

#: DCAT-AP 2.1.1 rules that 3.0.1 changed: one violation of each per dump distribution
DIFFERENCES_2_1_1 = {
    (str(DCAT) + "byteSize", "xsd:decimal"),  # 3.0.1 demands xsd:nonNegativeInteger
    (str(SPDX) + "algorithm", "checksumAlgorithm_sha1"),  # 2.1.1 allows SHA-1 only
}


@pytest.fixture(scope="module")
def catalog(built: BuildResult) -> Graph:
    g = Graph()
    g.parse(built.out / "catalog.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    g = Graph()
    g.parse(VOCABULARY, format="turtle")
    return g


def explain(r: Result) -> str | None:
    return next((why for test, why in EXPLAINED if test(r)), None)


def by_severity(results: list[Result], severity: str) -> list[Result]:
    return [r for r in results if r.severity == severity]


# ------------------------------------------------------------------ conformance


def test_zero_dcat_ap_3_0_1_violations_and_only_explained_warnings(
        catalog: Graph, vocabulary: Graph) -> None:
    results = check(catalog, shapes("3.0.1"), vocabulary)
    violations = by_severity(results, "Violation")
    assert not violations, "\n".join(map(str, violations))
    unexplained = [r for r in by_severity(results, "Warning") if explain(r) is None]
    assert not unexplained, "\n".join(map(str, unexplained))
    # each explained kind occurs (a stale explanation should be removed, not kept "just in case")
    assert {explain(r) for r in results} == {why for _, why in EXPLAINED}


def test_against_2_1_1_only_the_rules_3_0_changed_are_violated(
        catalog: Graph, vocabulary: Graph) -> None:
    results = check(catalog, shapes("2.1.1"), vocabulary)
    violations = by_severity(results, "Violation")
    kinds = {(r.path, next(m for _, m in DIFFERENCES_2_1_1 if m in r.message))
             for r in violations if any(m in r.message for _, m in DIFFERENCES_2_1_1)}
    other = [r for r in violations if not any(m in r.message for _, m in DIFFERENCES_2_1_1)]
    assert not other, "\n".join(map(str, other))
    assert kinds == DIFFERENCES_2_1_1
    downloads = set(catalog.subjects(DCAT.downloadURL, None))
    assert len(violations) == 2 * len(downloads) == 2 * (len(DUMPS) + len(AREAS) + len(TABLES))
    unexplained = [r for r in by_severity(results, "Warning") if explain(r) is None]
    assert not unexplained, "\n".join(map(str, unexplained))


def test_the_check_can_fail(catalog: Graph, vocabulary: Graph) -> None:
    """A file type outside the EU table, a missing title: violations, not silence."""
    broken = Graph()
    broken += catalog
    dist = URIRef(BASE + "id/distribution/vestlod-ttl")
    broken.remove((dist, DCTERMS.format, None))
    bogus = URIRef(AUTH + "file-type/NO_SUCH_TYPE")
    broken.add((dist, DCTERMS.format, bogus))
    broken.add((bogus, RDF.type, DCTERMS.MediaTypeOrExtent))
    broken.remove((URIRef(BASE + "id/catalog/vestlod"), DCTERMS.title, None))
    violations = by_severity(check(broken, shapes("3.0.1"), vocabulary), "Violation")
    assert {(r.focus, r.path) for r in violations} == {
        (str(dist), str(DCTERMS.format)), (BASE + "id/catalog/vestlod", str(DCTERMS.title))}


def test_vendored_vocabulary_subset_is_what_the_official_files_give(catalog: Graph) -> None:
    """data/vocabularies/eu-authority-tables.ttl is derived: regenerate it when this fails
    (`python -m tests.dcat_ap regenerate dist/catalog.ttl`)."""
    if not (SHARED / "nal" / "language.rdf").is_file():
        pytest.skip(f"the official EU files are not at {SHARED}")
    assert subset_file(catalog) == VOCABULARY.read_bytes()


# ------------------------------------------------------------------ the truth


def test_distributions_describe_the_published_files(built: BuildResult, catalog: Graph) -> None:
    described = set()
    for dist in catalog.subjects(DCAT.downloadURL, None):
        url = str(catalog.value(dist, DCAT.downloadURL))
        assert url.startswith(BASE + "dumps/")
        name = url.removeprefix(BASE + "dumps/")
        data = (built.out / name).read_bytes()
        assert catalog.value(dist, DCAT.byteSize) == Literal(
            len(data), datatype=XSD.nonNegativeInteger)
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SHA256_ALGORITHM
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert built.files[name] == hashlib.sha256(data).hexdigest()
        assert str(catalog.value(dist, DCAT.accessURL)) == url
        assert catalog.value(dist, DCTERMS.license) == URIRef(AUTH + "licence/CC_BY_4_0")
        described.add(name)
    # every dump, area subset and CSV table; not the catalogs, the report or SHA256SUMS
    assert described == set(DUMPS) | {f"vestlod-{a}.ttl" for a in AREAS} | {
        table_file(t) for t in TABLES}
    sums = (built.out / "SHA256SUMS").read_text()
    catalog_sha = hashlib.sha256((built.out / "catalog.ttl").read_bytes()).hexdigest()
    assert f"{catalog_sha}  catalog.ttl" in sums


def test_media_types_and_file_types(catalog: Graph) -> None:
    def of(name: str) -> tuple[str, str, str | None]:
        dist = URIRef(BASE + "id/distribution/" + name.replace(".", "-"))
        compress = catalog.value(dist, DCAT.compressFormat)
        return (str(catalog.value(dist, DCAT.mediaType)).rsplit("media-types/", 1)[-1],
                str(catalog.value(dist, DCTERMS.format)).rsplit("/", 1)[-1],
                None if compress is None else str(compress).rsplit("media-types/", 1)[-1])

    assert {name: of(name) for name in DUMPS} == {
        "vestlod.trig": ("application/trig", "RDF_TRIG", None),
        "vestlod.ttl": ("text/turtle", "RDF_TURTLE", None),
        "vestlod.nt.gz": ("application/n-triples", "RDF_N_TRIPLES", "application/gzip"),
        "vestlod.jsonld": ("application/ld+json", "JSON_LD", None),
        "vestlod.rdf": ("application/rdf+xml", "RDF_XML", None),
    }


def test_each_csv_table_is_a_distribution_of_the_whole_dataset(
        built: BuildResult, catalog: Graph) -> None:
    """IANA text/csv, the EU file type CSV, conforming to the W3C tabular data model, its CSVW
    metadata (a published file too) as its page, the dataset's licence."""
    tables = {URIRef(BASE + "id/distribution/" + table_file(t).replace(".", "-")): t
              for t in TABLES}
    assert set(tables) <= set(catalog.objects(WHOLE, DCAT.distribution))
    metadata = URIRef(BASE + "dumps/" + TABLES_METADATA)
    assert (built.out / TABLES_METADATA).is_file()
    for dist, table in tables.items():
        assert catalog.value(dist, DCAT.downloadURL) == URIRef(BASE + "dumps/" + table_file(table))
        assert catalog.value(dist, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/csv")
        assert catalog.value(dist, DCTERMS.format) == URIRef(AUTH + "file-type/CSV")
        assert set(catalog.objects(dist, DCTERMS.conformsTo)) == {
            URIRef("http://www.w3.org/TR/tabular-data-model/")}
        assert catalog.value(dist, FOAF.page) == metadata
        assert catalog.value(dist, DCTERMS.license) == URIRef(AUTH + "licence/CC_BY_4_0")
        titles = {t.language: str(t) for t in catalog.objects(dist, DCTERMS.title)
                  if isinstance(t, Literal)}
        assert set(titles) == {"da", "en"} and all("(CSV)" in t for t in titles.values())
    # not described as a download of its own: it documents the tables
    assert metadata not in set(catalog.objects(None, DCAT.downloadURL))


def test_whole_and_area_datasets_service_and_agents(catalog: Graph) -> None:
    cat = URIRef(BASE + "id/catalog/vestlod")
    areas = {URIRef(BASE + "id/dataset/" + a) for a in AREAS}
    assert set(catalog.objects(cat, DCAT.dataset)) == areas | {WHOLE}
    assert set(catalog.objects(WHOLE, DCTERMS.hasPart)) == areas
    for area in areas:
        assert catalog.value(area, DCTERMS.isPartOf) == WHOLE
        slug = str(area).rsplit("/", 1)[-1]
        assert URIRef(BASE + "id/area/" + slug) in set(catalog.objects(area, DCTERMS.subject))
    service = URIRef(BASE + "id/service/sparql")
    assert set(catalog.objects(service, DCAT.servesDataset)) == areas | {WHOLE}
    assert catalog.value(service, DCAT.endpointURL) == URIRef(BASE + "sparql")
    assert catalog.value(service, DCAT.endpointDescription) == URIRef(BASE + "sparql")

    regions = {URIRef(BASE + "id/region/" + r) for r in ("nordjylland", "midtjylland", "syddanmark")}
    for ds in areas | {WHOLE}:
        assert set(catalog.objects(ds, DCTERMS.creator)) == regions
        assert set(catalog.objects(ds, DCTERMS.spatial)) == {*NUTS, DNK}
        assert set(catalog.objects(ds, DCTERMS.language)) == {
            URIRef(AUTH + "language/DAN"), URIRef(AUTH + "language/ENG")}
        assert {lit.language for lit in catalog.objects(ds, DCTERMS.title)} == {"da", "en"}
    publisher = catalog.value(WHOLE, DCTERMS.publisher)
    for agent in regions | {publisher}:
        assert (agent, RDF.type, FOAF.Agent) in catalog
        assert {lit.language for lit in catalog.objects(agent, FOAF.name)} == {"da", "en"}
        assert str(catalog.value(agent, DCTERMS.type)) == "http://purl.org/adms/publishertype/RegionalAuthority"
    themes = {str(t).rsplit("/", 1)[-1] for t in catalog.objects(WHOLE, DCAT.theme)}
    assert themes == {"REGI", "ECON", "TECH", "AGRI", "ENER", "HEAL"}


def test_no_membership_of_eu_tables_is_asserted_by_us(catalog: Graph) -> None:
    """Otherwise the controlled-vocabulary check would pass on our word, not the EU's."""
    from rdflib.namespace import SKOS
    assert not list(catalog.triples((None, SKOS.inScheme, None)))


def test_whole_dataset_title_is_the_metadata_graphs(catalog: Graph, store: ox.Store) -> None:
    result = store.query(f"""SELECT ?t WHERE {{ GRAPH <{BASE}graph/metadata> {{
        <{WHOLE}> <http://purl.org/dc/terms/title> ?t }} }}""")
    assert isinstance(result, ox.QuerySolutions)
    in_dataset = {(row["t"].value, row["t"].language) for row in result}  # type: ignore[union-attr]
    in_catalog = {(str(t), t.language) for t in catalog.objects(WHOLE, DCTERMS.title)}
    assert in_dataset and in_catalog == in_dataset


def _metadata_with(dataset_yaml: dict[str, object]) -> Graph:
    """The metadata graph built from the real annex with data/catalog.yaml's `dataset` replaced."""
    from publish.build.graph import build_dataset
    from publish.build.pipeline import load_all, load_catalog_yaml

    settings = project_settings()
    doc, ann = load_all(settings)
    committed = load_catalog_yaml(settings)
    catalog = {**committed, "dataset": {"void": committed["dataset"]["void"], **dataset_yaml}}
    return build_dataset(doc, ann, settings, catalog).graph(URIRef(BASE + "graph/metadata"))


def test_the_metadata_graph_takes_title_and_description_from_catalog_yaml() -> None:
    """One source for the dataset's name: the catalog's curated text, not a copy in code."""
    meta = _metadata_with({
        "title": {"da": "En anden titel", "en": "Another title"},
        "description": {"da": "En anden beskrivelse.", "en": "Another description."},
    })
    assert set(meta.objects(WHOLE, DCTERMS.title)) == {
        Literal("En anden titel", lang="da"), Literal("Another title", lang="en")}
    assert set(meta.objects(WHOLE, DCTERMS.description)) == {
        Literal("En anden beskrivelse.", lang="da"), Literal("Another description.", lang="en")}


def test_a_dataset_title_without_english_stops_the_graph() -> None:
    with pytest.raises(BuildError, match="dataset.title needs a da and an en text"):
        _metadata_with({"title": {"da": "Kun dansk"}, "description": {"da": "x", "en": "x"}})


# ------------------------------------------------------------------ pure unit tests

FAKE = {name: (100 + i, f"{i:064x}", f"{i:040x}") for i, name in enumerate(DUMPS)}


def yaml_data() -> dict:
    return yaml.safe_load((ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8"))


def test_deterministic_and_only_from_its_inputs() -> None:
    settings = project_settings(dist_dir=Path("/nonexistent"))
    one = serialise_catalog(build_catalog(settings, yaml_data(), FAKE, {"triples": 3}), BASE)
    two = serialise_catalog(build_catalog(settings, yaml_data(), FAKE, {"triples": 3}), BASE)
    assert one == two
    changed = {**FAKE, "vestlod.ttl": (1, "f" * 64, "f" * 40)}
    assert serialise_catalog(build_catalog(settings, yaml_data(), changed, {}), BASE) != one


def test_licence_is_a_setting_described_in_the_yaml() -> None:
    cc0 = AUTH + "licence/CC0"
    g = build_catalog(project_settings(license=cc0), yaml_data(), FAKE, {})
    assert set(g.objects(URIRef(BASE + "id/distribution/vestlod-ttl"), DCTERMS.license)) == {
        URIRef(cc0)}
    assert str(g.value(URIRef(cc0), DCTERMS.type)) == "http://purl.org/adms/licencetype/PublicDomain"
    with pytest.raises(BuildError, match="not described"):
        build_catalog(project_settings(license="https://example.org/my-licence"),
                      yaml_data(), FAKE, {})


def test_other_base_iri_moves_every_local_iri() -> None:
    base = "http://localhost:9999/x/"
    g = build_catalog(project_settings(base_iri=base), yaml_data(), FAKE, {})
    dist = URIRef(base + "id/distribution/vestlod-ttl")
    assert g.value(dist, DCAT.downloadURL) == URIRef(base + "dumps/vestlod.ttl")
    assert not [t for t in g if any(str(x).startswith(BASE) for x in t)]


@pytest.mark.parametrize(("broken", "message"), [
    ({"modified": "yesterday"}, "modified must be a date"),
    ({"temporal": {"start": "2015-01-01", "end": "2007-01-01"}}, "temporal"),
    ({"service": None}, "service"),
])
def test_incomplete_yaml_is_a_build_error(broken: dict, message: str) -> None:
    data = {**yaml_data(), **broken}
    if broken.get("service", 1) is None:
        del data["service"]
    with pytest.raises(BuildError, match=message):
        build_catalog(project_settings(), data, FAKE, {})


def test_dump_format_comes_from_the_format_table() -> None:
    fmt, compression = dump_format("vestlod.nt.gz")
    assert (fmt.key, compression) == ("ntriples", "application/gzip")
    assert dump_format("x.ttl")[0].media_type == "text/turtle"
    assert dump_format("vestlod-actors.csv")[0].media_type == "text/csv"
    with pytest.raises(BuildError):
        dump_format("vestlod.tsv")
