"""Character-level repairs: debris to drop, width swaps, stray spaces, punctuation and bracket widths.

All patterns live in extractors/data/rules/cleaning.yaml; this module only turns matches into edits.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import regex

from extractors.ruleset import Rule, load_ruleset
from pipeline.cleaning import Edit

# full-width digits and Latin letters (U+FF10…) sit 0xFEE0 above their ASCII forms
_HALFWIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
              for c in range(r[0], r[1] + 1)}

# every one-for-one replacement the stage may make, source char -> cleaned char; tests check
# that each cleaned character equals its source character or is listed here
SWAPS: dict[str, str] = {chr(k): chr(v) for k, v in _HALFWIDTH.items()} | {
    "\r": "\n", "％": "%", "．": ".",
    "\u00a0": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ",
    **{chr(c): " " for c in range(0x2000, 0x200B)},
    ",": "，", ":": "：", ";": "；", "(": "（", ")": "）",
}

_HAN_LO, _HAN_HI = "\u3400", "\u9fff"
_HAN_CHAR = regex.compile(r"\p{Han}")


def _is_han(ch: str) -> bool:
    # the CJK blocks that matter for "touches Chinese text"; a cheap test in the paren loop
    return _HAN_LO <= ch <= _HAN_HI


@lru_cache(maxsize=None)
def _rules(label: str) -> tuple[Rule, ...]:
    return tuple(load_ruleset("cleaning").with_label(label))


def _rule(rule_id: str) -> Rule:
    return load_ruleset("cleaning").rule(rule_id)


_CLASS_ONLY = regex.compile(r"\[[^\]]*\]\+?")
_MAX_GATE = 128
# Up to this many characters, one `ch in text` each is the quickest test; beyond, one scan of the
# standard `re` engine for the class of those literal characters (62 full-width letters and
# digits: 0.12 -> 0.05 ms for a 24 KB plan)
_MAX_IN_TESTS = 16


@lru_cache(maxsize=None)
def _gate(rule_id: str) -> Callable[[str], bool] | None:
    """For a pure character-class rule, a test of whether one of its characters occurs at all;
    None for other rules.

    Scanning 7 MB with a Unicode class costs ~70 ms in `regex`, while `ch in text` is a memchr
    at ~1 ms: a class rule is only run when one of its characters occurs at all."""
    rule = _rule(rule_id)
    if not _CLASS_ONLY.fullmatch(rule.pattern):
        return None
    chars = "".join(chr(c) for c in range(0x10000) if rule.compiled.fullmatch(chr(c)))
    if len(chars) > _MAX_GATE:
        return None
    if len(chars) <= _MAX_IN_TESTS:
        return lambda text: any(c in text for c in chars)
    literal_class = re.compile("[" + "".join(re.escape(c) for c in chars) + "]")
    return lambda text: literal_class.search(text) is not None


def _scan(rule: Rule, text: str):
    gate = _gate(rule.id)
    if gate is not None and not gate(text):
        return ()
    return rule.compiled.finditer(text)


def debris_and_swaps(text: str) -> list[Edit]:
    """Pass 1: drop conversion debris (\\r of \\r\\n, zero-width marks, Word bookmarks) and make the
    one-for-one swaps that need no context (lone \\r, space variants, full-width digits/letters/％)."""
    edits: list[Edit] = []
    for rule in _rules("drop"):
        edits.extend(Edit(m.start(), m.end(), "", f"drop_{rule.id}" if rule.id != "crlf" else "crlf")
                     for m in _scan(rule, text))
    for rule in _rules("swap"):
        value = rule.value
        for m in _scan(rule, text):
            found = m.group()
            if value == "halfwidth":
                new = found.translate(_HALFWIDTH)
            elif isinstance(value, dict):
                new = "".join(value.get(ch, ch) for ch in found)
            else:
                new = value * len(found)
            edits.append(Edit(m.start(), m.end(), new, rule.id))
    return edits


def spaces(text: str) -> list[Edit]:
    """Pass 2a: trailing and leading spaces of a line, and PDF spaces around numbers."""
    edits: list[Edit] = []
    for rule in _rules("space"):
        code = "number_space" if rule.id.startswith("space_") else rule.id
        edits.extend(Edit(m.start(), m.end(), "", code) for m in rule.compiled.finditer(text))
    return edits


def widths(text: str) -> list[Edit]:
    """Pass 2b (and again after lines are joined): half-width , : ; inside Chinese text and
    bracket pairs of mixed width, or half-width pairs that enclose or touch Chinese text."""
    edits: list[Edit] = []
    punct = _rule("punct_between_han")
    if any(c in text for c in ",:;"):
        edits.extend(Edit(m.start(), m.end(), punct.value[m.group()], "halfwidth_punct")
                     for m in punct.compiled.finditer(text))
    if "(" in text or ")" in text:
        for m in _rule("paren_pair").compiled.finditer(text):
            s, e = m.start(), m.end()
            left, right = text[s], text[e - 1]
            if left == "（" and right == "）":
                continue
            mixed = (left == "(") != (right == ")")
            # Chinese inside, or Chinese right before the opening bracket; a bracket glued to a
            # Latin letter is notation (f(x)), even when Chinese follows it
            chinese = _HAN_CHAR.search(text, s + 1, e - 1) is not None or (s > 0 and _is_han(text[s - 1]))
            if not (mixed or chinese):
                continue
            if left == "(":
                edits.append(Edit(s, s + 1, "（", "fullwidth_paren"))
            if right == ")":
                edits.append(Edit(e - 1, e, "）", "fullwidth_paren"))
    return edits
