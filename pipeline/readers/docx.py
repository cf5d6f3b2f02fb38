"""Word .docx plans -> plain text in the .txt conventions, with a block table for provenance.

Read straight from the OOXML parts with lxml (python-docx's object layer costs more than the rest
of the reader and still drops list labels): the body in document order; paragraphs with their
automatic-numbering labels (docx_numbering); tables flattened one row per line, merged cells
rebuilt (table_text); text boxes as their own paragraphs after the paragraph anchoring them;
nested tables inside a cell flattened into that cell's text. Headers, footers, footnotes and
comments live in other parts and are never read; deleted revisions (w:del) are skipped.

Blocks: every output line (a body paragraph, a text-box paragraph, a table row) is one block,
numbered from 0 in document order; `block_starts[i]` is where block i starts in the text.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.errors import Errors, IngestError
from pipeline.readers.base import ReaderOutput, register_reader
from pipeline.readers.docx_numbering import W, Numbering
from pipeline.readers.table_text import MERGED_DOWN, clean_cell, flatten_table

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WPS_TXBX = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}txbx"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
# Elements whose text is not part of the visible body text.
_SKIP = {W + "del", W + "delText", W + "instrText", W + "fldData", W + "rPr", W + "pPr", _MC + "Fallback",
         W + "footnoteReference", W + "endnoteReference", W + "commentReference"}


class _Styles:
    """Paragraph styles' numbering (headings are often numbered through their style)."""

    def __init__(self, root):
        self.num: dict[str, tuple[str | None, int | None]] = {}
        self.based_on: dict[str, str] = {}
        if root is None:
            return
        for st in root.iter(W + "style"):
            sid = st.get(W + "styleId")
            based = st.find(W + "basedOn")
            if based is not None:
                self.based_on[sid] = based.get(W + "val")
            numpr = st.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                num_id = numpr.find(W + "numId")
                ilvl = numpr.find(W + "ilvl")
                self.num[sid] = (num_id.get(W + "val") if num_id is not None else None,
                                 int(ilvl.get(W + "val")) if ilvl is not None else None)

    def numpr(self, style_id: str | None) -> tuple[str | None, int]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.num:
                num_id, ilvl = self.num[style_id]
                return num_id, ilvl or 0
            style_id = self.based_on.get(style_id)
        return None, 0


