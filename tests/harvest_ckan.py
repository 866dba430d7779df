"""Parse a DCAT catalog the way a CKAN portal's harvester does, and print what it produced.

Runs under the separate harvest environment (`requirements-harvest.lock`), never under the project
venv: ckanext-dcat imports CKAN itself. It uses ckanext-dcat's `RDFParser` with one of its
profiles (`euro_dcat_ap_3` by default, `euro_dcat_ap_2` for the DCAT-AP 2 based files), the code
path of `ckanext.dcat.harvesters.DCATRDFHarvester`, without a portal, database or Solr. Output: one
JSON object on stdout, what CKAN would store per dataset.

    build/harvest-venv/bin/python tests/harvest_ckan.py dist/catalog.ttl [locale [profile]]
"""

from __future__ import annotations

import json
import sys
from typing import Any


def harvest(path: str, locale: str = "en", profile: str = "euro_dcat_ap_3") -> dict[str, Any]:
    from ckantoolkit import config

    config["ckan.locale_default"] = locale  # which language a multilingual title becomes
    from ckanext.dcat.processors import RDFParser

    parser = RDFParser(profiles=[profile])
    with open(path, encoding="utf-8") as fh:
        parser.parse(fh.read(), _format="turtle")
    datasets = []
    for ds in parser.datasets():
        extras = {e["key"]: e["value"] for e in ds.get("extras", [])}
        datasets.append({
            "uri": extras.get("uri"),
            "title": ds.get("title"),
            "notes": ds.get("notes"),
            "license_id": ds.get("license_id"),
            "publisher_name": extras.get("publisher_name"),
            "tags": sorted(t["name"] for t in ds.get("tags", [])),
            "resources": [{k: r.get(k) for k in (
                "uri", "name", "url", "download_url", "access_url", "format", "mimetype",
                "size", "hash", "hash_algorithm", "license", "compress_format", "conforms_to",
                "documentation")}
                for r in ds.get("resources", [])],
        })
    return {"datasets": sorted(datasets, key=lambda d: d["uri"] or "")}


if __name__ == "__main__":
    print(json.dumps(harvest(*sys.argv[1:4]), ensure_ascii=False, indent=1))
