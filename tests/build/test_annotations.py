"""publish.build.annotations: curated YAML anchored in the annex; every mistake named by file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from publish.build.annotations import collect_annotations, load_annotations
from publish.build.source import Document, segment
from publish.errors import AnnotationError

ROOT = Path(__file__).resolve().parents[2]

REGION = """\
actors:
  - id: region-midtjylland
    kind: region
    type: regional-authority
    names: [Region Midtjylland, Midtjylland]
    label: {da: Region Midtjylland, en: Central Denmark Region}
  - id: danish-food-cluster
    kind: org
    type: cluster-organisation
    names: [Danish Food Cluster]
    label: {da: Danish Food Cluster, en: Danish Food Cluster}
"""


@pytest.fixture(scope="module")
def doc() -> Document:
    return segment((ROOT / "data" / "source" / "annex.txt").read_text(encoding="utf-8"))


def write(tmp_path: Path, text: str, name: str = "test.yaml") -> Path:
    folder = tmp_path / "annotations"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def errors_of(doc: Document, folder: Path) -> list[str]:
    return [str(e) for e in collect_annotations(doc, folder)[1]]


def test_a_valid_file_gives_actors_with_every_mention(doc: Document, tmp_path: Path) -> None:
    ann = load_annotations(doc, write(tmp_path, REGION))
    dfc = ann.actors["danish-food-cluster"]
    assert [m.text for m in dfc.mentions] == ["Danish Food Cluster"] * 2
    for m in dfc.mentions:
        assert doc.raw[m.start:m.end].replace("\n", " ") == "Danish Food Cluster"
    # "Region Midtjyllands" (genitive) is a mention; bare "Midtjylland" too
    texts = {m.text for m in ann.actors["region-midtjylland"].mentions}
    assert texts == {"Region Midtjylland", "Midtjylland"}


def test_the_longest_name_wins_where_names_overlap(doc: Document, tmp_path: Path) -> None:
    ann = load_annotations(doc, write(tmp_path, REGION))
    # "Region Midtjylland" is never also counted as a mention of "Midtjylland"
    spans = [(m.start, m.end) for m in ann.actors["region-midtjylland"].mentions]
    assert len(spans) == len(set(s for s, _ in spans))
    assert all(
        not (a < c < b) for a, b in spans for c, _ in spans
    )


def test_a_quote_becomes_a_span_with_original_offsets(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, REGION + textwrap.dedent("""\
        relations:
          - id: region-midtjylland-initiated-danish-food-cluster
            subject: region-midtjylland
            relation: initiated
            object: danish-food-cluster
            year: 2014
            quote: "I 2014 var Region Midtjylland med til at initiere dannelsen af Danish Food Cluster"
        """))
    rel = load_annotations(doc, folder).relations["region-midtjylland-initiated-danish-food-cluster"]
    assert rel.year == 2014
    assert doc.raw[rel.span.start:rel.span.end] == rel.span.exact
    assert rel.span.exact.startswith("I 2014 var Region Midtjylland")


def test_a_hyphenated_quote_is_found_across_the_line_break(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, """\
        actors:
          - id: offshoreenergy-dk
            kind: org
            type: innovation-network
            names: [Offshoreenergy.dk]
            label: {da: Offshoreenergy.dk, en: Offshoreenergy.dk}
        """)
    actor = load_annotations(doc, folder).actors["offshoreenergy-dk"]
    exacts = {m.exact for m in actor.mentions}
    assert "Offshore-\nenergy.dk" in exacts  # the original words, hyphen and line break kept


@pytest.mark.parametrize(
    ("yaml_text", "line", "field", "message"),
    [
        (REGION + "    colour: blue\n", 12, "colour", "unknown field"),
        (REGION.replace("id: danish-food-cluster", "id: Danish_Food"), 7, "id", "slug rule"),
        (REGION.replace("id: danish-food-cluster", "id: region-midtjylland"), 7, "id",
         "duplicate id 'region-midtjylland'"),
        (REGION.replace("names: [Danish Food Cluster]", "names: [Danish Food Klynge]"), 10,
         "names", "does not occur"),
        (REGION.replace("    label: {da: Danish Food Cluster, en: Danish Food Cluster}\n",
                        "    label: {da: Danish Food Cluster}\n"), 11, "label", "'en'"),
        (REGION + "strength_positions:\n  - id: vind\n    area: energiteknologi\n"
         "    label: {da: Vind, en: Wind}\n    quote: \"Vindkraft er stærk\"\n", 16, "quote",
         "quote not found"),
        (REGION + "strength_positions:\n  - id: vind\n    area: energiteknologi\n"
         "    label: {da: Vind, en: Wind}\n    quote: \"Vestdanmark\"\n", 16, "quote",
         "add occurrence"),
        (REGION + "relations:\n  - id: r\n    subject: region-midtjylland\n    relation: owns\n"
         "    object: danish-food-cluster\n    quote: \"I 2014 var Region Midtjylland\"\n",
         15, "relation", "'owns' is not one of"),
        (REGION + "relations:\n  - id: r\n    subject: region-midtjylland\n    relation: initiated\n"
         "    object: nobody\n    quote: \"I 2014 var Region Midtjylland\"\n", 16, "object",
         "no actor with id 'nobody'"),
    ],
)
def test_every_mistake_is_named_with_file_line_and_field(
    doc: Document, tmp_path: Path, yaml_text: str, line: int, field: str, message: str
) -> None:
    folder = write(tmp_path, yaml_text)
    problems = errors_of(doc, folder)
    expected_prefix = f"{folder / 'test.yaml'}:{line}: [{field}]"
    assert any(p.startswith(expected_prefix) and message in p for p in problems), problems
    with pytest.raises(AnnotationError):
        load_annotations(doc, folder)


FOCUS = """\
focus_areas:
  - id: synergi
    area: foedevarer
    quote: "at sikre bedre sammenhæng, samarbejde og synergi mellem de mange initiativer og aktører"
    frame: "En tværregional indsats kan med fordel have fokus på"
    label: {da: Synergi, en: Synergy}
