"""A real harvester reads the catalog: ckanext-dcat's RDF parser, once per profile it supports.

`catalog.ttl` with ckanext-dcat's DCAT-AP 3 profile, `catalog-dcat-ap-2.ttl` with its DCAT-AP 2
profile, and the DCAT-AP-DK file (ckanext-dcat has no DK profile; DK is built on DCAT-AP 2) with
the DCAT-AP 2 profile, which must keep titles, descriptions, licences and distributions.

CKAN portals (opendata.dk; data.europa.eu harvests through national portals) import DCAT with
ckanext-dcat. It installs from PyPI and its parser runs without a portal, but it imports CKAN,
whose exact pins clash with ours, so it lives in its own environment:

    python3.11 -m venv build/harvest-venv
    build/harvest-venv/bin/pip install -r requirements-harvest.lock

Without that environment the test is skipped (it says so); `make test` does not create it because
installing CKAN's ~60 packages takes longer than the whole suite.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from typing import Any

import pytest

from publish.build.dumps import DUMPS
from publish.build.pipeline import BuildResult
from publish.layout import TABLES, TABLES_METADATA, table_file
from publish.profiles import DCAT_AP_2, DCAT_AP_3, DCAT_AP_DK, Profile
from tests.conftest import ROOT

HARVEST_PYTHON = ROOT / "build" / "harvest-venv" / "bin" / "python"
BASE = "https://w3id.org/vestlod/"
AREAS = ("energiteknologi", "foedevarer", "fremtidens-industri", "sundheds-og-velfaerdsteknologi")


#: our profile -> the ckanext-dcat profile a portal would harvest it with
CKAN_PROFILES: dict[Profile, str] = {
    DCAT_AP_3: "euro_dcat_ap_3", DCAT_AP_2: "euro_dcat_ap_2", DCAT_AP_DK: "euro_dcat_ap_2"}


def harvest(built: BuildResult, locale: str, profile: Profile = DCAT_AP_3) -> dict[str, Any]:
    if not HARVEST_PYTHON.is_file():
        pytest.skip(f"no harvest environment at {HARVEST_PYTHON} (see this module's docstring)")
    out = subprocess.run(
        [str(HARVEST_PYTHON), str(ROOT / "tests" / "harvest_ckan.py"),
         str(built.out / profile.file), locale, CKAN_PROFILES[profile]],
        capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("profile", list(CKAN_PROFILES), ids=lambda p: p.token)
def test_ckanext_dcat_harvests_datasets_distributions_and_licence(
        built: BuildResult, profile: Profile) -> None:
    result = harvest(built, "da", profile)
    datasets = {d["uri"]: d for d in result["datasets"]}
    assert set(datasets) == {BASE + "id/dataset/vestlod"} | {BASE + "id/dataset/" + a
                                                            for a in AREAS}
    whole = datasets[BASE + "id/dataset/vestlod"]
    assert whole["title"] == "Styrket vestdansk samarbejde som linked data"  # Danish portal
    assert whole["publisher_name"].startswith("Det vestdanske samarbejde")
    downloads = {r["download_url"]: r for r in whole["resources"] if r["download_url"]}
    assert set(downloads) == {BASE + "dumps/" + name for name in DUMPS} | {
        BASE + "dumps/" + table_file(t) for t in TABLES}
    algorithm = hashlib.sha1 if profile.dcat_ap_2 else hashlib.sha256
    for ds in datasets.values():
        assert ds["notes"]  # the description
        for url, r in ((r["download_url"], r) for r in ds["resources"] if r["download_url"]):
            data = (built.out / url.removeprefix(BASE + "dumps/")).read_bytes()
            assert r["hash"] == algorithm(data).hexdigest()
            assert r["hash_algorithm"].endswith("checksumAlgorithm_" + algorithm().name)
            assert r["size"] == len(data)
    for r in downloads.values():
        assert r["format"].startswith("http://publications.europa.eu/resource/authority/file-type/")
        assert r["mimetype"].startswith("https://www.iana.org/assignments/media-types/")
    for ds in datasets.values():
        assert [r["access_url"] for r in ds["resources"] if not r["download_url"]] == [
            BASE + "sparql"]
        if ds is not whole:  # each business area: its own download
            slug = ds["uri"].rsplit("/", 1)[-1]
            assert [r["download_url"] for r in ds["resources"] if r["download_url"]] == [
                f"{BASE}dumps/vestlod-{slug}.ttl"]
        for r in ds["resources"]:
            # the licence reaches every resource; CKAN's dataset-level license_id needs a
            # portal licence register that knows the EU licence IRI or title
            assert r["license"] in {"Creative Commons Navngivelse 4.0 International",
                                    "Creative Commons Attribution 4.0 International"}


def test_the_dk_file_loses_nothing_a_portal_shows(built: BuildResult) -> None:
    """Title, description, licence and distributions of every dataset, in Danish and English:
    the same from the DK file as from the DCAT-AP 3 file (only the checksum differs)."""
    def kept(result: dict[str, Any]) -> list[tuple[object, ...]]:
        return sorted((d["uri"], d["title"], d["notes"], d["license_id"], sorted(
            (r["uri"], r["name"], r["access_url"], r["download_url"], r["format"],
             r["mimetype"], r["size"], r["license"]) for r in d["resources"]))
            for d in result["datasets"])

    for locale in ("da", "en"):
        dk = kept(harvest(built, locale, DCAT_AP_DK))
        assert dk == kept(harvest(built, locale, DCAT_AP_3))
        assert all(title and notes for _uri, title, notes, *_rest in dk)


@pytest.mark.parametrize("profile", list(CKAN_PROFILES), ids=lambda p: p.token)
def test_the_csv_tables_are_harvested_as_csv_resources_with_their_metadata(
        built: BuildResult, profile: Profile) -> None:
    """A portal lists each table as a CSV resource of the whole dataset: its name in the
    portal's language, IANA text/csv, the EU file type CSV, the tabular data model it conforms
    to and the CSVW metadata as its documentation."""
    result = harvest(built, "da", profile)
    whole = next(d for d in result["datasets"] if d["uri"] == BASE + "id/dataset/vestlod")
    tables = {r["download_url"]: r for r in whole["resources"]
              if (r["download_url"] or "").endswith(".csv")}
    assert set(tables) == {BASE + "dumps/" + table_file(t) for t in TABLES}
    assert tables[BASE + "dumps/vestlod-actors.csv"]["name"] == "Tabel: Aktører (CSV)"
    for url, r in tables.items():
        assert r["format"] == "http://publications.europa.eu/resource/authority/file-type/CSV"
        assert r["mimetype"] == "https://www.iana.org/assignments/media-types/text/csv"
        # CKAN keeps these lists as JSON text
        assert json.loads(r["conforms_to"]) == ["http://www.w3.org/TR/tabular-data-model/"]
        assert json.loads(r["documentation"]) == [BASE + "dumps/" + TABLES_METADATA]
        assert r["size"] == (built.out / url.removeprefix(BASE + "dumps/")).stat().st_size
    # no area dataset claims the tables: they describe the whole annex
    for ds in result["datasets"]:
        if ds is not whole:
            assert not [r for r in ds["resources"] if (r["download_url"] or "").endswith(".csv")]
