"""成文日期: the date a document was signed, on its own line under the signature.

Accepted spellings (one YAML rule each): 2021年4月18日, 二〇二一年四月十八日 (〇/○/零), 2021-04-18,
2021.4.18, 2021/4/18. A date inside running text (2021年4月18日召开) is never a 成文日期, so only a
line holding nothing but the date counts. Where several such lines exist (a notice and an appendix),
the one right after a signature wins; without a signature, the first one.
"""
from __future__ import annotations

import datetime as dt
import logging

import regex

from extractors.metadata.found import Found
from extractors.ruleset import load_ruleset

log = logging.getLogger(__name__)

_CN_DIGITS = str.maketrans("〇○零Ｏ一二三四五六七八九", "000012345678" + "9")


def cn_small_int(s: str) -> int:
    """一..三十一 written with 十: the month and day of a Chinese-numeral date."""
    if "十" not in s:
        return int(s.translate(_CN_DIGITS))
    tens, _, units = s.partition("十")
    return (int(tens.translate(_CN_DIGITS)) if tens else 1) * 10 + (int(units.translate(_CN_DIGITS)) if units else 0)


def _to_date(m: regex.Match, chinese: bool) -> dt.date | None:
    if chinese:
        y, mo, d = int(m.group("y").translate(_CN_DIGITS)), cn_small_int(m.group("m")), cn_small_int(m.group("d"))
    else:
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        log.info("W-META-DATE: impossible date %r ignored", m.group(0))
        return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[Found]:
    """Every stand-alone date line of text[start:end], in text order."""
    end = len(text) if end is None else end
    out = []
    for rule in load_ruleset("metadata").with_label("date"):
        for m in rule.finditer(text, start, end):
            d = _to_date(m, rule.id == "date_chinese")
            if d:
                s = m.start("y")
                out.append(Found(d, s, m.end() - (len(m.group(0)) - len(m.group(0).rstrip())), rule.id))
    return sorted(out, key=lambda f: f.start)


def date_after(text: str, pos: int, max_lines: int = 2) -> Found | None:
    """A date line among the next `max_lines` non-blank lines after pos (a signature's end)."""
    rules = load_ruleset("metadata").with_label("date")
    nl = text.find("\n", pos)
    seen = 0
    while nl >= 0 and seen < max_lines:
        start = nl + 1
        nl = text.find("\n", start)
        line_end = len(text) if nl < 0 else nl
        if not text[start:line_end].strip():
            continue
        seen += 1
        for rule in rules:
            m = rule.compiled.match(text, start, line_end)
            if m:
                d = _to_date(m, rule.id == "date_chinese")
                if d:
                    return Found(d, m.start("y"), m.start("y") + len(m.group(0).strip()), rule.id)
    return None


def find_signing_date(text: str, signatures: list[int] = ()) -> Found | None:
    """The 成文日期: the date line right after a signature (given as end offsets), else the first
    stand-alone date line of the text."""
    for sig_end in sorted(signatures):
        f = date_after(text, sig_end)
        if f:
            return f
    dates = find_dates(text)
    return dates[0] if dates else None
