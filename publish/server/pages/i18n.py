"""The words of the pages in Danish and English: interface text, predicate names, numbers.

The data brings its own labels in both languages (and the dataset its own title and
description); only the words of the interface itself, and names for common predicates that
have no label in our vocabulary graph, are written here.
"""

from __future__ import annotations

from decimal import Decimal

from publish.server.describe import (
    ADMS,
    DCTERMS,
    OA,
    OWL,
    PROV,
    RDF,
    RDF_TYPE,
    RDFS,
    ROV,
    SCHEMA,
    SDMX_ATTR,
    SDMX_DIM,
    SDMX_MEASURE,
    SKOS,
)

LANGS = ("da", "en")

#: interface text; the data brings its own labels in both languages
TEXT: dict[str, dict[str, str]] = {
    "da": {
        "home": "Forside", "annex": "Bilaget", "ontology": "Ontologi", "dumps": "Download",
        "sparql": "SPARQL", "catalog": "Katalog", "void": "VoID",
        "properties": "Egenskaber", "inverse": "Henvist til fra", "evidence": "Belæg i bilaget",
        "strength_positions": "Styrkepositioner", "actors": "Aktører", "challenges": "Udfordringer",
        "activities": "Initiativer, programmer og visioner",
        "focus_areas": "Perspektiver og fokusområder", "figures": "Tal", "chart": "Diagram",
        "value": "Værdi", "unit": "Enhed", "qualifier": "Forbehold", "year": "År",
        "expression": "Udtryk i bilaget", "indicator": "Indikator", "area": "Forretningsområde",
        "areas": "Forretningsområder", "relations": "Relationer", "type": "Type",
        "links": "Andre datakilder", "source_sentence": "Kildesætning", "in": "i",
        "not_found": "Ikke fundet", "not_found_text": "Der findes ingen ressource med adressen",
        "gone": "Fjernet", "gone_text": "Denne ressource er ikke længere en del af datasættet.",
        "reason": "Begrundelse",
        "formats": "Andre formater", "classes": "Klasser", "object_properties": "Egenskaber",
        "schemes": "Begrebssystemer", "concepts": "begreber", "file": "Fil", "size": "Størrelse",
        "examples": "Eksempler på forespørgsler", "query_it": "Stil spørgsmål til data",
        "how_query": "Alle data kan hentes som filer eller forespørges med SPARQL på",
        "triples": "tripler", "mentions": "omtaler", "switch": "English",
        "no_figures": "Ingen tal for dette område.", "member_of": "Medlem af",
        "search": "Søg", "search_label": "Søg i data", "search_results": "Søgeresultater",
        "search_none": "Ingen resultater for", "search_hint": "Skriv et ord eller navn, "
        "på dansk eller engelsk.", "search_all": "Alle", "search_count": "resultater",
        "previous": "Forrige", "next": "Næste", "kind": "Slags",
        "browse": "Gennemse", "browse_intro": "Alt i data som lister og tabeller, der kan "
        "sorteres og hentes som CSV og JSON.", "name": "Navn", "region": "Region",
        "note": "Beskrivelse", "figure": "Tal", "source": "Fra", "relation": "Relation",
        "target": "Til", "network": "Netværk", "network_intro": "Hvem arbejder med hvem: "
        "aktørerne og relationerne mellem dem, som bilaget nævner dem. Hver knude fører til "
        "aktørens side; listen under diagrammet viser de samme relationer.",
        "network_graph": "Netværksdiagram over relationer mellem aktører",
        "network_list": "Relationerne som liste", "network_missing": "Diagrammet kræver "
        "JavaScript-biblioteket cytoscape (installeres med make setup); listen nedenfor viser "
        "de samme relationer.", "filter": "Filtrér", "all": "Alle", "relation_type":
        "Relationstype", "download": "Hent", "of": "af", "shown": "vist",
        "clear_filter": "Fjern filter", "sort_by": "Sortér efter", "ascending": "stigende",
        "descending": "faldende", "relations_index": "Relationer mellem aktører",
        "accessibility": "Tilgængelighedserklæring", "facets": "Afgræns",
        "by_area": "efter forretningsområde", "none": "(intet)", "skip": "Spring til indhold",
        "as_table": "Som tabel, der kan sorteres og hentes",
        "tables": "Tabeller (CSV)", "tables_intro": "Aktører, tal, styrkepositioner og "
        "relationer som CSV-filer til regneark og dataportaler. Kolonner, datatyper og IRI'er "
        "er beskrevet efter W3C's CSV on the Web i", "all_files": "Alle filer",
    },
    "en": {
        "home": "Home", "annex": "The annex", "ontology": "Ontology", "dumps": "Downloads",
        "sparql": "SPARQL", "catalog": "Catalog", "void": "VoID",
        "properties": "Properties", "inverse": "Referred to by",
        "evidence": "Evidence in the annex",
        "strength_positions": "Strength positions", "actors": "Actors", "challenges": "Challenges",
        "activities": "Initiatives, programmes and visions",
        "focus_areas": "Perspectives and focus areas", "figures": "Figures", "chart": "Chart",
        "value": "Value", "unit": "Unit", "qualifier": "Qualifier", "year": "Year",
        "expression": "Wording in the annex", "indicator": "Indicator", "area": "Business area",
        "areas": "Business areas", "relations": "Relations", "type": "Type",
        "links": "Other data sources", "source_sentence": "Source sentence", "in": "in",
        "not_found": "Not found", "not_found_text": "There is no resource at",
        "gone": "Gone", "gone_text": "This resource is no longer part of the dataset.",
        "reason": "Reason",
        "formats": "Other formats", "classes": "Classes", "object_properties": "Properties",
        "schemes": "Concept schemes", "concepts": "concepts", "file": "File", "size": "Size",
        "examples": "Example queries", "query_it": "Query the data",
        "how_query": "All data can be downloaded as files or queried with SPARQL at",
        "triples": "triples", "mentions": "mentions", "switch": "Dansk",
        "no_figures": "No figures for this area.", "member_of": "Member of",
        "search": "Search", "search_label": "Search the data", "search_results": "Search results",
        "search_none": "No results for", "search_hint": "Type a word or a name, in Danish or "
        "English.", "search_all": "All", "search_count": "results",
        "previous": "Previous", "next": "Next", "kind": "Kind",
        "browse": "Browse", "browse_intro": "Everything in the data as lists and tables to "
        "sort and download as CSV and JSON.", "name": "Name", "region": "Region",
        "note": "Description", "figure": "Figure", "source": "From", "relation": "Relation",
        "target": "To", "network": "Network", "network_intro": "Who works with whom: the "
        "actors and the relations between them as the annex names them. Each node leads to "
        "the actor's page; the list below the diagram shows the same relations.",
        "network_graph": "Network diagram of relations between actors",
        "network_list": "The relations as a list", "network_missing": "The diagram needs the "
        "JavaScript library cytoscape (installed by make setup); the list below shows the same "
        "relations.", "filter": "Filter", "all": "All", "relation_type": "Relation type",
        "download": "Download", "of": "of", "shown": "shown", "clear_filter": "Clear filter",
        "sort_by": "Sort by", "ascending": "ascending", "descending": "descending",
        "relations_index": "Relations between actors",
        "accessibility": "Accessibility statement", "facets": "Narrow down",
        "by_area": "by business area", "none": "(none)", "skip": "Skip to content",
        "as_table": "As a table to sort and download",
        "tables": "Tables (CSV)", "tables_intro": "Actors, figures, strength positions and "
        "relations as CSV files for spreadsheets and data portals. Columns, datatypes and IRIs "
        "are described after W3C CSV on the Web in", "all_files": "All files",
    },
}

