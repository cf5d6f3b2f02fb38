"""Deadlines: the time expressions in one task item that say when work is to be done.

Pure functions over an item's text. Every pattern lives in extractors/data/rules/deadlines.yaml
(with examples and counter-examples); this module only runs the rules, resolves the named groups of
a match to dates, and chooses among overlapping candidates:

1. Whitespace is removed before matching, so PDF spacing ("2026 年底") and line breaks inside an
   expression do not matter; offsets are mapped back to the caller's text.
2. `exclude` rules mark spans that are not deadlines (baselines 较2020年, start points 自2021年起,
   names 2023年度 / 编制2021—2025年…计划, book titles 《…》 …); a candidate overlapping one is dropped.
3. Overlapping candidates: the longest wins (到2025年6月底 over 2025年), then the earlier rule.
4. Resolution: dates are the last day of the period named; a by-rule without a year group needs the
   plan's base year; `single_year_only` rules (全年, 年终, 半年) need a plan that covers one year; a
   date before the base year is a past fact, not a deadline.
5. Identical (kind, date, text) entries are reported once.

Every dropped candidate is logged with a code (DL001…) at DEBUG level, never silently discarded.
jionlp's parse_time is not used here: bench/deadline_parsers.py measures it against the gold. On the
105 gold expressions it reads 76 right (no reading for 年内, 半年, 持续…, 常态化, 分年度, 后续年度; 到2022年
comes back as a span from the time base, not a point), its extract_time scores F1 0.857 on the gold
items, and it is ~3x slower per expression than these rules.
"""
from __future__ import annotations

import calendar
import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import regex

from extractors.ruleset import Rule, load_ruleset

log = logging.getLogger(__name__)

Kind = Literal["by", "range", "ongoing"]
RULESET = "deadlines"

_WHITESPACE = regex.compile(r"\s+")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_NEXT_YEAR = {"次", "明", "下一"}


@dataclass(frozen=True, slots=True)
class DeadlineMatch:
    start: int  # offsets in the caller's text (whitespace included)
    end: int
    text: str  # verbatim matched text with whitespace removed
    kind: Kind
    date: str | None  # ISO, last day of the period; None for ongoing
    start_date: str | None  # ISO first day, ranges only
    rule_id: str


@dataclass(frozen=True, slots=True)
class TimeStatement:
    """A time expression naming a year (到2025年, 2023年，…, 2023—2025年 → 2025)."""

    start: int
    end: int
    year: int
    start_year: int | None = None  # first year of a range, else None


@dataclass(frozen=True, slots=True)
class _Rules:
    # (priority = position in the file, rule, needs: strings one of which the text must contain)
    exclude: tuple[tuple[int, Rule, tuple[str, ...]], ...]
    find: tuple[tuple[int, Rule, tuple[str, ...]], ...]
    needs: tuple[str, ...]   # every string some rule needs, each looked up once per text
    # the needs by their first character, and a scan for those characters (see _present)
    needs_by_first: dict[str, tuple[str, ...]]
    first_chars: re.Pattern


@lru_cache(maxsize=None)
def _rules() -> _Rules:
    rs = load_ruleset(RULESET)
    bad = [r.id for r in rs.rules if r.label not in ("exclude", "by", "range", "ongoing")]
    if bad:  # a typo in a label must not make a rule silently inert
        raise ValueError(f"deadlines.yaml: unknown label in rules {bad}")
    entries = []
    for i, r in enumerate(rs.rules):
        needs = tuple((r.value or {}).get("needs") or ())
        # `needs` skips a rule on text without those strings; a wrong list would hide real matches
        for ex in r.examples:
            if needs and not any(n in ex.text for n in needs):
                raise ValueError(f"deadlines.yaml rule {r.id!r}: example {ex.text!r} lacks needs {needs}")
        entries.append((i, r, needs))
    needs = tuple(sorted({n for *_, needs in entries for n in needs}))
    by_first: dict[str, list[str]] = {}
    for n in needs:
        by_first.setdefault(n[0], []).append(n)
    return _Rules(
        exclude=tuple(e for e in entries if e[1].label == "exclude"),
        find=tuple(e for e in entries if e[1].label != "exclude"),
        needs=needs,
        needs_by_first={c: tuple(ns) for c, ns in by_first.items()},
        first_chars=re.compile("[" + "".join(re.escape(c) for c in by_first) + "]"),
    )


def _present(compact: str, rules: _Rules) -> set[str]:
    """The needs that occur in the text: {n for n in rules.needs if n in compact}, from one scan
    for their first characters, then a substring test only for the longer needs whose first
    character occurs (~60 needs, ~45 first characters; 4.8 -> 2.5 µs on a task text)."""
    present = set()
    for c in set(rules.first_chars.findall(compact)):
        for n in rules.needs_by_first[c]:
            if len(n) == 1 or n in compact:
                present.add(n)
    return present


