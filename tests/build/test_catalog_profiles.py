"""One catalog per application profile (issue 18), the areas' downloads, and the MQA as DQV.

* `catalog-dcat-ap-dk.ttl`: 0 violations of the official DCAT-AP-DK 2.0.2 shapes (EU tables
  merged) apart from the shapes' own language-pattern defect, which is counted apart;
* `catalog-dcat-ap-2.ttl`: 0 violations of DCAT-AP 2.1.1;
* the files differ from `catalog.ttl` only in the properties where the profiles disagree;
* every dataset's MQA score, computed from the catalog, is published as DQV and rates Excellent.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, XSD

from publish.build.catalog import SHA1_ALGORITHM, SPDX
from publish.build.mqa import (
    INDICATORS,
    MAXIMUM,
    assess_with,
    rating,
    read_measurements,
    rounded,
    table,
)
from publish.build.pipeline import BuildResult
from publish.profiles import DCAT_AP_2, DCAT_AP_3, DCAT_AP_DK, PROFILES
from tests.conftest import ROOT
from tests.dcat_ap import VOCABULARY, check, shapes
from tests.dcat_ap_dk import dk_results, split_pattern_defect

BASE = "https://w3id.org/vestlod/"
AREAS = ("energiteknologi", "foedevarer", "fremtidens-industri", "sundheds-og-velfaerdsteknologi")
DCAT_VERSION = URIRef(str(DCAT) + "version")
DK_MAINTAINER = URIRef("http://schema.org/maintainer")
DK_PAYMENT = URIRef("https://data.gov.dk/model/core/dcat-dk/paymentImposedContents")


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return Graph().parse(VOCABULARY, format="turtle")


@pytest.fixture(scope="module")
def files(built: BuildResult) -> dict[str, Graph]:
    return {p.token: Graph().parse(built.out / p.file, format="turtle") for p in PROFILES}


def violations(results: list) -> list:
    return [r for r in results if r.severity == "Violation"]


def test_dk_file_has_no_violation_but_the_shapes_language_defect(
        files: dict[str, Graph], vocabulary: Graph) -> None:
    dk = files[DCAT_AP_DK.token]
    defect, rest = split_pattern_defect(dk_results(dk, vocabulary))
    assert not violations(rest), "\n".join(map(str, violations(rest)))
    # the defect, reported apart: two languages on the catalog and on every distribution
    distributions = set(dk.subjects(RDF.type, DCAT.Distribution))
    assert len(violations(defect)) == 2 * (1 + len(distributions))


def test_the_dk_check_can_fail(files: dict[str, Graph], vocabulary: Graph) -> None:
    """The DCAT-AP 3 file breaks the DK rules where the profiles disagree (15 of them before
    the area downloads: 5 sizes, 5 checksums, 5 datasets with three creators)."""
    _defect, rest = split_pattern_defect(dk_results(files[DCAT_AP_3.token], vocabulary))
    paths = {r.path.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for r in violations(rest)}
    assert paths == {"byteSize", "algorithm", "creator"}
    wrong_language = Graph()
    wrong_language += files[DCAT_AP_DK.token]
    wrong_language.add((URIRef(BASE + "id/catalog/vestlod"), DCTERMS.language,
                        URIRef("http://example.org/language/DAN")))
    _defect, rest = split_pattern_defect(dk_results(wrong_language, vocabulary))
    assert violations(rest)  # a language outside the prescribed table is not excused


def test_dcat_ap_2_file_has_no_violation(files: dict[str, Graph], vocabulary: Graph) -> None:
    results = check(files[DCAT_AP_2.token], shapes("2.1.1"), vocabulary)
    assert not violations(results), "\n".join(map(str, violations(results)))


def test_profiles_differ_only_where_their_rules_do(files: dict[str, Graph]) -> None:
    differing = {DCAT.byteSize, SPDX.checksum, SPDX.algorithm, SPDX.checksumValue, RDF.type,
                 OWL.sameAs, DCTERMS.creator, DCTERMS.contributor, DK_MAINTAINER, DK_PAYMENT,
                 OWL.versionInfo, DCAT_VERSION, DCTERMS.conformsTo, DCTERMS.title}
    base = files[DCAT_AP_3.token]
    for token in (DCAT_AP_2.token, DCAT_AP_DK.token):
        other = files[token]
        changed = {p for _s, p, _o in (set(base) ^ set(other))}
        assert changed <= differing, (token, changed - differing)
        # a class or title changes only for checksums and the standard conformed to
        for s, p, _o in set(base) ^ set(other):
            if p in (RDF.type, DCTERMS.title):
                assert "#sha" in str(s) or "checksumAlgorithm" in str(s) or "DCAT-AP" in str(
                    s) or "data.gov.dk" in str(s), (token, s, p)


def test_sizes_and_checksums_as_each_profile_wants_them(
        built: BuildResult, files: dict[str, Graph]) -> None:
    for profile in PROFILES:
        g = files[profile.token]
        for dist, url in g.subject_objects(DCAT.downloadURL):
            data = (built.out / str(url).removeprefix(BASE + "dumps/")).read_bytes()
            size = g.value(dist, DCAT.byteSize)
            checksum = g.value(dist, SPDX.checksum)
            value = str(g.value(checksum, SPDX.checksumValue))
            if profile.dcat_ap_2:
                assert size == Literal(str(len(data)), datatype=XSD.decimal)
                assert g.value(checksum, SPDX.algorithm) == SHA1_ALGORITHM
                assert value == hashlib.sha1(data).hexdigest()
            else:
                assert size == Literal(len(data), datatype=XSD.nonNegativeInteger)
                assert value == hashlib.sha256(data).hexdigest()


def test_dk_creator_contributors_and_additions(files: dict[str, Graph]) -> None:
    dk = files[DCAT_AP_DK.token]
    regions = {URIRef(BASE + "id/region/" + r) for r in ("nordjylland", "midtjylland",
                                                          "syddanmark")}
    cooperation = URIRef(BASE + "id/agent/vestdansk-samarbejde")
    for ds in dk.subjects(RDF.type, DCAT.Dataset):
        assert set(dk.objects(ds, DCTERMS.creator)) == {cooperation}
        assert set(dk.objects(ds, DCTERMS.contributor)) == regions
        assert dk.value(ds, DK_MAINTAINER) == cooperation
        assert dk.value(ds, DK_PAYMENT) == Literal(False)
    assert set(files[DCAT_AP_3.token].objects(URIRef(BASE + "id/dataset/vestlod"),
                                              DCTERMS.creator)) == regions


def test_every_file_is_listed_in_sha256sums(built: BuildResult) -> None:
    sums = (built.out / "SHA256SUMS").read_text()
    for name in [p.file for p in PROFILES] + [f"vestlod-{a}.ttl" for a in AREAS]:
        digest = hashlib.sha256((built.out / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}\n" in sums


# ------------------------------------------------------------------ the areas' downloads


def test_each_area_has_a_download_with_its_own_part_of_the_data(
        built: BuildResult, files: dict[str, Graph]) -> None:
    g = files[DCAT_AP_3.token]
    vl = BASE + "def/vestlod#businessArea"
    sizes = set()
    for slug in AREAS:
        ds = URIRef(BASE + "id/dataset/" + slug)
        urls = {str(g.value(d, DCAT.downloadURL)) for d in g.objects(ds, DCAT.distribution)
                if g.value(d, DCAT.downloadURL) is not None}
        assert urls == {f"{BASE}dumps/vestlod-{slug}.ttl"}
        part = Graph().parse(built.out / f"vestlod-{slug}.ttl", format="turtle")
        area = URIRef(BASE + "id/area/" + slug)
        members = set(part.subjects(URIRef(vl), area))
        assert members and (area, None, None) in part
        whole = Graph().parse(built.out / "vestlod.ttl", format="turtle")
        assert members == set(whole.subjects(URIRef(vl), area))  # all of the area's own
        sizes.add(len(part))
    assert len(sizes) == len(AREAS)  # four different parts, not one file four times


def test_rights_and_size_on_every_download_and_rights_on_every_distribution(
        files: dict[str, Graph]) -> None:
    for g in files.values():
        for dist in g.subjects(RDF.type, DCAT.Distribution):
            assert g.value(dist, DCTERMS.rights) is not None, dist
            if g.value(dist, DCAT.downloadURL) is not None:
                assert g.value(dist, DCAT.byteSize) is not None, dist
        for ds in g.subjects(RDF.type, DCAT.Dataset):
            assert g.value(ds, DCTERMS.temporal) is not None
            assert g.value(ds, DCTERMS.spatial) is not None


# ------------------------------------------------------------------ MQA


def test_every_dataset_rates_excellent_and_the_dqv_is_what_the_catalog_gives(
        files: dict[str, Graph]) -> None:
    g = files[DCAT_AP_3.token]
    # every URL under the base answers (the server test checks that); no DCAT-AP violation
    measured = assess_with(g, lambda url: url.startswith(BASE), violating=set())
    assert len(measured) == 1 + len(AREAS)
    for profile in PROFILES:
        published = read_measurements(files[profile.token], BASE)
        assert set(published) == set(measured)
        for ds, score in measured.items():
            assert score.rating == "Excellent", (ds, table(measured, BASE))
            assert published[ds]["score"] == str(rounded(score.total))
            assert published[ds]["rating"] == "Excellent"
            for ind in INDICATORS:
                assert published[ds][ind.key] == str(rounded(score.points[ind.key]))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table(measured, BASE) in readme, "README's MQA table is stale:\n" + table(measured, BASE)


def test_the_mqa_can_fail() -> None:
    """Missing keywords, an unreachable download and DCAT-AP violations cost their points."""
    g = Graph()
    ds, dist = URIRef(BASE + "id/dataset/x"), URIRef(BASE + "id/distribution/x")
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, DCAT.downloadURL, URIRef(BASE + "dumps/x.ttl")))
    g.add((dist, DCAT.accessURL, URIRef(BASE + "dumps/x.ttl")))
    reachable = assess_with(g, lambda url: True, violating=set())[str(ds)]
    unreachable = assess_with(g, lambda url: False, violating={str(dist)})[str(ds)]
    assert reachable.points["keywords"] == 0
    assert reachable.points["access-url-accessible"] == 50
    assert reachable.points["download-url-accessible"] == 30
    assert reachable.points["dcat-ap-compliance"] == 30
    assert reachable.total - unreachable.total == 50 + 30 + 30
    assert (reachable.total, unreachable.total) == (130, 20)  # the URL and download points
    assert (reachable.rating, unreachable.rating) == ("Sufficient", "Bad")


def test_rating_bands_and_maximum() -> None:
    assert sum(i.weight for i in INDICATORS) == MAXIMUM == 405
    assert [rating(Fraction(n)) for n in (405, 351, 350, 221, 220, 121, 120, 0)] == [
        "Excellent", "Excellent", "Good", "Good", "Sufficient", "Sufficient", "Bad", "Bad"]
