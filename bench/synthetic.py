"""A synthetic dataset shaped like vestlod's, at any size, for `make bench`.

Same four named graphs and the same kinds of things as the real build: actors with da/en
labels, business areas, regions (NUTS), cooperation relations and part-of chains, strength
positions, figures as qb:Observation with values and the original expression, and Web Annotation
provenance with quotes. Deterministic for a given size (seeded), so runs compare.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

BASE = "https://w3id.org/vestlod/"
AREAS = ("foedevarer", "energiteknologi", "sundheds-og-velfaerdsteknologi", "fremtidens-industri")
REGIONS = ("DK03", "DK04", "DK05")
PREFIXES = f"""@prefix vl: <{BASE}def/vestlod#> .
@prefix a: <{BASE}id/actor/> .
@prefix area: <{BASE}id/area/> .
@prefix sp: <{BASE}id/strength-position/> .
@prefix f: <{BASE}id/figure/> .
@prefix n: <{BASE}id/annotation/> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sm: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
TRIPLES_PER_UNIT = 21  # measured on the output below; used to size the run


def units_for(triples: int) -> int:
    return max(triples // TRIPLES_PER_UNIT, 10)


def generate(units: int, seed: int | None = None) -> str:
    """TriG text with roughly ``21 × units`` triples; the same ``(units, seed)``, the same bytes.

    ``seed=None`` keeps the stream `make bench` has always used (seeded by ``units``)."""
    rng = random.Random(units if seed is None else seed * 1_000_000_007 + units)
    vocab = [f"<{BASE}graph/vocabulary> {{"]
    vocab.append('  vl:Actor a <http://www.w3.org/2002/07/owl#Class> ; rdfs:label "Aktør"@da .')
    for k in AREAS:
        vocab.append(f'  area:{k} a skos:Concept ; skos:prefLabel "{k} (da)"@da , "{k}"@en .')
    for r in REGIONS:
        vocab.append(f'  nuts:{r} skos:prefLabel "Region {r}"@da , "Region {r}"@en .')
    vocab.append("}")
    data = [f"<{BASE}graph/data> {{"]
    prov = [f"<{BASE}graph/provenance> {{"]
    for i in range(units):
        area = AREAS[i % len(AREAS)]
        region = REGIONS[rng.randrange(len(REGIONS))]
        partners = " , ".join(f"a:a{rng.randrange(units)}" for _ in range(2))
        parent = f" ; org:unitOf a:a{i // 3}" if i > 2 and i % 3 else ""
        data.append(
            f'  a:a{i} a vl:Actor , org:Organization ; skos:prefLabel "Aktør {i}"@da , '
            f'"Actor {i}"@en ; rdfs:label "Aktør {i}" ; vl:businessArea area:{area} ; '
            f"org:basedAt nuts:{region} ; vl:cooperatesWith {partners}{parent} ."
        )
        prov.append(
            f"  n:a{i} a oa:Annotation ; oa:hasBody a:a{i} ; oa:hasTarget [ oa:hasSource "
            f'<{BASE}id/document/annex> ; oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact '
            f'"Aktør {i} samarbejder med flere virksomheder i regionen" ; oa:start {i * 97} ] ] .'
        )
        if i % 3 == 0:
            value = rng.randrange(1, 10**12)
            data.append(
                f"  f:f{i} a qb:Observation ; sm:obsValue {value} ; vl:expression "
                f'"ca. {value // 10**9} mia. kr." ; vl:businessArea area:{area} .'
            )
            prov.append(
                f"  n:f{i} a oa:Annotation ; oa:hasBody f:f{i} ; oa:hasTarget [ oa:hasSelector "
                f'[ oa:exact "en omsætning på ca. {value // 10**9} mia. kr." ] ] .'
            )
        if i % 10 == 0:
            data.append(
                f'  sp:s{i} a vl:StrengthPosition ; skos:prefLabel "Styrkeposition {i}"@da , '
                f'"Strength position {i}"@en ; vl:businessArea area:{area} .'
            )
    data.append("}")
    prov.append("}")
    meta = [
        f"<{BASE}graph/metadata> {{",
        f'  <{BASE}dataset> rdfs:label "vestlod (synthetic, {units} units)"@en .',
        "}",
    ]
    return PREFIXES + "\n".join(vocab + data + prov + meta) + "\n"


def write(dist: Path, triples: int, seed: int | None = None) -> Path:
    """Write ``dist/vestlod.trig`` and ``SHA256SUMS`` unless already there for this size."""
    dist.mkdir(parents=True, exist_ok=True)
    trig = dist / "vestlod.trig"
    if not trig.exists():
        text = generate(units_for(triples), seed).encode("utf-8")
        trig.write_bytes(text)
        (dist / "SHA256SUMS").write_text(f"{hashlib.sha256(text).hexdigest()}  vestlod.trig\n")
    return trig