"""


def test_a_frame_is_the_lead_in_nearest_before_the_quote(doc: Document, tmp_path: Path) -> None:
    """A list item's quote does not carry the lead-in's modal (*kan med fordel*); the frame does,
    and the published scope note shows both, with an ellipsis for the item in between."""
    st = load_annotations(doc, write(tmp_path, REGION + FOCUS)).focus_areas["synergi"]
    assert st.frame is not None
    assert st.frame.text == "En tværregional indsats kan med fordel have fokus på"
    assert st.frame.end <= st.span.start
    assert doc.raw[st.frame.start:st.frame.end] == st.frame.exact
    assert st.scope_text == (
        "En tværregional indsats kan med fordel have fokus på … at sikre bedre sammenhæng, "
        "samarbejde og synergi mellem de mange initiativer og aktører")


def test_a_frame_next_to_its_quote_joins_it_without_an_ellipsis(
        doc: Document, tmp_path: Path) -> None:
    text = REGION + FOCUS.replace(
        "at sikre bedre sammenhæng, samarbejde og synergi mellem de mange initiativer og aktører",
        "at udvikle aktørernes innovationskompetencer")
    st = load_annotations(doc, write(tmp_path, text)).focus_areas["synergi"]
    assert st.scope_text == ("En tværregional indsats kan med fordel have fokus på: at udvikle "
                             "aktørernes innovationskompetencer")


@pytest.mark.parametrize(("frame", "message"), [
    ("Værdikæderne er sammenhængende", "frame not found before the quote"),  # after it
    ("Fødevarer", "characters before the quote"),  # far away: another passage
])
def test_a_frame_after_its_quote_or_far_from_it_is_refused(
        doc: Document, tmp_path: Path, frame: str, message: str) -> None:
    text = REGION + FOCUS.replace(
        "En tværregional indsats kan med fordel have fokus på", frame)
    if frame.startswith("Værdikæderne"):
        text = text.replace("at sikre bedre sammenhæng, samarbejde og synergi mellem de mange "
                            "initiativer og aktører", "En smart specialiserings analyse fra 2013")
    folder = write(tmp_path, text)
    problems = errors_of(doc, folder)
    assert any(f"{folder / 'test.yaml'}:16: [frame]" in p and message in p for p in problems), (
        problems)


SHARE = """\
figures:
  - id: omsaetning-andel
    area: foedevarer
    indicator: share-of-turnover
    quote: "Ca. 3/4 af den samlede danske fødevareeksport på 152 mia. kr. og 2/3 af den samlede omsætning inden for fødevareerhvervet"
    expression: "2/3"
    qualifier: "Ca."
    measured: foedevareerhvervet
    label: {da: Andel, en: Share}
