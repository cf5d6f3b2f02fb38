"""Classify one line of a plan: does it open with a numbering label (一、 （一） 1. （1） ① 第一章 附件2),
or is it an unnumbered heading (总体目标)? Pure: no state, no knowledge of the surrounding lines.

The patterns live in extractors/data/rules/headings.yaml. Whether a match really opens a section
(a bare "21抓好…" continues its siblings' sequence, a "2." belongs to an appendix list …) is decided
by the segmenter, which sees the whole document.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
from dataclasses import dataclass

from extractors.numbers import NumberError, parse_number
from extractors.ruleset import Rule, RuleSet, load_ruleset
from schemas.labels import LabelStyle

RULESET = "headings"
# rule labels that are not numbering styles
APPENDIX_LIST = "appendix_list"
UNNUMBERED = "unnumbered"
TITLE_TRIM = "title_trim"
DECIMAL = "decimal"   # the numeral kind (and key prefix) of decimal labels: 1 / 1.1 / 2.1.1

_LEADING_BLANKS = " \u3000\xa0"
_TITLE_END = "。"
_TRAILING_PUNCT = " \u3000\xa0：:；;，,"


@dataclass(frozen=True, slots=True)
class HeadingMatch:
    """A label or heading found at the start of one line. Offsets are relative to the line."""

    rule_id: str
    style: LabelStyle
    key: str                 # numbering family used for nesting: cn_comma, arabic_dot, appendix …
    label: str | None        # as gold paths cite it: 二, （一）, 1, （1）, ①, 第一章, 附件2
    number: int | None       # the label's value in its sequence, for continuity checks
    bare: bool               # a number without its delimiter ("21抓好"): valid only in sequence
    title: str | None        # heading text, or an item's lead phrase up to its first 。
    title_start: int
    title_end: int
    rest_start: int          # where the text after the label begins
    is_item: bool            # the lead phrase runs on into body text (a 。 on the line)


def _numeral(value: str, how: str) -> int | None:
    if how == "circled":
        return int(unicodedata.numeric(value))
    if how in ("cn", "arabic"):
        try:
            return int(parse_number(value))
        except NumberError:
            return None
    return None


@lru_cache(maxsize=4096)
def _label(template: str | None, how: str, raw: str, unit: str) -> tuple[str | None, int | None]:
    """The cited label and its number. Cached: documents repeat the same few labels (一 … 十,
    1 … 20), and reading the numeral (a Decimal via parse_number) costs µs on every heading."""
    if template is None:
        return None, None
    number = _numeral(raw, how) if raw else None
    shown = str(number) if how == "arabic" and number is not None else raw
    return template.format(n=shown, unit="".join(unit.split())), number


@lru_cache(maxsize=1024)
def _decimal(raw: str) -> tuple[str, int, int]:
    """A decimal label ("2.1.1", "２．１") as cited (ASCII digits and dots), the number of its last
    part (its place among its siblings) and its number of parts (its depth)."""
    parts = [str(int(p)) for p in raw.replace("．", ".").split(".")]
    return ".".join(parts), int(parts[-1]), len(parts)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A rule set split once into label rules and title-trimming rules (classify_line is hot)."""

    labels: tuple[tuple[Rule, str, dict], ...]   # (rule, nesting key, value)
    # per label rule, what classify_line reads of it on every match: (style or None for the
    # unnumbered and appendix-list rules, label template, numeral kind, bare)
    reads: tuple[tuple[LabelStyle | None, str | None, str, bool], ...]
    trims: tuple[Rule, ...]
    combined: regex.Pattern                      # all label rules as one alternation, file order
    rule_groups: tuple[int, ...]                 # group number of each rule's alternative r<i>
    n_group: int | None                          # group numbers of the shared names (n) and (unit)
    unit_group: int | None


_PREPARED: dict[int, tuple[RuleSet, _Prepared]] = {}


