"""A real harvester reads the catalog: ckanext-dcat's RDF parser with its DCAT-AP 3 profile.

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
from tests.conftest import ROOT

HARVEST_PYTHON = ROOT / "build" / "harvest-venv" / "bin" / "python"
BASE = "https://w3id.org/vestlod/"
AREAS = ("energiteknologi", "foedevarer", "fremtidens-industri", "sundheds-og-velfaerdsteknologi")


def harvest(built: BuildResult, locale: str) -> dict[str, Any]:
    if not HARVEST_PYTHON.is_file():
        pytest.skip(f"no harvest environment at {HARVEST_PYTHON} (see this module's docstring)")
    out = subprocess.run(
        [str(HARVEST_PYTHON), str(ROOT / "tests" / "harvest_ckan.py"),
         str(built.out / "catalog.ttl"), locale],
        capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def test_ckanext_dcat_harvests_datasets_distributions_and_licence(built: BuildResult) -> None:
    result = harvest(built, "da")
    datasets = {d["uri"]: d for d in result["datasets"]}
    assert set(datasets) == {BASE + "id/dataset/vestlod"} | {BASE + "id/dataset/" + a
                                                            for a in AREAS}
    whole = datasets[BASE + "id/dataset/vestlod"]
    assert whole["title"] == "Styrket vestdansk samarbejde som linked data"  # Danish portal
    assert whole["publisher_name"].startswith("Det vestdanske samarbejde")
    downloads = {r["download_url"]: r for r in whole["resources"] if r["download_url"]}
    assert set(downloads) == {BASE + "dumps/" + name for name in DUMPS}
    for url, r in downloads.items():
        data = (built.out / url.removeprefix(BASE + "dumps/")).read_bytes()
        assert r["hash"] == hashlib.sha256(data).hexdigest()
        assert r["size"] == len(data)
        assert r["format"].startswith("http://publications.europa.eu/resource/authority/file-type/")
        assert r["mimetype"].startswith("https://www.iana.org/assignments/media-types/")
    for ds in datasets.values():
        assert [r["access_url"] for r in ds["resources"] if not r["download_url"]] == [
            BASE + "sparql"]
        for r in ds["resources"]:
            # the licence reaches every resource; CKAN's dataset-level license_id needs a
            # portal licence register that knows the EU licence IRI or title
            assert r["license"] in {"Creative Commons Navngivelse 4.0 International",
                                    "Creative Commons Attribution 4.0 International"}