#: names of common predicates that have no label in our vocabulary graph
PREDICATE_NAMES: dict[str, tuple[str, str]] = {
    RDF_TYPE: ("Type", "Type"),
    RDFS + "label": ("Etiket", "Label"),
    RDFS + "comment": ("Kommentar", "Comment"),
    SKOS + "prefLabel": ("Foretrukken betegnelse", "Preferred label"),
    SKOS + "altLabel": ("Alternativ betegnelse", "Alternative label"),
    SKOS + "scopeNote": ("Afgrænsning", "Scope note"),
    SKOS + "definition": ("Definition", "Definition"),
    SKOS + "inScheme": ("I begrebssystem", "In scheme"),
    SKOS + "exactMatch": ("Svarer præcist til", "Exact match"),
    SKOS + "closeMatch": ("Svarer nogenlunde til", "Close match"),
    SKOS + "relatedMatch": ("Beslægtet med", "Related match"),
    SKOS + "broader": ("Overbegreb", "Broader"),
    OWL + "sameAs": ("Samme som", "Same as"),
    DCTERMS + "isPartOf": ("Del af", "Part of"),
    DCTERMS + "hasPart": ("Består af", "Has part"),
    DCTERMS + "title": ("Titel", "Title"),
    DCTERMS + "type": ("Slags", "Kind"),
    DCTERMS + "description": ("Beskrivelse", "Description"),
    RDF + "value": ("Tekst", "Text"),
    RDF + "subject": ("Subjekt", "Subject"),
    RDF + "predicate": ("Prædikat", "Predicate"),
    RDF + "object": ("Objekt", "Object"),
    OA + "hasBody": ("Indhold", "Body"),
    OA + "hasTarget": ("Mål", "Target"),
    OA + "hasSource": ("Kilde", "Source"),
    OA + "hasSelector": ("Udvælgelse", "Selector"),
    OA + "exact": ("Citat", "Quote"),
    PROV + "wasDerivedFrom": ("Afledt af", "Derived from"),
    PROV + "wasGeneratedBy": ("Frembragt af", "Generated by"),
    SDMX_MEASURE + "obsValue": ("Værdi", "Value"),
    SDMX_ATTR + "unitMeasure": ("Enhed", "Unit"),
    SDMX_DIM + "refPeriod": ("Periode", "Period"),
    SDMX_DIM + "refArea": ("Område", "Area"),
    SCHEMA + "position": ("Placering", "Position"),
    ROV + "registration": ("Registrering", "Registration"),
    ADMS + "schemaAgency": ("Registerfører", "Register kept by"),
    SKOS + "notation": ("Kode", "Notation"),
}