sectors:
  - id: foedevareerhvervet
    label: {da: Fødevareerhvervet, en: The food industry}
indicators:
  - id: share-of-turnover
    unit: ratio
    label: {da: Andel af omsætningen, en: Share of turnover}
"""


def test_a_qualifier_before_coordinated_numbers_governs_the_second(
        doc: Document, tmp_path: Path) -> None:
    """*Ca. 3/4 af … og 2/3 af …*: the 2/3 is about, as the 3/4 is (§A4)."""
    fig = load_annotations(doc, write(tmp_path, REGION + SHARE)).figures["omsaetning-andel"]
    assert (fig.qualifier, str(fig.value)) == ("ca.", "0.666667")
    without = REGION + SHARE.replace('    qualifier: "Ca."\n', "")
    assert load_annotations(doc, write(tmp_path, without)).figures[
        "omsaetning-andel"].qualifier is None


@pytest.mark.parametrize(("change", "message"), [
    (('qualifier: "Ca."', 'qualifier: "Knap"'), "the quote must start with 'Knap'"),
    (('qualifier: "Ca."', 'qualifier: "Cirka"'), "'Cirka' is not a qualifier"),
    (('expression: "2/3"', 'expression: "Ca. 3/4"'), "has its own qualifier"),
])
def test_a_shared_qualifier_the_quote_does_not_open_with_is_refused(
        doc: Document, tmp_path: Path, change: tuple[str, str], message: str) -> None:
    folder = write(tmp_path, REGION + SHARE.replace(*change))
    problems = errors_of(doc, folder)
    assert any(f"{folder / 'test.yaml'}:18: [qualifier]" in p and message in p
               for p in problems), problems


def test_a_relation_quote_that_does_not_name_a_party_is_refused(
        doc: Document, tmp_path: Path) -> None:
    """Issue #15 (README §A2): a relation's quote names both parties, or the words that refer
    to them; otherwise the curator gets file, line and field."""
    folder = write(tmp_path, REGION + textwrap.dedent("""\
        relations:
          - id: region-midtjylland-member-of-danish-food-cluster
            subject: region-midtjylland
            relation: member-of
            object: danish-food-cluster
            quote: "Flere nordjyske aktører, herunder Aalborg Universitet, er også at finde blandt de ca. 130 aktive medlemmer"
        """))
    problems = errors_of(doc, folder)
    prefix = f"{folder / 'test.yaml'}:17: [quote]"
    assert any(p.startswith(prefix) and "does not name the subject 'region-midtjylland'" in p
               for p in problems), problems
    assert any(p.startswith(prefix) and "does not name the object 'danish-food-cluster'" in p
               for p in problems), problems
    with pytest.raises(AnnotationError):
        load_annotations(doc, folder)


def test_a_party_may_be_named_by_the_words_that_refer_to_it(
        doc: Document, tmp_path: Path) -> None:
    """A group's extra quote (*man*) or a name inside a longer name counts as naming it."""
    folder = write(tmp_path, """\
        actors:
          - id: vestdansk-samarbejde
            kind: group
            type: group
            quotes: ["hvor man i samarbejde med"]
            label: {da: Det vestdanske samarbejde, en: The West Danish cooperation}
          - id: nationalt-vindprogram
            kind: initiative
            type: programme
            quotes: ["et nationalt program for erhvervsfremme i vindmøllesektoren 2015-18"]
            label: {da: Det Nationale Vindprogram, en: National Wind Programme}
          - id: teknologisk-institut
            kind: org
            type: gts-institute
            names: [Teknologisk Institut]
            label: {da: Teknologisk Institut, en: Danish Technological Institute}
          - id: ti-robot
            kind: org
            type: research-centre
            names: [Teknologisk Institut Center for Robotteknologi]
            label: {da: TI Robot, en: DTI Robot}
        relations:
          - id: vestdansk-samarbejde-co-prepared-nationalt-vindprogram
            subject: vestdansk-samarbejde
            relation: co-prepared
            object: nationalt-vindprogram
            quote: "hvor man i samarbejde med Erhvervs- og Vækstministeriet, brancheforeningen Vindmølleindustrien og innovationsnetværket Offshoreenergy.dk har udarbejdet et nationalt program"
          - id: ti-robot-part-of-teknologisk-institut
            subject: ti-robot
            relation: part-of
            object: teknologisk-institut
            quote: "Teknologisk Institut Center for Robotteknologi"
        """)
    ann = load_annotations(doc, folder)
    assert set(ann.relations) == {"vestdansk-samarbejde-co-prepared-nationalt-vindprogram",
                                  "ti-robot-part-of-teknologisk-institut"}


