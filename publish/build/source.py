"""Read the annex as received (PDF text) and segment it, keeping offsets into the original file.

The annex arrives as text extracted from a PDF: lines wrapped at the page width, words hyphenated
across line breaks, page breaks that show as a leading space, footnote markers glued to words and
footnote lines in the middle of a paragraph. This module turns it into

* a **normalised text**: one line per block (heading, paragraph, bullet item, footnote), hyphenation
  undone where it is one, footnote markers removed, whitespace collapsed — the text annotations
  quote — and a map from every normalised character back to its offset in the original;
* **segments** (areas, sections, sub-sections, paragraphs, items, sentences, footnotes), each with
  start/end offsets into the original file, so every published fact can point at its exact words.

The module is pure: text in, values out. `read_source` is the only function touching the disk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from publish.errors import SourceError

#: The four business areas, as their chapter titles read, with the slugs used in URIs.
AREA_TITLES: dict[str, str] = {
    "Fødevarer": "foedevarer",
    "Energiteknologi": "energiteknologi",
    "Sundheds- og velfærdsteknologi": "sundheds-og-velfaerdsteknologi",
    "Fremtidens industri": "fremtidens-industri",
}
#: Section titles inside an area ("Udfordringer" is nested in "Ressourcer" in the annex, so it is
#: read as a sub-section there).
SECTION_TITLES = ("Status", "Perspektiver", "Ressourcer")
SUBSECTION_MAX_LEN = 110
HEADING_KINDS = ("area", "section", "subsection", "subtitle")

#: Abbreviations after which a full stop never ends a sentence.
_NEVER_FINAL = {
    "ca", "bl.a", "f.eks", "inkl", "p.t", "pga", "mia", "mio", "dvs", "jf", "evt", "nr", "ift",
    "bl", "mht", "vedr", "m.v", "ekskl",
}

_FOOTNOTE_LINE = re.compile(r"^(\d{1,2}) (\S.*\(\d{4}\).*?)\s*$")
_BULLET = re.compile(r"^\s*- ")  # an en dash at a line start is running text ("– har")


@dataclass(frozen=True)
class Segment:
    """A piece of the annex: `start`/`end` index the original file, `norm_*` the normalised text."""

    id: str
    kind: str  # document | area | section | subsection | paragraph | item | sentence | footnote
    start: int
    end: int
    norm_start: int
    norm_end: int
    text: str
    parent: str | None = None
    title: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class FootnoteRef:
    """A footnote marker glued to a word ("år1,"): where it is and which footnote it calls."""

    number: int
    raw_offset: int  # offset of the marker digit(s) in the original
    norm_offset: int  # position in the normalised text where the marker was removed
    segment: str  # id of the paragraph holding it


@dataclass
class Document:
    raw: str
    normalised: str
    to_raw: list[int]  # normalised index -> original index (len(normalised) + 1 entries)
    segments: list[Segment] = field(default_factory=list)
    footnote_refs: list[FootnoteRef] = field(default_factory=list)
    title: str = ""

    def raw_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Original [start, end) of a non-empty normalised range."""
        return self.to_raw[norm_start], self.to_raw[norm_end - 1] + 1

    def by_id(self, seg_id: str) -> Segment:
        for seg in self.segments:
            if seg.id == seg_id:
                return seg
        raise KeyError(seg_id)

    def of_kind(self, *kinds: str) -> list[Segment]:
        return [s for s in self.segments if s.kind in kinds]

    def smallest_containing(self, start: int, end: int, kinds: tuple[str, ...]) -> Segment | None:
        """The shortest segment of one of `kinds` whose original span contains [start, end)."""
        best: Segment | None = None
        rank = {kind: i for i, kind in enumerate(kinds)}  # ties go to the earlier kind
        for seg in self.segments:
            if seg.kind in kinds and seg.start <= start and end <= seg.end:
                key = (seg.end - seg.start, rank[seg.kind])
                if best is None or key < (best.end - best.start, rank[best.kind]):
                    best = seg
        return best


