"""publish.build.source: the PDF text normalised and segmented, every piece pointing at its words."""

from __future__ import annotations

import pytest

from publish.build.source import AREA_TITLES, read_source, segment, slugify, split_sentences
from publish.errors import SourceError


def norm(raw: str) -> str:
    """The normalised running text of a one-area snippet (heading lines removed)."""
    doc = segment("Titel\n\nFødevarer\n\nStatus\n" + raw)
    return "\n".join(s.text for s in doc.of_kind("paragraph", "item"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a line-break hyphenation is undone
        ("FFI styrker føde-\nvarevirksomhedernes kultur.", "FFI styrker fødevarevirksomhedernes kultur."),
        ("udføres af Offshore-\nenergy.dk, Hub North.", "udføres af Offshoreenergy.dk, Hub North."),
        ("flere af part-\nnerskaberne bag.", "flere af partnerskaberne bag."),
        # a real hyphen stays: a suspended compound before a line break
        ("test sites og -\nfaciliteter (Østerild).", "test sites og -faciliteter (Østerild)."),
        ("erhvervsrettede test- \nog udviklingsfaciliteter.", "erhvervsrettede test- og udviklingsfaciliteter."),
        # a hyphen before a capital is a real one
        ("det Nord-\nAtlantiske hav.", "det Nord-Atlantiske hav."),
        # line breaks and runs of spaces become one space
        ("to  ord\npå   to linjer. ", "to ord på to linjer."),
    ],
)
def test_line_breaks_and_hyphenation(raw: str, expected: str) -> None:
    assert norm(raw) == expected


def test_footnote_markers_glued_to_words_are_removed_and_linked() -> None:
    raw = (
        "Titel\n\nFremtidens industri\n\nStatus\n"
        "Differencen er indsnævret de seneste år1, og IRIS \nGroup2 god dækning nævnes \n\n"
        "1 Produktionspanelet (2015): Gode job\n"
        "2 IRIS Group (2015): Digitalisation and automation\n"
        " investeringer i forskning.\n"
    )
    doc = segment(raw)
    (para,) = doc.of_kind("paragraph")
    assert para.text == (
        "Differencen er indsnævret de seneste år, og IRIS Group god dækning nævnes "
        "investeringer i forskning."
    )
    notes = {s.number: s.text for s in doc.of_kind("footnote")}
    assert notes == {
        1: "Produktionspanelet (2015): Gode job",
        2: "IRIS Group (2015): Digitalisation and automation",
    }
    refs = [(r.number, raw[r.raw_offset]) for r in doc.footnote_refs]
    assert refs == [(1, "1"), (2, "2")]
    assert all(r.segment == para.id for r in doc.footnote_refs)


def test_numbers_that_are_not_footnote_markers_stay() -> None:
    raw = "Titel\n\nFremtidens industri\n\nStatus\nUnder OECD20-gennemsnittet og Design2Innovate i år1.\n"
    # no footnote block: no number is a marker
    assert "år1." in norm_doc(raw)


def norm_doc(raw: str) -> str:
    return segment(raw).normalised


def test_every_normalised_character_maps_to_its_original(annex: str) -> None:
    doc = segment(annex)
    for i, ch in enumerate(doc.normalised):
        original = annex[doc.to_raw[i]]
        if ch in " \n":
            assert original.isspace() or original == "-" or ch == "\n"
        else:
            assert original == ch, (i, ch, original)


def test_the_annex_has_four_areas_with_their_sections(annex: str) -> None:
    doc = segment(annex)
    areas = [s.title for s in doc.of_kind("area")]
    assert [a.split(" - ")[0] for a in areas] == list(AREA_TITLES)
    sections = {s.id for s in doc.of_kind("section")}
    for area in AREA_TITLES.values():
        for name in ("status", "perspektiver", "ressourcer"):
            assert f"{area}-{name}" in sections
    subsections = {s.title for s in doc.of_kind("subsection")}
    assert {
        "Fælles erhvervsfremme",
        "Vind- og offshore energi",
        "Udfordringer",
        "Regionaløkonomisk betydning og markedsudvikling",
        "Forretningsområdets økonomiske betydning",
    } <= subsections
    assert any(t and t.startswith("Smart energy systems og energieffektivitet") for t in subsections)


def test_bullets_are_items_and_continue_over_blank_lines(annex: str) -> None:
    doc = segment(annex)
    items = [s.text for s in doc.of_kind("item")]
    assert items[0].endswith("samspil mellem værdikædens aktører og F&U miljøerne")
    assert items[2].endswith("entreprenørskab, innovation og kapitalformidling")
    assert len(items) == 4


def test_segments_point_at_their_words_in_the_original(annex: str) -> None:
    doc = segment(annex)
    for seg in doc.of_kind("sentence", "paragraph", "item", "footnote"):
        assert 0 <= seg.start < seg.end <= len(annex)
        assert annex[seg.start] == seg.text[0]
        assert annex[seg.end - 1] == seg.text[-1]


def test_page_break_starts_a_new_paragraph_but_lowercase_continues(annex: str) -> None:
    doc = segment(annex)
    texts = [s.text for s in doc.of_kind("paragraph")]
    assert any(t.startswith("Der arbejdes endvidere på et fælles vestdansk") for t in texts)
    assert any("digitale parathed samt investeringer i forskning" in t for t in texts)
    assert any(t.startswith("De nationale initiativer – innovationsnetværket FoodNetwork")
               and "– har hovedparten" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Ca. 3/4 af eksporten på 152 mia. kr. kommer herfra. Det er meget.", 2),
        ("Bl.a. Alexandra ved Aarhus Universitet. Og mere.", 2),
        ("Det udgør 34 mia. kr.. Der er en specialisering.", 2),
        ("Smart industri kaldes den 4. industrielle revolution.", 1),
        ("Fx er p.t. kraftig udfordret, bl.a. Alexandra er med.", 1),
    ],
)
def test_sentences_respect_danish_abbreviations(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count


def test_slugs_transliterate_danish_letters() -> None:
    assert slugify("Østerild Forsøgsstation for Vindmøller, Århus") == (
        "oesterild-forsoegsstation-for-vindmoeller-aarhus"
    )
    assert slugify("Sundheds- og velfærdsteknologi") == "sundheds-og-velfaerdsteknologi"


def test_a_changed_source_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "annex.txt"
    path.write_text("changed", encoding="utf-8")
    with pytest.raises(SourceError, match="sha256"):
        read_source(path, expected_sha256="0" * 64)
