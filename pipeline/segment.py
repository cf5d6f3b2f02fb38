"""Segmentation: the normalised text of a plan -> its section tree.

Which numbering family nests in which is not fixed: it follows the order in which families open in
the document, plus sequence continuity. Plan A goes 一、 → 1. directly, plan B 一、 → （一） → 1. → （1）;
a family already open becomes a sibling again (2. after 1.), a new family becomes a child of the
innermost open section, and a "1." that restarts an open family without a higher heading between
is a sub-list of the open item. An unnumbered heading (总体目标) sits at the level of the top
numbered family; when a numbered heading that does not start at 1 follows it (总体目标 … 二、具体任务),
the unnumbered heading stood in for the missing first sibling.

Appendices (附件 / 附件2 on a line of their own) start a new top-level container, so the numbering
inside them never collides with the main body. The list of appendix titles at the end of the body
("附件：1.… 2.…") is not a section: it closes the body, and its numbered lines are not items. So
does a sign-off (issuer and date, extractors/metadata/sign_off.py) after the first heading.

The stage sees only the text and a `to_span(start, end) -> CharSpan` callable (the cleaner's
`CleanText.span`); it works on raw text too (cell fragments between table lines are skipped).
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import TypeAdapter

from extractors.headings import APPENDIX_LIST, DECIMAL, HeadingMatch, classify_line, heading_rules
from extractors.metadata.sign_off import closing_sign_offs
from schemas.document import Section
from schemas.labels import LabelStyle, SectionKind
from schemas.spans import CharSpan

log = logging.getLogger(__name__)

ToSpan = Callable[[int, int], CharSpan]

_CANDIDATE_FIRST = frozenset("0123456789０１２３４５６７８９（(第附一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
_BLANKS = " \u3000\xa0"
_UNNUMBERED_MAX = 16  # an unnumbered heading is a short line
_CAPTION_MAX = 80     # an appendix caption is one title line
_LIST_FIRST = re.compile(r"[ \u3000\xa0]*附\s*[件表]\s*[:：]\s*1\s*[.．、]")


@dataclass
class _Node:
    kind: SectionKind
    style: LabelStyle
    key: str
    label: str | None
    number: int | None
    title: str | None
    start: int
    title_span: tuple[int, int] | None = None
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    transparent: bool = False  # a wrapper appendix: the plan itself, adds no label to paths


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    match: HeadingMatch


def heading_lines(text: str) -> list[Line]:
    """Every line that opens with a label or is an unnumbered heading, in order. Fragments of table
    cells in raw text (a non-tab line between two table lines) are skipped."""
    rules = heading_rules()
    # one split and a running offset, no (start, end, line) tuple per line: this loop sees every
    # line of the document, and classify_line only the few that can open a section
    lines = text.split("\n")
    out: list[Line] = []
    prev_tab = False  # the previous non-blank line is a table line
    start = 0
    for i, line in enumerate(lines):
        end = start + len(line)
        stripped = line.lstrip(_BLANKS)
        if stripped:
            has_tab = "\t" in line
            if not has_tab and (stripped[0] in _CANDIDATE_FIRST or len(stripped) <= _UNNUMBERED_MAX):
                m = classify_line(line, rules)
                if m is not None and not (prev_tab and _next_is_table(lines, i)):
                    out.append(Line(start, end, m))
            prev_tab = has_tab
        start = end + 1
    return out


def coherent_decimals(lines: list[Line]) -> list[Line]:
    """Drop decimal labels (1 / 1.1 / 2.1.1) that do not form a coherent sequence. A label is kept
    where it opens its family ("1", or "x.1" under a kept "x" or a "x." item) or follows its kept
    sibling ("1.2" after "1.1"); and a document uses decimal headings at all only where some kept label has two
    or more parts (a lone "1 总体要求" among body lines proves nothing). Every appendix starts
    afresh."""
    if not any(ln.match.key.startswith(DECIMAL) for ln in lines):
        return lines
    seen: set[str] = set()
    keep: set[int] = set()
    nested = False
    for i, ln in enumerate(lines):
        m = ln.match
        if m.style is LabelStyle.APPENDIX:
            seen = set()
            continue
        if m.style is LabelStyle.ARABIC_DOT and not m.bare and m.key == "arabic_dot" and m.label:
            seen.add(m.label)   # "1.总体要求" may head "1.1 工作目标" too
            continue
        if not m.key.startswith(DECIMAL) or m.label is None or m.number is None:
            continue
        parent, _, _last = m.label.rpartition(".")
        prev = f"{parent}.{m.number - 1}" if parent else str(m.number - 1)
        if (m.number == 1 and (not parent or parent in seen)) or prev in seen:
            seen.add(m.label)
            keep.add(i)
            nested = nested or bool(parent)
        else:
            log.debug("W-SEG-DECIMAL: %s at %d does not continue a decimal sequence; kept as body text",
                      m.label, ln.start)
    return [ln for i, ln in enumerate(lines)
            if not ln.match.key.startswith(DECIMAL) or (nested and i in keep)]


def _next_is_table(lines: list[str], i: int) -> bool:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return lines[j].startswith("\t")
    return False


class _Builder:
    """Places heading lines into a tree with a stack of open sections."""

    def __init__(self, text: str):
        self.text = text
        self.nodes: list[_Node] = [_Node(SectionKind.DOCUMENT, LabelStyle.NONE, "document", None, None, None, 0)]
        self.stack: list[int] = []        # open sections, outermost first (the root is implicit)
        self.container = 0                # root or the current appendix
        self.last_number: dict[tuple[int, str], int] = {}
        self.barriers: list[int] = []     # positions that close every open section (appendix lists)
        self.list_expect: int | None = None  # next number of an appendix-title list
        self.seen_numbered = False

    # -- helpers -------------------------------------------------------------------------------
    def _base(self) -> int:
        return 1 if self.container else 0

    def _parent(self) -> int:
        return self.stack[-1] if self.stack else 0

    def _push(self, node: _Node) -> int:
        node.parent = self._parent()
        self.nodes.append(node)
        idx = len(self.nodes) - 1
        self.nodes[node.parent].children.append(idx)
        self.stack.append(idx)
        return idx

    def _node(self, ln: Line, kind: SectionKind) -> _Node:
        m = ln.match
        span = (ln.start + m.title_start, ln.start + m.title_end) if m.title else None
        line = self.text[ln.start:ln.end]
        start = ln.start + len(line) - len(line.lstrip(_BLANKS))  # the section opens at its label
        return _Node(kind, m.style, m.key, m.label, m.number, m.title, start, span)

    # -- one heading line ------------------------------------------------------------------------
    def add(self, ln: Line, next_line: tuple[int, int, str] | None) -> None:
        m = ln.match
        if m.key == APPENDIX_LIST:
            self._appendix_list(ln)
            return
        if self.list_expect is not None:
            if m.style is LabelStyle.ARABIC_DOT and m.number == self.list_expect:
                self.list_expect += 1
                log.debug("W-SEG-LIST: %s at %d continues the appendix list; not an item", m.label, ln.start)
                return  # "2.xxx" continuing "附件：1.xxx"
            self.list_expect = None
        if m.style is LabelStyle.APPENDIX:
            self._appendix(ln, next_line)
        elif m.style is LabelStyle.UNNUMBERED:
            del self.stack[self._base():]
            self._push(self._node(ln, SectionKind.HEADING))
        else:
            self._numbered(ln)

    def _appendix_list(self, ln: Line) -> None:
        self.stack.clear()
        self.container = 0
        self.barriers.append(ln.start)
        # "附件：1.xxx" announces "2.xxx" on the following lines
        self.list_expect = 2 if _LIST_FIRST.match(self.text, ln.start, ln.end) else None

    def _appendix(self, ln: Line, next_line: tuple[int, int, str] | None) -> None:
        self.stack.clear()
        node = self._node(ln, SectionKind.APPENDIX)
        # a notice that wraps the plan as its only appendix: the appendix is the plan itself
        node.transparent = not self.seen_numbered and all(n.kind is not SectionKind.APPENDIX for n in self.nodes)
        if next_line is not None:
            start, end, line = next_line
            cap = line.strip()
            if cap and "\t" not in line and len(cap) <= _CAPTION_MAX and classify_line(line) is None:
                offset = start + len(line) - len(line.lstrip())
                node.title, node.title_span = cap, (offset, offset + len(cap))
        self.container = self._push(node)

    def _numbered(self, ln: Line) -> None:
        m = ln.match
        base = self._base()
        seq = (self.container, m.key)
        last = self.last_number.get(seq)
        if m.bare and (m.number is None or last is None or m.number != last + 1):
            # a bare number that does not continue its siblings is body text ("3个…")
            log.debug("W-SEG-BARE: bare number %s at %d does not continue %s; kept as body text",
                      m.label, ln.start, last)
            return
        same = [i for i in range(len(self.stack) - 1, base - 1, -1) if self.nodes[self.stack[i]].key == m.key]
        # the innermost open section this number continues, else the innermost of the family
        pos = next((i for i in same if m.number is not None and self.nodes[self.stack[i]].number == m.number - 1),
                   same[0] if same else None)
        if pos is not None:
            prev = self.nodes[self.stack[pos]].number
            restart = m.number == 1 and prev is not None and prev >= 1
            if not restart:
                del self.stack[pos:]
            # else: "1." again without a higher heading between: a sub-list of the open section
        else:
            unnumbered = next((i for i in range(base, len(self.stack))
                               if self.nodes[self.stack[i]].style is LabelStyle.UNNUMBERED), None)
            if unnumbered is not None and m.number is not None and m.number > 1 and last is None:
                del self.stack[unnumbered:]  # 总体目标 stood in for 一、
        kind = SectionKind.ITEM if m.is_item else SectionKind.HEADING
        self._push(self._node(ln, kind))
        self.seen_numbered = True
        if m.number is not None:
            self.last_number[seq] = m.number

    # -- output --------------------------------------------------------------------------------
    def sections(self, to_span: ToSpan, first_heading: int | None) -> list[Section]:
        text = self.text
        nodes = self.nodes
        barriers = sorted(self.barriers)
        if first_heading is None:
            first_heading = self.barriers[0] if self.barriers else len(text)
        else:
            first_heading = min([first_heading, *self.barriers[:1]])
        if text[:first_heading].strip():
            lead = len(text) - len(text.lstrip())
            pre = _Node(SectionKind.PREAMBLE, LabelStyle.NONE, "preamble", None, None, None, lead, parent=0)
            nodes.insert(1, pre)
            for n in nodes:  # shift indices after the insertion
                if n.parent is not None and n is not pre and n.parent >= 1:
                    n.parent += 1
                n.children = [c + 1 for c in n.children]
            nodes[0].children.insert(0, 1)
        last_desc = list(range(len(nodes)))
        for i in range(len(nodes) - 1, 0, -1):
            p = nodes[i].parent
            if p is not None:
                last_desc[p] = max(last_desc[p], last_desc[i])
        out: list[dict] = []
        paths: list[list[str]] = []
        depths: list[int] = []
        for i, n in enumerate(nodes):
            if i == 0:
                start, end, path, depth = 0, len(text), [], 0
            else:
                start = n.start
                nxt = last_desc[i] + 1
                end = nodes[nxt].start if nxt < len(nodes) else len(text)
                if n.kind is SectionKind.PREAMBLE:
                    end = first_heading
                k = bisect_right(barriers, start)   # the first barrier after the start (sorted)
                if k < len(barriers):
                    end = min(end, barriers[k])
                end = start + len(text[start:end].rstrip())
                parent_path = paths[n.parent]
                path = parent_path + [n.label] if n.label and not n.transparent else list(parent_path)
                depth = depths[n.parent] + 1
            paths.append(path)
            depths.append(depth)
            tspan = to_span(*n.title_span) if n.title_span else None
            out.append({"index": i, "parent": n.parent, "depth": depth, "kind": n.kind, "label": n.label,
                        "label_style": n.style, "path": path, "title": n.title, "text": text[start:end],
                        "span": to_span(start, end), "title_span": tspan})
        return _SECTIONS.validate_python(out)


# The sections validated as one list (every field given, as keyword construction would): one
# pydantic-core call instead of a Python __init__ per section.
_SECTIONS = TypeAdapter(list[Section])


def segment(text: str, to_span: ToSpan) -> list[Section]:
    """The section tree of a document, in document order; index 0 is the root (whole text)."""
    lines = coherent_decimals(heading_lines(text))
    builder = _Builder(text)
    for ln in lines:
        # only an appendix heading reads the line after it (its caption)
        builder.add(ln, _line_after(text, ln.end) if ln.match.style is LabelStyle.APPENDIX else None)
    first = builder.nodes[1].start if len(builder.nodes) > 1 else None
    if first is not None:
        # A sign-off after the first heading closes the body: the last item must not run on into
        # the issuer's name and the signing date (a plan signed at its foot).
        builder.barriers = sorted(builder.barriers + closing_sign_offs(text, first, {ln.start for ln in lines}))
    return builder.sections(to_span, first)


def _line_after(text: str, pos: int) -> tuple[int, int, str] | None:
    """The next non-blank line after position `pos` (the end of a line)."""
    n = len(text)
    while pos < n:
        start = pos + 1
        end = text.find("\n", start)
        end = n if end < 0 else end
        line = text[start:end]
        if line.strip():
            return start, end, line
        pos = end
    return None
