"""String enums for every label used in records (no bare strings in code)."""
from enum import StrEnum


class AdminLevel(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    TOWNSHIP = "township"


class SectionKind(StrEnum):
    """What a section of the tree is."""

    DOCUMENT = "document"      # the root: the whole text
    PREAMBLE = "preamble"      # text before the first heading (notice, opening paragraph)
    HEADING = "heading"        # a numbered or unnumbered heading with its body
    ITEM = "item"              # a numbered item whose title runs into its body (1.强化…。…)
    APPENDIX = "appendix"      # 附件 / 附件1 and what follows it
    TABLE = "table"            # a table rebuilt from its flattened form


class LabelStyle(StrEnum):
    """Numbering conventions of Chinese official documents, outermost first."""

    CN_COMMA = "cn_comma"          # 一、
    CN_PAREN = "cn_paren"          # （一）
    ARABIC_DOT = "arabic_dot"      # 1. 1、 1．
    ARABIC_PAREN = "arabic_paren"  # （1）
    CIRCLED = "circled"            # ①
    ORDINAL = "ordinal"            # 一是 / 第一，
    UNNUMBERED = "unnumbered"      # 总体目标, 保障措施 on a line of their own
    APPENDIX = "appendix"          # 附件 / 附件1
    NONE = "none"


class Role(StrEnum):
    LEAD = "lead"          # 牵头 / 牵头单位 / 责任单位
    SUPPORT = "support"    # 配合 / 参与 / 协同 / 协助, and 负责 beside a 牵头 unit


class DeadlineKind(StrEnum):
    BY = "by"              # a point: 到…, …前, …底, a year on its own
    RANGE = "range"        # 2023-2025年
    ONGOING = "ongoing"    # 持续推进, 常态化, 每年 …


class Comparator(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUAL = "="
    DECREASE = "decrease"
    INCREASE = "increase"
    RANGE = "range"
