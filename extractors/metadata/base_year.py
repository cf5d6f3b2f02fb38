"""Base year: the year that relative dates (年底前, 6月底, 年内) refer to.

Precedence, first that applies:
1. the year of the 成文日期 (a plan signed in 2021 means 2021 by 年底前);
2. a single year in the title (2023年…工作要点);
3. the first year of the period in the title (…行动方案（2023-2025年）);
4. the year of the 发文字号 (宁办〔2023〕12号: issued in 2023), for a plan whose signing date is
   not in the text;
5. the earliest year the body sets something by (到2025年, 2025年底, "2023年，…"), ignoring years
   inside 发文字号 and cited 《》 titles (passed as `skip`) and baselines (较2020年).
None when the text names no year at all.
"""
from __future__ import annotations

import datetime as dt

from extractors.metadata.found import Found
from extractors.ruleset import load_ruleset


def _inside(pos: int, skip: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in skip)


def find_base_year(text: str, title: Found | None = None, date: Found | None = None,
                   skip: list[tuple[int, int]] = (), body_start: int = 0,
                   doc_number_year: Found | None = None) -> Found | None:
    rules = load_ruleset("metadata")
    if date is not None and isinstance(date.value, dt.date):
        return Found(date.value.year, date.start, date.start + 4, "date_year")
    if title is not None:
        singles = list(rules.rule("year_single").finditer(text, title.start, title.end))
        if len({m.group("y") for m in singles}) == 1:
            m = singles[0]
            return Found(int(m.group("y")), m.start("y"), m.end(), "year_single")
        m = rules.rule("year_range").search(text, title.start)
        if m and m.end() <= title.end:
            return Found(int(m.group("y")), m.start("y"), m.end(), "year_range")
    if doc_number_year is not None:
        return doc_number_year
    best: Found | None = None
    for m in rules.rule("deadline_year").finditer(text, body_start):
        s = m.start("y")
        if _inside(s, skip):
            continue
        y = int(m.group("y"))
        if best is None or y < best.value:
            best = Found(y, s, m.end(), "deadline_year")
    return best
