"""DCAT-AP-DK 2.0.2 conformance: the official shapes (vendored in shapes/dcat-ap-dk/) run the way
`tests.dcat_ap` runs DCAT-AP's (EU authority tables merged, results on our own nodes only).

The published shapes carry a defect (shapes/dcat-ap-dk/README.md): their `dct:language` pattern
asks for `http://publications.europa.eu/resource/dataset/language/…`, while the profile's text
prescribes the EU Languages authority table, `…/resource/authority/language/…`, which is what
we publish. `split_pattern_defect` sets those results apart, and only those: the value must be
an IRI of the authority table the profile names, so a wrong language still fails.
"""

from __future__ import annotations

from rdflib import Graph

from tests.dcat_ap import ROOT, Result, check

SHAPES_DK = ROOT / "shapes" / "dcat-ap-dk" / "2.0.2" / "dcat-ap-dk_2.0.2_shacl_shapes.ttl"

#: the pattern the shapes require and the table the profile's text prescribes
DEFECT_PATTERN = "^http://publications.europa.eu/resource/dataset/language/"
PRESCRIBED = "http://publications.europa.eu/resource/authority/language/"
LANGUAGE = "http://purl.org/dc/terms/language"


def dk_shapes() -> Graph:
    return Graph().parse(SHAPES_DK, format="turtle")


def dk_results(catalog: Graph, vocabulary: Graph) -> list[Result]:
    return check(catalog, dk_shapes(), vocabulary)


def is_pattern_defect(r: Result) -> bool:
    return (r.path == LANGUAGE and DEFECT_PATTERN in r.message
            and r.value.startswith(PRESCRIBED))


def split_pattern_defect(results: list[Result]) -> tuple[list[Result], list[Result]]:
    """(results caused by the shapes' language-pattern defect, every other result)."""
    return ([r for r in results if is_pattern_defect(r)],
            [r for r in results if not is_pattern_defect(r)])
