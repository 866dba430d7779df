"""Draw the #15 re-reading sample from a build: python sample.py TRIG SEED [TOTAL] > sample.md

TOTAL (default 62) scales the quota per kind (20/15/15/12 of 62); round 5 drew 100."""
import random, sys, collections
import pyoxigraph as ox

trig, seed = sys.argv[1], int(sys.argv[2])
total = int(sys.argv[3]) if len(sys.argv) > 3 else 62
s = ox.Store(); s.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
B = "https://w3id.org/vestlod/"
def q(x): return list(s.query(x, use_default_graph_as_union=True))
def subjects(where):
    return sorted({str(r[0].value) for r in q(f"SELECT DISTINCT ?x WHERE {{ {where} FILTER NOT EXISTS {{ ?x <http://www.w3.org/2002/07/owl#deprecated> true }} }}")})
kinds = {
  "relation": subjects("?x a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>"),
  "figure": subjects("?x a <http://purl.org/linked-data/cube#Observation>"),
  "actor or thing": [x for x in subjects("?x ?p ?o FILTER(REGEX(STR(?x), '/id/(org|initiative|activity|group|place|facility|work|region)/[^#]+$') && !STRSTARTS(STR(?x), 'https://w3id.org/vestlod/id/activity/build-'))")],
  "concept": [x for x in subjects("?x ?p ?o FILTER(REGEX(STR(?x), '/id/(strength-position|resource|challenge|focus-area|regional-business-area)/[^#]+$'))")],
}
quota = {k: round(v * total / 62) for k, v in
         {"relation": 20, "figure": 15, "actor or thing": 15, "concept": 12}.items()}
rng = random.Random(seed)
SKIP = {"http://www.w3.org/ns/prov#wasGeneratedBy", B + "def/vestlod#curatedAt", "http://www.w3.org/ns/prov#wasDerivedFrom"}
def short(t):
    v = str(t.value) if hasattr(t, "value") else str(t)
    for p, n in ((B + "id/", "id:"), (B + "def/vestlod#", "vl:"), ("http://www.w3.org/2004/02/skos/core#", "skos:"), ("http://purl.org/linked-data/cube#", "qb:"), ("http://purl.org/linked-data/sdmx/2009/", "sdmx:"), ("http://www.w3.org/ns/org#", "org:"), ("https://schema.org/", "schema:"), ("http://www.w3.org/ns/prov#", "prov:"), ("http://purl.org/dc/terms/", "dcterms:"), ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:"), ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"), ("http://xmlns.com/foaf/0.1/", "foaf:")):
        if v.startswith(p): return n + v[len(p):]
    if isinstance(t, ox.Literal):
        lang = f"@{t.language}" if t.language else ""
        return f'"{v}"{lang}'
    return v
n = 0
print(f"# #15 re-reading sample (seed {seed}, build {trig})\n")
for kind, items in kinds.items():
    pick = sorted(rng.sample(items, min(quota[kind], len(items))))
    print(f"\n## {kind} ({len(pick)} of {len(items)})\n")
    for iri in pick:
        n += 1
        print(f"### S{n}. {short(ox.NamedNode(iri))}\n")
        for p, o in sorted(((str(r[0].value), r[1]) for r in q(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")), key=lambda x: (x[0], str(x[1]))):
            if p in SKIP: continue
            print(f"- {short(ox.NamedNode(p))} {short(o)}")
        quotes = q(f"""SELECT ?exact ?start ?end WHERE {{ ?a <http://www.w3.org/ns/oa#hasBody> <{iri}> ; <http://www.w3.org/ns/oa#hasTarget> ?t .
            ?t <http://www.w3.org/ns/oa#hasSelector> ?qs , ?ps . ?qs <http://www.w3.org/ns/oa#exact> ?exact . ?ps <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end }}""")
        for exact, start, end in sorted(quotes, key=lambda r: int(r[1].value)):
            print(f"- evidence [{start.value}–{end.value}]: «{' '.join(str(exact.value).split())}»")
        print()
print(f"\n{n} facts")
