"""Numerals as written in Chinese official documents -> Decimal. The only place numerals are converted.

Handles Arabic figures (0.5, 1,200, full-width digits), positional Chinese numerals (十五, 三千五百,
一万, 两百), digit-by-digit Chinese numerals (二〇二五) and Chinese decimals (三点五, 零点八, 三点五亿).
The multipliers 万/亿 that stand before a unit (3.72万亩, 二十三亿元) belong to the unit and are
handled by measure_units and targets; inside a Chinese numeral (三万五千) they are part of the
number. We do not call cn2an.transform on running text: it rewrites words such as 一体化; only an
isolated numeral ever reaches this module.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_POINT = "点"   # the decimal point of a Chinese numeral: 三点五 = 3.5
# full-width digits and separators that PDF/Word text carries
_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


class NumberError(ValueError):
    """The string is not a numeral this module understands."""


def _parse_chinese(s: str) -> int:
    if not any(ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in s):
        # digit by digit: 二〇二五 -> 2025
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            # a bare 十 at the start means 一十
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:  # 万 / 亿 close a section
            section += digit or 0
            total = (total + section) * _BIG_UNITS[ch] if ch == "亿" else total + section * _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(s: str) -> Decimal:
    """Convert one isolated numeral to a Decimal: '1,200' -> 1200, '十五' -> 15, '二〇二五' -> 2025."""
    t = s.strip().translate(_WIDTH)
    if not t:
        raise NumberError(f"empty numeral: {s!r}")
    if t[0].isdigit():
        try:
            return Decimal(t.replace(",", ""))
        except InvalidOperation as exc:
            raise NumberError(f"not a number: {s!r}") from exc
    if _POINT in t:
        return _parse_chinese_decimal(t, s)
    if all(ch in _DIGITS or ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in t):
        return Decimal(_parse_chinese(t))
    raise NumberError(f"not a number: {s!r}")


def _parse_chinese_decimal(t: str, s: str) -> Decimal:
    """三点五 -> 3.5, 零点八 -> 0.8, 三点五亿 -> 350000000: an integer part, 点, digits read one by
    one, and an optional closing 万/亿 that multiplies the whole."""
    head, _, frac = t.partition(_POINT)
    scale = 1
    while frac and frac[-1] in _BIG_UNITS:
        scale *= _BIG_UNITS[frac[-1]]
        frac = frac[:-1]
    if not head or not frac or not all(ch in _DIGITS for ch in frac) or not _is_chinese_integer(head):
        raise NumberError(f"not a number: {s!r}")
    whole = _DIGITS[head] if head in _DIGITS else _parse_chinese(head)
    return (Decimal(whole) + Decimal("0." + "".join(str(_DIGITS[ch]) for ch in frac))) * scale


def _is_chinese_integer(s: str) -> bool:
    return bool(s) and all(ch in _DIGITS or ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in s)


def is_chinese_numeral(s: str) -> bool:
    """Whether s is written in Chinese numerals (十五, 二〇二五, 三点五), not in Arabic figures."""
    if _POINT in s:
        head, _, frac = s.partition(_POINT)
        frac = frac.rstrip("万亿")
        return _is_chinese_integer(head) and bool(frac) and all(ch in _DIGITS for ch in frac)
    return _is_chinese_integer(s)
