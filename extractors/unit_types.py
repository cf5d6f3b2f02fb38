"""Type of a responsible unit (FORMAT.md's list: 水利, 发展改革, …, 政府, 园区, 企业, 其他).

The type comes from the agency vocabulary in data/dicts/agency_types.tsv, never from a list of
known unit names, so that any bureau of any province or level gets typed by what it does:
- `override` rows look at how the name ENDS: a firm (…公司) is 企业 even when it supplies water,
  a park committee is 园区, and a 党委/政府 office is 党委部门, whatever words come before.
- `keyword` rows are function words; the EARLIEST one in the name wins, because a combined
  bureau takes its first listed function (商务和工信局 → 商务, 文体广电旅游局 → 文化旅游).
- `fallback` rows (人民政府, 乡镇, 街道) type governments that name no function.
Everything else (审计局, 金融办, 人民银行, collective units, …中心 without a function) is 其他.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.ruleset import load_tsv

TYPES: tuple[str, ...] = (
    "水利", "发展改革", "工业和信息化", "住房城乡建设", "城市管理", "农业农村", "自然资源", "生态环境",
    "财政", "教育", "卫生健康", "市场监管", "商务", "文化旅游", "机关事务", "科技", "统计", "税务",
    "林业草原", "交通运输", "气象", "公安政法", "党委部门", "政府", "园区", "企业", "其他",
)
OTHER = "其他"
_SCOPES = ("override", "keyword", "fallback")
_SPACE = regex.compile(r"\s+")


class AgencyTypeTableError(ValueError):
    """agency_types.tsv has a row with an unknown type or scope, or a pattern that does not compile."""


@lru_cache(maxsize=1)
def _tables() -> tuple[list[tuple[regex.Pattern, str]], regex.Pattern, dict[str, str], list[tuple[regex.Pattern, str]]]:
    overrides, fallbacks, keywords = [], [], {}
    for row in load_tsv("agency_types"):
        pattern, typ, scope = row["pattern"], row["type"], row["scope"]
        if typ not in TYPES or scope not in _SCOPES:
            raise AgencyTypeTableError(f"agency_types.tsv: bad row {row!r}")
        try:
            if scope == "keyword":
                for word in pattern.split("|"):
                    regex.compile(word)
                    if word in keywords and keywords[word] != typ:
                        raise AgencyTypeTableError(f"agency_types.tsv: keyword {word!r} has two types")
                    keywords[word] = typ
            else:
                (overrides if scope == "override" else fallbacks).append((regex.compile(f"(?:{pattern})$"), typ))
        except regex.error as exc:
            raise AgencyTypeTableError(f"agency_types.tsv: pattern {pattern!r}: {exc}") from exc
    # One alternation, longest first, so that at one position 住房城乡建设 beats 住房城乡.
    words = sorted(keywords, key=len, reverse=True)
    keyword_re = regex.compile("|".join(f"(?:{w})" for w in words))
    return overrides, keyword_re, keywords, fallbacks


def _keyword_type(name: str, keyword_re: regex.Pattern, keywords: dict[str, str]) -> str | None:
    # Earliest position wins; at one position the longest keyword (alternation order) wins.
    m = keyword_re.search(name)
    if not m:
        return None
    hit = m.group(0)
    if hit in keywords:
        return keywords[hit]
    # The keyword is a regex (团[县区]委): find which entry matched.
    for word, typ in keywords.items():
        if regex.fullmatch(word, hit):
            return typ
    return None


@lru_cache(maxsize=4096)
def unit_type(name: str) -> str:
    """Type of the unit `name` (whitespace ignored); 其他 when the vocabulary names no listed function."""
    name = _SPACE.sub("", name)
    overrides, keyword_re, keywords, fallbacks = _tables()
    for pattern, typ in overrides:
        if pattern.search(name):
            return typ
    typ = _keyword_type(name, keyword_re, keywords)
    if typ:
        return typ
    for pattern, typ in fallbacks:
        if pattern.search(name):
            return typ
    return OTHER
