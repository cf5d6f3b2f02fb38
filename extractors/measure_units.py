"""Measurement units: the only place they are known and converted to a base unit.

The table is extractors/data/dicts/measure_units.tsv (unit, base_unit, factor, kind). Units are
matched longest first, so 万立方米/年 wins over 万立方米 and 个百分点 over 个. Full-width and
half-width spellings that mean the same unit (％ and %) share one base unit; the unit reported
to callers is normalised only for ％ -> % (FORMAT: "unit as written, ％ written %").
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from extractors.ruleset import load_tsv

# An ASCII unit must not run on into a longer ASCII token (m in mm, L in LED).
_ASCII_TAIL = regex.compile(r"[A-Za-z0-9]")
# A bare magnitude (突破4000万) is a unit only where the figure closes: at a mark, the end, or a
# qualifier; before anything else it is part of a word or of a larger unit not in the table.
_BARE_MAGNITUDES = frozenset({"万"})
_BARE_MAGNITUDE_END = regex.compile(r"\s*(?:$|[，,。；;、）)\n]|以上|以内|以下|左右)")
# Spellings normalised before lookup: stray spaces inside a unit, and typographic variants.
_UNIT_SPELLING = str.maketrans({"．": ".", "•": "·", "・": "·", "／": "/"})


class UnitError(KeyError):
    """A unit that the table does not know."""


@dataclass(frozen=True)
class Unit:
    unit: str
    base_unit: str
    factor: Decimal
    kind: str


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    table: dict[str, Unit] = {}
    for row in load_tsv("measure_units"):
        name = row["unit"]
        if name in table:
            raise ValueError(f"measure_units.tsv: duplicate unit {name!r}")
        table[name] = Unit(name, row["base_unit"], Decimal(row["factor"]), row["kind"])
    return table


@lru_cache(maxsize=1)
def _unit_regex() -> regex.Pattern:
    names = sorted(units(), key=len, reverse=True)
    return regex.compile("|".join(regex.escape(n) for n in names))


@lru_cache(maxsize=1)
def first_chars() -> frozenset[str]:
    """The characters a unit can start with (no unit starts anywhere else)."""
    return frozenset(n[0] for n in units())


@lru_cache(maxsize=1024)   # units are a small vocabulary; every target converts its value
def lookup(unit: str) -> Unit:
    u = units().get(unit.translate(_UNIT_SPELLING))
    if u is None:
        raise UnitError(unit)
    return u


def match_unit(text: str, pos: int) -> tuple[str, int] | None:
    """The longest known unit starting at text[pos] as (unit, end), or None."""
    # Most figures are followed by no unit at all (2025年, 三级): a set lookup of the first
    # character answers them without trying the ~110-way alternation (~1 µs a call).
    if pos >= len(text) or text[pos] not in first_chars():
        return None
    m = _unit_regex().match(text, pos)
    if not m:
        return None
    name = m.group(0)
    if name in _BARE_MAGNITUDES and not _BARE_MAGNITUDE_END.match(text, m.end()):
        return None   # 4000万， is 4000 万; in 5万余 or 1∶5万地形图 the 万 is not a unit
    if name.isascii() and name[-1].isalpha() and _ASCII_TAIL.match(text, m.end()):
        return None
    return name, m.end()


def normalise(unit: str) -> str:
    """The unit as it is reported: as written, except full-width ％ is written %."""
    return "%" if unit == "％" else unit


@lru_cache(maxsize=1024)
def kind(unit: str) -> str:
    return lookup(unit).kind if unit else "coefficient"


def to_base(value: Decimal | float | int, unit: str) -> tuple[Decimal, str]:
    """Convert (value, unit) to the base unit: (3.72, '万亩') -> (37200, '亩'). '' stays ''."""
    v = value if isinstance(value, Decimal) else Decimal(str(value))
    if unit == "":
        return _plain(v), ""
    u = lookup(unit)
    return _plain(v * u.factor), u.base_unit


def _plain(v: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (100, not 1E+2)."""
    n = v.normalize()
    return n.quantize(_ONE) if n.as_tuple().exponent > 0 else n


_ONE = Decimal(1)