def choose_lang(param: str | None, accept_language: str | None) -> str:
    """``?lang=`` beats ``Accept-Language`` (q-values honoured); Danish when nothing matches."""
    if param in LANGS:
        return param
    best: tuple[float, int] | None = None
    chosen = "da"
    for order, part in enumerate((accept_language or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower().split("-", 1)[0]
        q = 1.0
        for param_ in pieces[1:]:
            if param_.startswith("q="):
                try:
                    q = float(param_[2:])
                except ValueError:
                    q = 0.0
        if tag in LANGS and q > 0 and (best is None or (q, -order) > best):
            best, chosen = (q, -order), tag
    return chosen


def format_number(value: Decimal, lang: str, *, grouping: bool = True) -> str:
    """1234567.5 → ``1.234.567,5`` (da) or ``1,234,567.5`` (en); at most 3 decimals.

    ``grouping=False`` for numbers that name rather than count, such as calendar years: a
    reader expects "2014", not "2,014" or "2.014"."""
    q = value.quantize(Decimal("0.001")).normalize() if value != value.to_integral() else value
    sep = "," if grouping else ""
    text = f"{q:{sep}f}" if q == q.to_integral() else f"{q:{sep}}"
    if "." in text and text.endswith("0") and q != q.to_integral():
        text = text.rstrip("0")
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text