def test_located_in_needs_a_place(doc: Document, tmp_path: Path) -> None:
    """Issue #15 (README §A2): "Alexandra ved Aarhus Universitet" is hosts, not located-in."""
    folder = write(tmp_path, REGION + textwrap.dedent("""\
        relations:
          - id: region-midtjylland-located-in-danish-food-cluster
            subject: region-midtjylland
            relation: located-in
            object: danish-food-cluster
            quote: "I 2014 var Region Midtjylland med til at initiere dannelsen af Danish Food Cluster"
        """))
    problems = errors_of(doc, folder)
    assert any(p.startswith(f"{folder / 'test.yaml'}:16: [object]") and "needs a place" in p
               for p in problems), problems


def test_only_a_group_has_members(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, REGION.replace(
        "    names: [Danish Food Cluster]\n",
        "    names: [Danish Food Cluster]\n    members: [region-midtjylland]\n"))
    problems = errors_of(doc, folder)
    assert any("[members]" in p and "only an actor of kind group" in p for p in problems), problems


def test_a_figure_is_parsed_from_its_expression(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, """\
        indicators:
          - {id: export, label: {da: Eksport, en: Exports}}
        figures:
          - id: foedevareeksport
            area: foedevarer
            indicator: export
            quote: "den samlede danske fødevareeksport på 152 mia. kr."
            expression: "152 mia. kr."
            measured: foedevarer
            label: {da: Fødevareeksport, en: Food exports}
        sectors:
          - {id: foedevarer, label: {da: Fødevareerhvervet, en: The food industry}}
        """)
    fig = load_annotations(doc, folder).figures["foedevareeksport"]
    assert (fig.value, fig.unit, fig.qualifier) == (152_000_000_000, "DKK", None)
    assert doc.raw[fig.expression.start:fig.expression.end] == "152 mia. kr."


def test_an_expression_outside_its_quote_is_an_error(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, """\
        indicators:
          - {id: export, label: {da: Eksport, en: Exports}}
        figures:
          - id: f
            area: foedevarer
            indicator: export
            quote: "den samlede danske fødevareeksport på 152 mia. kr."
            expression: "153 mia. kr."
            measured: foedevarer
            label: {da: F, en: F}
        sectors:
          - {id: foedevarer, label: {da: Fødevareerhvervet, en: The food industry}}
        """)
    assert any(":8: [expression]" in p and "not in the quote" in p
               for p in errors_of(doc, folder))


def test_broken_yaml_is_reported_with_its_line(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, "actors:\n  - id: x\n    label: {da: [unclosed\n")
    (problem,) = errors_of(doc, folder)
    assert "test.yaml:" in problem and "not valid YAML" in problem