def _prepare(rules: RuleSet) -> _Prepared:
    hit = _PREPARED.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    labels = tuple((r, (r.value or {}).get("key", r.label), r.value or {})
                   for r in rules.rules if r.label != TITLE_TRIM)
    # one alternation tried in C is several times faster than one match() per rule; group r<i>
    # tells which rule matched (the regex module allows the rules' repeated group names)
    combined = regex.compile("|".join(f"(?P<r{i}>{r.compiled.pattern})" for i, (r, _k, _v) in enumerate(labels)))
    # group numbers, not names: in `regex`, m.start("r3") and m.groupdict() cost several µs each
    # on this 17-group pattern, m.regs and m.group(<int>) a fraction of one
    index = combined.groupindex
    reads = tuple((LabelStyle(r.label) if r.label not in (UNNUMBERED, APPENDIX_LIST) else None,
                   v.get("label"), v.get("numeral", "none"), bool(v.get("bare"))) for r, _k, v in labels)
    prepared = _Prepared(labels, reads, tuple(rules.with_label(TITLE_TRIM)), combined,
                         tuple(index[f"r{i}"] for i in range(len(labels))), index.get("n"), index.get("unit"))
    _PREPARED[id(rules)] = (rules, prepared)
    return prepared


def trim_title(title: str, rules: RuleSet, closed: bool) -> str:
    """Drop a trailing responsibility parenthesis ("…创建（区水利局牵头）") from an item's lead phrase.
    An unclosed one is dropped only when the phrase was cut by a line break (closed=False)."""
    if "（" not in title and "(" not in title:
        return title
    for rule in _prepare(rules).trims:
        if closed and rule.id.endswith("_open"):
            continue
        m = rule.compiled.search(title)
        if m and m.start() > 0:
            title = title[: m.start()]
    return title


def _title(line: str, start: int, rules: RuleSet) -> tuple[str | None, int, int, bool]:
    """Title of a numbered line: the text after the label up to the first 。 (the item's lead
    phrase), else the whole rest of the line, without trailing punctuation and unit parenthesis."""
    while start < len(line) and line[start] in _LEADING_BLANKS:
        start += 1
    stop = line.find(_TITLE_END, start)
    is_item = stop >= 0
    end = stop if is_item else len(line)
    phrase = trim_title(line[start:end], rules, closed=is_item).rstrip(_TRAILING_PUNCT)
    if not phrase:
        return None, start, start, is_item
    return phrase, start, start + len(phrase), is_item


def classify_line(line: str, rules: RuleSet | None = None) -> HeadingMatch | None:
    """Classify one line (without its newline). Returns None for body text, table lines and
    blank lines."""
    if "\t" in line:
        return None  # a flattened table row or cell, never a heading
    rules = rules or load_ruleset(RULESET)
    offset = len(line) - len(line.lstrip(_LEADING_BLANKS))
    if offset == len(line):
        return None
    body = line[offset:] if offset else line
    prepared = _prepare(rules)
    m = prepared.combined.match(body)
    if m is not None:
        regs = m.regs  # exactly one rule's alternative took part in the match: find which
        for i, g in enumerate(prepared.rule_groups):
            if regs[g][0] >= 0:
                break
        rule, key, value = prepared.labels[i]
        if rule.label == UNNUMBERED:
            t0, t1 = m.span("title")
            return HeadingMatch(rule.id, LabelStyle.UNNUMBERED, key, None, None, False,
                                m.group("title"), offset + t0, offset + t1, offset + m.end(), False)
        if rule.label == APPENDIX_LIST:
            return HeadingMatch(rule.id, LabelStyle.NONE, key, None, None, False,
                                None, offset, offset, offset + m.end(), False)
        n_group, unit_group = prepared.n_group, prepared.unit_group
        raw = (m.group(n_group) if n_group is not None else None) or ""
        unit = (m.group(unit_group) if unit_group is not None else None) or ""
        style, template, numeral, bare = prepared.reads[i]
        if numeral == DECIMAL:
            label, number, depth = _decimal(raw)
            key = f"{key}{depth}"   # decimal1, decimal2 …: one numbering family per depth
        else:
            label, number = _label(template, numeral, raw, unit)
        rest = offset + m.end()
        if style is LabelStyle.APPENDIX:
            return HeadingMatch(rule.id, style, key, label, number, False, None, rest, rest, rest, False)
        title, t0, t1, is_item = _title(line, rest, rules)
        return HeadingMatch(rule.id, style, key, label, number, bare, title, t0, t1, rest, is_item)
    return None


def heading_rules() -> RuleSet:
    return load_ruleset(RULESET)
