"""Word automatic numbering (numbering.xml) turned back into the labels a reader sees.

python-docx's `paragraph.text` drops list labels, yet Chinese plans number every heading with them
(一、 （一） 1. （1） ①), and the section tree is built from those labels. This module reproduces
Word's behaviour closely enough for plans:
- a paragraph is numbered by its own numPr (numId + ilvl) or by its style's numPr (basedOn chain);
- counters belong to the abstract list, so list instances (w:num) sharing one abstractNum continue
  each other's numbering, unless an instance carries lvlOverride/startOverride, which restarts the
  level at that value on the instance's first use (Word's "restart numbering");
- using a level restarts the levels below it (lvlRestart can narrow or disable that);
- lvlText "%1.%2" is filled with each level's counter in that level's numFmt (isLgl forces decimal);
- the suffix after the label is a tab, a space or nothing (w:suff); a tab is rendered as nothing
  after full-width punctuation or a circled number (一、 ①) and as a space otherwise, because a tab in a line means a
  table cell to the downstream stages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese_counting(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (unit == "十" and d == 1 and not out) else _CN_DIGITS[d]) + unit
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    out = ""
    for value, sym in _ROMAN:
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 -> aa
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese_counting(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographDigital":
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "none":
        return ""
    return str(n)   # decimal and anything exotic


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None   # w:lvlRestart: None = after any higher level; 0 = never
    suff: str = "tab"
    is_lgl: bool = False


@dataclass
class _Num:
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(W + tag)
    if child is None:
        return default
    return child.get(W + "val", default)


def _parse_level(lvl) -> Level:
    restart = _val(lvl, "lvlRestart")
    return Level(fmt=_val(lvl, "numFmt", "decimal") or "decimal",
                 text=_val(lvl, "lvlText", "") or "",
                 start=int(_val(lvl, "start", "1") or 1),
                 restart=int(restart) if restart is not None else None,
                 suff=_val(lvl, "suff", "tab") or "tab",
                 is_lgl=lvl.find(W + "isLgl") is not None)


class Numbering:
    """Label generator for one document. Call `label(num_id, ilvl)` for each numbered paragraph,
    in document order; it returns the visible label including its suffix."""

    def __init__(self, numbering_root=None):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used_nums: set[str] = set()
        if numbering_root is None:
            return
        for an in numbering_root.iter(W + "abstractNum"):
            self.abstracts[an.get(W + "abstractNumId")] = {
                int(lvl.get(W + "ilvl")): _parse_level(lvl) for lvl in an.findall(W + "lvl")}
        for num in numbering_root.iter(W + "num"):
            n = _Num(abstract_id=_val(num, "abstractNumId") or "")
            for ov in num.findall(W + "lvlOverride"):
                ilvl = int(ov.get(W + "ilvl"))
                so = _val(ov, "startOverride")
                if so is not None:
                    n.start_overrides[ilvl] = int(so)
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    n.level_overrides[ilvl] = _parse_level(lvl)
            self.nums[num.get(W + "numId")] = n

    def _level(self, num: _Num, ilvl: int) -> Level | None:
        if ilvl in num.level_overrides:
            return num.level_overrides[ilvl]
        return self.abstracts.get(num.abstract_id, {}).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> str:
        num = self.nums.get(num_id)
        if num is None or num_id == "0":   # numId 0 means "numbering removed"
            return ""
        level = self._level(num, ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(num.abstract_id, {})
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for lv, start in num.start_overrides.items():
                counters[lv] = start - 1   # restart: the next use of the level shows `start`
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for lower in [lv for lv in counters if lv > ilvl]:
            lower_level = self._level(num, lower)
            restart = lower_level.restart if lower_level else None
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[lower]
        text = level.text
        for k in range(9, -1, -1):   # %10 is not a thing; go high to low so %1 doesn't eat %1x
            token = f"%{k + 1}"
            if token in text:
                lv = self._level(num, k)
                value = counters.get(k, (lv.start if lv else 1))
                fmt = "decimal" if (level.is_lgl and k != ilvl) or lv is None else lv.fmt
                text = text.replace(token, format_number(value, fmt))
        if level.fmt == "bullet" or not text:
            return ""   # bullets carry no number; the plan text never cites them
        if level.suff == "nothing":
            return text
        if level.suff == "space":
            return text + " "
        return text if text[-1] in "、）)．。：:" or text[-1] in _CIRCLED else text + " "