class _Reader:
    def __init__(self, numbering: Numbering, styles: _Styles):
        self.numbering = numbering
        self.styles = styles
        self.lines: list[str] = []

    # -- paragraphs -------------------------------------------------------------------------
    def _label(self, p) -> str:
        ppr = p.find(W + "pPr")
        num_id, ilvl = None, 0
        style_id = None
        if ppr is not None:
            numpr = ppr.find(W + "numPr")
            pstyle = ppr.find(W + "pStyle")
            style_id = pstyle.get(W + "val") if pstyle is not None else None
            if numpr is not None:
                nid = numpr.find(W + "numId")
                lvl = numpr.find(W + "ilvl")
                num_id = nid.get(W + "val") if nid is not None else None
                if lvl is not None:
                    ilvl = int(lvl.get(W + "val"))
                elif num_id is not None:
                    ilvl = self.styles.numpr(style_id)[1]
        if num_id is None:
            num_id, style_lvl = self.styles.numpr(style_id)
            ilvl = style_lvl if num_id is not None else 0
        return self.numbering.label(num_id, ilvl) if num_id else ""

    def _runs_text(self, el, boxes: list) -> str:
        """Visible text of a paragraph (or part of one), text boxes collected separately."""
        out = []
        stack = [iter(el)]
        while stack:
            for child in stack[-1]:
                tag = child.tag
                if tag in _SKIP or not isinstance(tag, str):
                    continue
                if tag == W + "t":
                    out.append(child.text or "")
                elif tag == W + "tab" or tag == W + "ptab":
                    out.append("\t")
                elif tag in (W + "br", W + "cr"):
                    if child.get(W + "type") != "page":   # a page break is layout, not text
                        out.append("\n")
                elif tag == W + "noBreakHyphen":
                    out.append("-")
                elif tag == W + "txbxContent" or tag == _WPS_TXBX:
                    boxes.append(child)
                else:
                    stack.append(iter(child))
                    break
            else:
                stack.pop()
        return "".join(out)

    def paragraph_text(self, p) -> tuple[str, list]:
        boxes: list = []
        label = self._label(p)
        return label + self._runs_text(p, boxes), boxes

    def body_paragraph(self, p) -> None:
        text, boxes = self.paragraph_text(p)
        # A tab inside a body paragraph is spacing, not a table cell: keep lines free of tabs.
        self.lines.append(text.replace("\t", " "))
        for box in boxes:
            self.container(box)

    # -- tables -----------------------------------------------------------------------------
    def cell_text(self, tc) -> str:
        parts = []
        for child in tc:
            if child.tag == W + "p":
                text, boxes = self.paragraph_text(child)
                parts.append(text)
                for box in boxes:
                    parts.extend(self.paragraph_text(bp)[0] for bp in box.iter(W + "p"))
            elif child.tag == W + "tbl":   # nested table: its cells' text, in reading order
                for row in self.table_grid(child):
                    parts.extend(c for c in row if c)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    parts.append(self.cell_text(content))
        return clean_cell(" ".join(p for p in parts if p.strip()))

    def table_grid(self, tbl) -> list[list[str | None]]:
        grid: list[list[str | None]] = []
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl and not (tr.getparent().tag == W + "sdtContent"):
                continue   # rows of nested tables are read through their cell
            row: list[str | None] = []
            trpr = tr.find(W + "trPr")
            if trpr is not None:
                before = trpr.find(W + "gridBefore")
                if before is not None:
                    row.extend([""] * int(before.get(W + "val", "0")))
            for tc in tr.iter(W + "tc"):
                if tc.getparent() is not tr:
                    if tc.getparent().tag != W + "sdtContent" or tc.getparent().getparent().getparent() is not tr:
                        continue
                tcpr = tc.find(W + "tcPr")
                span, merged = 1, False
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        span = int(gs.get(W + "val", "1"))
                    vm = tcpr.find(W + "vMerge")
                    merged = vm is not None and vm.get(W + "val", "continue") == "continue"
                row.append(MERGED_DOWN if merged else self.cell_text(tc))
                row.extend(([MERGED_DOWN] if merged else [""]) * (span - 1))
            grid.append(row)
        return grid

    def table(self, tbl) -> None:
        self.lines.extend(flatten_table(self.table_grid(tbl)))

    # -- body -------------------------------------------------------------------------------
    def container(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "p":
                self.body_paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins", W + "smartTag"):
                self.container(child.find(W + "sdtContent") if tag == W + "sdt" and
                               child.find(W + "sdtContent") is not None else child)


def _part(zf: zipfile.ZipFile, name: str):
    """The parsed part, or None if absent."""
    try:
        raw = zf.read(name)
    except KeyError:
        return None
    return etree.fromstring(raw, _PARSER)


_W_PREFIX = re.compile(rb'xmlns:([A-Za-z_][\w.-]*)=["\']http://schemas.openxmlformats.org/wordprocessingml/2006/main["\']')
_STYLE_ID = re.compile(rb'styleId=["\']([^"\']*)["\']')
_BASED_ON = re.compile(rb'basedOn\b[^>]*?val=["\']([^"\']*)["\']')


def _styles_part(zf: zipfile.ZipFile, name: str, used: set[str]):
    """The styles part reduced to the styles the body uses and those they are based on.

    Why: styles.xml is mostly definitions no paragraph uses (Word's and python-docx's templates
    carry 160+ styles, 350 KB); parsing all of it took most of the reader's time. The style
    elements are cut from the bytes (they do not nest) and parsed under the part's own root tag,
    so every namespace declaration holds; anything unexpected falls back to parsing the part."""
    try:
        raw = zf.read(name)
    except KeyError:
        return None
    if b"numPr" not in raw or not used:   # no style is numbered, or the body uses none
        return None
    head = _W_PREFIX.search(raw, 0, 8192)
    if head is None:
        return etree.fromstring(raw, _PARSER)
    prefix = re.escape(head.group(1))
    root = re.search(rb"<" + prefix + rb":styles\b[^>]*>", raw)
    if root is None:
        return etree.fromstring(raw, _PARSER)
    close = b"</" + head.group(1) + b":style>"
    snippets: dict[str, bytes] = {}
    for m in re.finditer(rb"<" + prefix + rb":style\b([^>]*)>", raw):
        if m.group(1).endswith(b"/"):
            continue
        sid = _STYLE_ID.search(m.group(1))
        end = raw.find(close, m.end())
        if sid is None or end < 0:
            return etree.fromstring(raw, _PARSER)
        snippets[sid.group(1).decode("utf-8", "replace")] = raw[m.start():end + len(close)]
    keep, todo = {}, list(used)
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in snippets:
            continue
        keep[sid] = snippets[sid]
        based = _BASED_ON.search(keep[sid])
        if based is not None:
            todo.append(based.group(1).decode("utf-8", "replace"))
    return etree.fromstring(root.group(0) + b"".join(keep.values()) + b"</" + head.group(1) + b":styles>", _PARSER)


def _main_part_name(zf: zipfile.ZipFile) -> str:
    # The main document is usually word/document.xml; the package relationships say for sure.
    rels = _part(zf, "_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def docx_to_text(data: bytes) -> ReaderOutput:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(Errors.E023, detail=f"not a zip archive ({exc})") from exc
    try:
        main = _main_part_name(zf)
        doc = _part(zf, main)
        if doc is None:
            raise IngestError(Errors.E023, detail=f"no main document part {main!r} in the package")
        folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
        used = {el.get(W + "val") for el in doc.iter(W + "pStyle")}
        styles = _Styles(_styles_part(zf, folder + "styles.xml", used))
        numbered = styles.num or doc.find(f".//{W}numPr") is not None
        numbering = Numbering(_part(zf, folder + "numbering.xml") if numbered else None)
    except etree.XMLSyntaxError as exc:
        raise IngestError(Errors.E023, detail=f"malformed XML ({exc})") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:   # truncated or damaged members
        raise IngestError(Errors.E023, detail=f"damaged archive member ({exc})") from exc
    body = doc.find(W + "body")
    if body is None:
        raise IngestError(Errors.E023, detail="the document part has no w:body")
    reader = _Reader(numbering, styles)
    reader.container(body)
    starts, pos = [], 0
    for line in reader.lines:
        starts.append(pos)
        pos += len(line) + 1
    text = "\n".join(reader.lines) + "\n"
    if not text.strip():
        raise IngestError(Errors.E003)
    return ReaderOutput(text=text, encoding=None, block_starts=tuple(starts))


@register_reader((".docx", ".docm"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
def read_docx(path: Path, data: bytes) -> ReaderOutput:
    return docx_to_text(data)