# --------------------------------------------------------------------------- reading


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_source(path: Path, expected_sha256: str | None = None) -> str:
    """Read the annex; refuse a file whose sha256 differs from the recorded one."""
    if not path.is_file():
        raise SourceError(f"{path}: the annex is missing")
    if expected_sha256 is not None:
        actual = sha256_of(path)
        if actual != expected_sha256:
            raise SourceError(
                f"{path}: sha256 {actual} differs from the recorded {expected_sha256} "
                "(the source of record changed: review it, then update data/source/SHA256SUMS)"
            )
    return path.read_bytes().decode("utf-8")


# --------------------------------------------------------------------------- slugs


_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    """Lowercase ASCII slug: æ→ae, ø→oe, å→aa, anything else non-alphanumeric → '-'."""
    text = text.translate(_TRANSLIT).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # without the newline
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(raw: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for part in raw.split("\n"):
        out.append(_Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return out


def _starts_lower(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and t[0].islower()


def _is_heading_candidate(lines: list[_Line], i: int, after_heading: bool) -> bool:
    """A short, unpunctuated line after a break, followed by a line that starts a paragraph.

    A wrapped paragraph line runs on into a lowercase word or ends mid-phrase; a heading is
    followed by a line starting with a capital and has no final full stop or comma.
    """
    line = lines[i]
    s = line.stripped
    if not s or _BULLET.match(line.text) or s.endswith((".", ",", ":")) or not s[0].isupper():
        return False
    if len(s) > SUBSECTION_MAX_LEN or _FOOTNOTE_LINE.match(s):
        return False
    if "," in re.sub(r"\([^)]*\)", "", s):
        return False  # a comma outside parentheses reads as running text
    if line.text != line.text.rstrip() and len(s) > 60:
        return False  # the PDF leaves a trailing space on wrapped running text, not on headings
    prev_blank = i == 0 or lines[i - 1].blank
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is None or nxt.blank or not nxt.stripped[0].isupper():
        return False
    return prev_blank or after_heading


# --------------------------------------------------------------------------- blocks


@dataclass
class _Block:
    kind: str  # title | area | section | subsection | paragraph | item | footnote | subtitle
    lines: list[_Line]
    number: int | None = None


def _blocks(raw: str) -> list[_Block]:
    lines = _lines(raw)
    blocks: list[_Block] = []
    current: _Block | None = None  # the open paragraph or item
    pending_blank = False
    section_titles = {t.lower() for t in SECTION_TITLES}
    for i, line in enumerate(lines):
        s = line.stripped
        if line.blank:
            pending_blank = True
            continue
        footnote = _FOOTNOTE_LINE.match(s)
        if footnote and current is not None and current.kind == "paragraph":
            # Footnotes sit at the foot of a page, inside the paragraph that runs on.
            blocks.append(_Block("footnote", [line], number=int(footnote.group(1))))
            pending_blank = False
            continue
        if s in AREA_TITLES:
            blocks.append(_Block("area", [line]))
            current = None
        elif not blocks:
            blocks.append(_Block("title", [line]))
            current = None
        elif s.rstrip(":").strip().lower() in section_titles and len(s) < 20:
            blocks.append(_Block("section", [line]))
            current = None
        elif s.rstrip(":").strip() == "Udfordringer":
            blocks.append(_Block("subsection", [line]))
            current = None
        elif _BULLET.match(line.text) and blocks[-1].kind == "area":
            blocks.append(_Block("subtitle", [line]))
            current = None
        elif _BULLET.match(line.text):
            current = _Block("item", [line])
            blocks.append(current)
        elif current is not None and _starts_lower(line.text):
            # Lowercase after a break continues the paragraph or item (PDF page or column break).
            current.lines.append(line)
        elif current is not None and not pending_blank and not line.text.startswith(" "):
            current.lines.append(line)
        elif _is_heading_candidate(lines, i, after_heading=current is None and bool(blocks)
                                   and blocks[-1].kind in HEADING_KINDS):
            blocks.append(_Block("subsection", [line]))
            current = None
        else:
            # A blank line, or a leading space (top of a new page), starts a new paragraph.
            current = _Block("paragraph", [line])
            blocks.append(current)
        pending_blank = False
    return blocks


# --------------------------------------------------------------------------- normalising


def _join_lines(raw: str, lines: list[_Line], drop_bullet: bool) -> tuple[str, list[int]]:
    """Normalise the lines of one block: returns the text and each character's original offset."""
    chars: list[str] = []
    where: list[int] = []
    for n, line in enumerate(lines):
        text = line.text
        offset = line.start
        if n == 0 and drop_bullet:
            m = _BULLET.match(text)
            if m:
                offset += m.end()
                text = text[m.end():]
        # leading whitespace of the line
        lead = len(text) - len(text.lstrip())
        offset += lead
        text = text.lstrip()
        if n > 0 and chars:
            prev_line = lines[n - 1].text
            prev_trailing_space = prev_line != prev_line.rstrip()
            if chars[-1] == "-" and not prev_trailing_space:
                before = chars[-2] if len(chars) > 1 else " "
                if before.isalpha() and text[:1].islower():
                    # "føde-⏎varer": a line-break hyphenation, undone.
                    chars.pop()
                    where.pop()
                elif before == " ":
                    # "test sites og -⏎faciliteter": a real hyphen, kept, joined without space.
                    pass
                else:
                    pass  # "Nord-⏎Syd": a real hyphen before a capital, kept.
            else:
                chars.append(" ")
                where.append(line.start - 1)  # the newline
        body = text.rstrip()
        for k, ch in enumerate(body):
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            where.append(offset + k)
    return "".join(chars), where


_MARKER = re.compile(r"(?<=[^\W\d_])(\d{1,2})(?=[\s,.;:)]|$)")


def _remove_markers(
    text: str, where: list[int], numbers: set[int]
) -> tuple[str, list[int], list[tuple[int, int, int]]]:
    """Drop footnote markers glued to words; returns (text, map, [(number, raw, norm_pos)])."""
    refs: list[tuple[int, int, int]] = []
    out_chars: list[str] = []
    out_where: list[int] = []
    last = 0
    for m in _MARKER.finditer(text):
        if int(m.group(1)) not in numbers:
            continue
        out_chars.extend(text[last:m.start()])
        out_where.extend(where[last:m.start()])
        refs.append((int(m.group(1)), where[m.start()], len(out_chars)))
        last = m.end()
    out_chars.extend(text[last:])
    out_where.extend(where[last:])
    return "".join(out_chars), out_where, refs


# --------------------------------------------------------------------------- sentences


_SENT_END = re.compile(r"([.!?]+)(?=\s+[\"”’(]?[A-ZÆØÅ0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence [start, end) ranges of one normalised block (Danish abbreviations respected)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        word = re.search(r"(\S+)$", text[start:m.start()])
        token = (word.group(1) if word else "").lower().lstrip("(")
        if m.group(1) == "." and token.rstrip(".") in _NEVER_FINAL:
            continue
        if m.group(1) == "." and re.fullmatch(r"\d+", token):
            # "den 4. industrielle" style ordinals are followed by lowercase; a digit-final
            # sentence followed by a capital is a real end.
            pass
        end = m.end()
        spans.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return spans


# --------------------------------------------------------------------------- segmenting


def segment(raw: str) -> Document:
    """Normalise and segment the annex text (the whole pipeline of this module)."""
    blocks = _blocks(raw)
    numbers = {b.number for b in blocks if b.kind == "footnote" and b.number is not None}

    pieces: list[str] = []
    to_raw: list[int] = []
    segs: list[Segment] = []
    refs: list[FootnoteRef] = []

    doc_id = "bilag"
    area_id: str | None = None
    section_id: str | None = None
    sub_id: str | None = None
    counters: dict[str, int] = {}
    # container id -> [first norm, last norm, first raw, last raw]
    open_ids: dict[str, list[int]] = {}
    parents: dict[str, str | None] = {}
    kinds: dict[str, str] = {}
    titles: dict[str, str] = {}
    title_text = ""

    def extend(container: str | None, ns: int, ne: int, rs: int, re_: int) -> None:
        while container is not None:
            span = open_ids[container]
            span[0] = min(span[0], ns)
            span[1] = max(span[1], ne)
            span[2] = min(span[2], rs)
            span[3] = max(span[3], re_)
            container = parents[container]

    def open_container(cid: str, kind: str, parent: str | None, title: str) -> None:
        """Register a heading's segment, in reading order; its span grows with its content."""
        if cid in open_ids:
            raise SourceError(f"two headings give the same segment id {cid!r}")
        open_ids[cid] = [10**9, -1, 10**9, -1]
        parents[cid] = parent
        kinds[cid] = kind
        titles[cid] = title
        order.append(cid)

    order: list[str] = []
    open_container(doc_id, "document", None, "")

    for block in blocks:
        text, where = _join_lines(raw, block.lines, drop_bullet=block.kind == "item")
        block_refs: list[tuple[int, int, int]] = []
        if block.kind == "paragraph":
            text, where, block_refs = _remove_markers(text, where, numbers)
        if block.kind == "footnote":
            # "1 Produktionspanelet (2015): Gode job" -> the cited work without its number.
            m = re.match(r"\d{1,2} ", text)
            if m:
                text, where = text[m.end():], where[m.end():]
        if not text:
            continue
        if pieces:
            pieces.append("\n")
            to_raw.append(where[0])
        ns = sum(len(p) for p in pieces)
        pieces.append(text)
        to_raw.extend(where)
        ne = ns + len(text)
        rs, re_ = where[0], where[-1] + 1

        if block.kind == "title":
            title_text = text
            extend(doc_id, ns, ne, rs, re_)
            continue
        if block.kind == "area":
            area_id = AREA_TITLES[text]
            section_id = sub_id = None
            open_container(area_id, "area", doc_id, text)
            extend(area_id, ns, ne, rs, re_)
            continue
        if block.kind == "subtitle":
            assert area_id is not None
            titles[area_id] = f"{titles[area_id]} {text}"
            extend(area_id, ns, ne, rs, re_)
            continue
        if block.kind == "section":
            assert area_id is not None
            name = text.rstrip(":").strip()
            section_id = f"{area_id}-{slugify(name)}"
            sub_id = None
            open_container(section_id, "section", area_id, name)
            extend(section_id, ns, ne, rs, re_)
            continue
        if block.kind == "subsection":
            assert area_id is not None
            if section_id is None:
                section_id = f"{area_id}-indledning"
                open_container(section_id, "section", area_id, "Indledning")
            name = text.rstrip(":").strip()
            short = name.split(" (")[0]
            sub_id = f"{section_id}-{slugify(short)}"
            open_container(sub_id, "subsection", section_id, name)
            extend(sub_id, ns, ne, rs, re_)
            continue
        if block.kind == "footnote":
            fid = f"fodnote-{block.number}"
            segs.append(
                Segment(fid, "footnote", rs, re_, ns, ne, text, parent=doc_id, number=block.number)
            )
            continue

        # paragraph or item
        if area_id is None:
            raise SourceError(f"text before the first business area at offset {rs}")
        if section_id is None:
            section_id = f"{area_id}-indledning"
            open_container(section_id, "section", area_id, "Indledning")
        container = sub_id or section_id
        prefix = "p" if block.kind == "paragraph" else "punkt"
        key = f"{container}-{prefix}"
        counters[key] = counters.get(key, 0) + 1
        pid = f"{key}{counters[key]}"
        segs.append(Segment(pid, block.kind, rs, re_, ns, ne, text, parent=container))
        extend(container, ns, ne, rs, re_)
        for num, raw_off, norm_pos in block_refs:
            refs.append(FootnoteRef(num, raw_off, ns + norm_pos, pid))
        for k, (a, b) in enumerate(split_sentences(text), start=1):
            sa, sb = ns + a, ns + b
            segs.append(
                Segment(
                    f"{pid}-s{k}", "sentence", to_raw[sa], to_raw[sb - 1] + 1, sa, sb,
                    text[a:b], parent=pid,
                )
            )

    normalised = "".join(pieces)
    to_raw.append(len(raw))
    containers = [
        Segment(
            cid, kinds[cid], open_ids[cid][2], open_ids[cid][3], open_ids[cid][0],
            open_ids[cid][1], normalised[open_ids[cid][0]:open_ids[cid][1]],
            parent=parents[cid], title=titles[cid] or None,
        )
        for cid in order
        if open_ids[cid][1] >= 0
    ]
    all_segs = sorted(containers + segs, key=lambda s: (s.start, -s.end, s.id))
    return Document(raw, normalised, to_raw, all_segs, refs, title_text)