class _Compact:
    """The text without whitespace, with a map back to the original offsets."""

    __slots__ = ("text", "_starts", "_shift")

    def __init__(self, text: str):
        runs = list(_WHITESPACE.finditer(text))
        if not runs:
            self.text, self._starts, self._shift = text, [], []
            return
        parts, starts, shift, removed, prev = [], [], [], 0, 0
        for m in runs:
            parts.append(text[prev:m.start()])
            removed += m.end() - m.start()
            # compact positions from here on sit `removed` characters further right in the original
            starts.append(m.start() - (removed - (m.end() - m.start())))
            shift.append(removed)
            prev = m.end()
        parts.append(text[prev:])
        self.text, self._starts, self._shift = "".join(parts), starts, shift

    def orig(self, i: int) -> int:
        k = bisect_right(self._starts, i)
        return i + (self._shift[k - 1] if k else 0)

    def orig_end(self, j: int) -> int:
        return self.orig(j - 1) + 1 if j > 0 else 0


def _num(s: str | None) -> int | None:
    """A year, month, day or quarter written in Arabic or Chinese digits (二〇二五, 十二, 三十一)."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:  # 十, 十二, 二十, 三十一
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _group(m: regex.Match, name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:  # the rule has no such group
        return None


def _five_year_plan(ordinal: str) -> tuple[int, int]:
    """十四五 → (2021, 2025): from 四五 (1971) on, the n-th five-year plan starts in 1951 + 5n."""
    start = 1951 + 5 * _num(ordinal)
    return start, start + 4


def _point(m: regex.Match, year: int) -> date:
    """The last day of the period a by-match names within `year`."""
    month, day, xun = _num(_group(m, "m")), _num(_group(m, "d")), _group(m, "xun")
    quarter, half = _num(_group(m, "q")), _group(m, "half")
    if month and day:
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    if month and xun in ("上", "中"):
        return date(year, month, 10 if xun == "上" else 20)
    if month:
        return _month_end(year, month)
    if quarter:
        return _month_end(year, 3 * quarter)
    if half == "上":
        return date(year, 6, 30)
    return date(year, 12, 31)


def _resolve(m: regex.Match, rule: Rule, base_year: int | None, single_year: bool):
    """(kind, start_date, end_date) for a candidate, or a (code, reason) pair when it is dropped."""
    value = rule.value or {}
    kind = rule.label
    if kind == "ongoing":
        return kind, None, None
    if value.get("single_year_only") and not single_year:
        return "DL003", "only a deadline in a single-year plan"
    if kind == "range":
        if _group(m, "fyp"):
            y1, y2 = _five_year_plan(m.group("fyp"))
            m1 = m2 = None
        elif value.get("this_next"):
            if base_year is None:
                return "DL002", "relative range without a base year"
            y1, y2, m1, m2 = base_year, base_year + 1, None, None
        elif value.get("relative"):   # months of the plan year (4月至10月)
            if base_year is None:
                return "DL002", "relative range without a base year"
            y1 = y2 = base_year
            m1, m2 = _num(m.group("m1")), _num(m.group("m2"))
        else:   # a span of months inside one written year has no second year
            y1 = _num(m.group("y1"))
            y2 = _num(_group(m, "y2")) or y1
            m1, m2 = _num(_group(m, "m1")), _num(_group(m, "m2"))
            if y2 == y1 and m1 and m2 and m2 < m1:
                return "DL004", "range ends before it starts"
        if y2 < y1 or (y2 == y1 and m1 and m2 and m2 < m1):
            return "DL004", "range ends before it starts"
        return kind, date(y1, m1 or 1, 1), _month_end(y2, m2 or 12)
    # by: the year is written, or named by a five-year plan, or relative to the base year
    if _group(m, "y"):
        year = _num(m.group("y"))
    elif _group(m, "fyp"):
        year = _five_year_plan(m.group("fyp"))[1]
    elif base_year is None:
        return "DL002", "relative date without a base year"
    else:
        year = base_year + (1 if _group(m, "rel") in _NEXT_YEAR else 0)
    if "half" in value:
        return kind, None, date(year, 6, 30) if value["half"] == "上" else date(year, 12, 31)
    return kind, None, _point(m, year)


def _blocked_spans(compact: str, rules: _Rules, present: set[str]):
    """Exclusion spans sorted by start, with the running maximum of their ends (for bisect)."""
    spans = sorted((m.start(), m.end(), r.id) for _, r, needs in rules.exclude
                   if not needs or not present.isdisjoint(needs) for m in r.compiled.finditer(compact))
    ends, top = [], -1
    for sp in spans:
        top = max(top, sp[1])
        ends.append(top)
    return spans, [sp[0] for sp in spans], ends


def _candidates(compact: str):
    rules = _rules()
    present = _present(compact, rules)
    matched = [(m, rule, prio) for prio, rule, needs in rules.find
               if not needs or not present.isdisjoint(needs) for m in rule.compiled.finditer(compact)]
    if not matched:
        # exclusions only ever drop candidates: a text without any (a third of task texts, most
        # goal paragraphs) needs none of their scans
        return []
    spans, starts, max_ends = _blocked_spans(compact, rules, present)
    found = []
    for m, rule, prio in matched:
        k = bisect_left(starts, m.end())  # exclusions starting before the match ends
        if k and max_ends[k - 1] > m.start():
            if log.isEnabledFor(logging.DEBUG):
                hit = next(sp[2] for sp in spans[:k] if sp[1] > m.start())
                log.debug("DL001 %r (%s) excluded by %s", m.group(0), rule.id, hit)
            continue
        found.append((m, rule, prio))
    # longest first, then earlier rule, then earlier position; keep those not overlapping a kept one
    found.sort(key=lambda c: (c[0].start() - c[0].end(), c[2], c[0].start()))
    kept, kept_starts = [], []  # kept spans never overlap, so sorted by start they are sorted by end
    for cand in found:
        s, e = cand[0].span()
        k = bisect_left(kept_starts, s)
        if (k and kept[k - 1][0].end() > s) or (k < len(kept) and kept[k][0].start() < e):
            if log.isEnabledFor(logging.DEBUG):
                log.debug("DL005 %r (%s) inside a longer match", cand[0].group(0), cand[1].id)
            continue
        kept.insert(k, cand)
        kept_starts.insert(k, s)
    return kept


def _resolved(text: str, base_year: int | None, single_year: bool) -> tuple[DeadlineMatch, ...]:
    """Every accepted time expression in text order, repeats included."""
    if log.isEnabledFor(logging.DEBUG):   # read afresh, so that every dropped candidate is logged
        return _read(text, base_year, single_year)
    return _read_cached(text, base_year, single_year)


def _read(text: str, base_year: int | None, single_year: bool) -> tuple[DeadlineMatch, ...]:
    comp = _Compact(text)
    out = []
    for m, rule, _ in _candidates(comp.text):
        res = _resolve(m, rule, base_year, single_year)
        if res[0].startswith("DL"):
            log.debug("%s %r (%s): %s", res[0], m.group(0), rule.id, res[1])
            continue
        kind, start, end = res
        if base_year is not None and end is not None and end.year < base_year:
            log.debug("DL006 %r (%s): before the base year %s, a past fact", m.group(0), rule.id, base_year)
            continue
        out.append(DeadlineMatch(
            start=comp.orig(m.start()), end=comp.orig_end(m.end()), text=m.group(0), kind=kind,
            date=end.isoformat() if end else None, start_date=start.isoformat() if start else None,
            rule_id=rule.id))
    return tuple(out)


# The targets stage reads the time statements of the same task texts whose deadlines the deadlines
# stage has just read, with the same plan year: read each text once.
_read_cached = lru_cache(maxsize=2048)(_read)


def find_deadlines(text: str, base_year: int | None, *, single_year: bool = False) -> list[DeadlineMatch]:
    """Deadlines in one task item's text, in text order; a repeated (kind, date, text) once.

    base_year resolves relative dates (年底前, 6月底, 次年); single_year says the plan covers one year,
    so that 全年 / 年终 / 半年 are deadlines of that year.
    """
    out, seen = [], set()
    for d in _resolved(text, base_year, single_year):
        key = (d.kind, d.date, d.text)
        if key not in seen:  # DECISIONS: the same expression repeated in one item is recorded once
            seen.add(key)
            out.append(d)
    return out


def find_time_statements(text: str, base_year: int | None, *, single_year: bool = False) -> list[TimeStatement]:
    """Every time statement of the text with the year it names, in text order (for target years).

    These are the dated deadlines: recurring and continuity words (每年, 持续推进) name no year, and
    baselines, start points and names are excluded as for deadlines.
    """
    return [  # repeats kept: each occurrence governs the targets that follow it
        TimeStatement(d.start, d.end, int(d.date[:4]), int(d.start_date[:4]) if d.start_date else None)
        for d in _resolved(text, base_year, single_year)
        if d.date is not None
    ]
