"""The application profiles the catalog is published in, shared by the build and the server.

One source (`data/catalog.yaml`) gives one file per profile in the same atomic publish; the
server offers them at ``/catalog`` by W3C Content Negotiation by Profile (``Accept-Profile``,
``_profile=``). The profiles differ only where their rules contradict each other:

* DCAT-AP 3.0.1 wants ``dcat:byteSize`` as ``xsd:nonNegativeInteger`` and allows SHA-256;
  DCAT-AP 2.1.1 and DCAT-AP-DK 2.0.2 (built on DCAT-AP 2.0.1) want ``xsd:decimal`` and SHA-1.
* DCAT-AP-DK allows one ``dct:creator``: the cooperation creates, the three regions contribute
  (``dct:contributor``, a DK addition), and it adds ``schema:maintainer`` and
  ``dcat-dk:paymentImposedContents``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    token: str  # the `_profile` value (W3C conneg-by-ap's query string token)
    uri: str  # the profile's identifier, what `Accept-Profile` names
    file: str  # the file in the built folder
    label: str
    dcat_ap_2: bool  # built on DCAT-AP 2.x (decimal sizes, SHA-1, owl:versionInfo)


DCAT_AP_3 = Profile("dcat-ap", "https://semiceu.github.io/DCAT-AP/releases/3.0.1/", "catalog.ttl",
                    "DCAT-AP 3.0.1", dcat_ap_2=False)
DCAT_AP_2 = Profile("dcat-ap-2", "https://semiceu.github.io/DCAT-AP/releases/2.1.1/",
                    "catalog-dcat-ap-2.ttl", "DCAT-AP 2.1.1", dcat_ap_2=True)
DCAT_AP_DK = Profile("dcat-ap-dk", "https://data.gov.dk/model/profile/dcat-ap-dk-2.0.2/",
                     "catalog-dcat-ap-dk.ttl", "DCAT-AP-DK 2.0.2", dcat_ap_2=True)

#: every profile, the default first
PROFILES: tuple[Profile, ...] = (DCAT_AP_3, DCAT_AP_2, DCAT_AP_DK)

#: other IRIs by which the profiles are known (DCAT-AP's namespace, its version IRIs, DK's
#: unversioned namespace), so that an `Accept-Profile` naming them is understood
ALIASES: dict[str, Profile] = {
    "http://data.europa.eu/r5r/": DCAT_AP_3,
    "http://data.europa.eu/r5r/3.0.1": DCAT_AP_3,
    "http://data.europa.eu/r5r/2.1.1": DCAT_AP_2,
    "https://data.gov.dk/model/profile/dcat-ap-dk/": DCAT_AP_DK,
}


def by_token(token: str) -> Profile | None:
    return next((p for p in PROFILES if p.token == token), None)


def by_uri(uri: str) -> Profile | None:
    return next((p for p in PROFILES if p.uri == uri), None) or ALIASES.get(uri)