def test_the_committed_annotations_check_clean(doc: Document) -> None:
    ann, problems = collect_annotations(doc, ROOT / "data" / "annotations")
    assert problems == []
    assert len(ann.actors) >= 100


FIGURE_RULES = REGION + """\
sectors:
  - {id: foedevarer, label: {da: Fødevareerhvervet, en: The food industry}}
indicators:
  - {id: export, unit: DKK, label: {da: Eksport, en: Exports}}
  - {id: share, unit: ratio, label: {da: Andel, en: Share}}
figures:
"""


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        # refArea is only for places (§A4): an organisation is what is measured, not where
        ("""  - {id: f, area: foedevarer, indicator: export, measured: foedevarer,
       scope: danish-food-cluster, quote: "den samlede danske fødevareeksport på 152 mia. kr.",
       expression: "152 mia. kr.", label: {da: F, en: F}}
""", "scope", "is not a place"),
        ("""  - {id: f, area: foedevarer, indicator: export, measured: nothing,
       quote: "den samlede danske fødevareeksport på 152 mia. kr.",
       expression: "152 mia. kr.", label: {da: F, en: F}}
""", "measured", "no sector or actor with id 'nothing'"),
        # a status needs its word in the quote: a forecast says "forvent…"
        ("""  - {id: f, area: foedevarer, indicator: export, measured: foedevarer, status: forecast,
       quote: "den samlede danske fødevareeksport på 152 mia. kr.",
       expression: "152 mia. kr.", label: {da: F, en: F}}
""", "status", "needs one of"),
        # one unit per indicator: exports are kroner, not persons
        ("""  - {id: f, area: energiteknologi, indicator: export, measured: foedevarer,
       quote: "omkring 15.000 ansatte på landsplan", expression: "omkring 15.000",
       unit: persons, label: {da: F, en: F}}
""", "unit", "one unit per indicator"),
    ],
)
def test_the_data_cube_rules_of_a_figure_are_checked(
    doc: Document, tmp_path: Path, entry: str, field: str, message: str
) -> None:
    folder = write(tmp_path, FIGURE_RULES + entry)
    problems = errors_of(doc, folder)
    assert any(f"[{field}]" in p and message in p for p in problems), problems


def test_a_share_in_percent_is_published_as_a_ratio(doc: Document, tmp_path: Path) -> None:
    folder = write(tmp_path, FIGURE_RULES.replace("sectors:", """\
  - {id: vestdanmark, kind: place, type: place, names: [Vestdanmark], label: {da: V, en: W}}
sectors:""") + """\
  - {id: f, area: energiteknologi, indicator: share, measured: foedevarer, scope: vestdanmark,
     quote: "Ca. 80 % af vindenergisektorens omsætning og beskæftigelse er placeret i Vestdanmark",
     expression: "Ca. 80 %", label: {da: F, en: F}}
""")
    fig = load_annotations(doc, folder).figures["f"]
    assert (str(fig.value), fig.unit, fig.qualifier) == ("0.8", "ratio", "ca.")


def test_a_period_is_a_date_with_start_and_end_not_a_figure(
    doc: Document, tmp_path: Path
) -> None:
    folder = write(tmp_path, """\
        actors:
          - {id: program, kind: initiative, type: programme, names: [],
             quotes: ["et nationalt program for erhvervsfremme"], label: {da: P, en: P}}
        dates:
          - id: periode
            property: period
            subject: program
            quote: "et nationalt program for erhvervsfremme i vindmøllesektoren 2015-18"
            expression: "2015-18"
          - id: ikke-en-periode
            property: started
            subject: program
            quote: "et nationalt program for erhvervsfremme i vindmøllesektoren 2015-18"
            expression: "2015-18"
        """)
    ann, problems = collect_annotations(doc, folder)
    assert (ann.dates["periode"].start, ann.dates["periode"].end) == (2015, 2018)
    assert any("[property]" in str(p) and "period" in str(p) for p in problems), problems
    assert "ikke-en-periode" not in ann.dates
