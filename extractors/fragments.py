"""Named regex pieces that rule patterns reference as {NAME}.

Only names made of capitals, digits and underscores are fragments, so regex quantifiers such as
{1,4} are left alone. Fragments may reference earlier fragments.
"""

FRAGMENTS: dict[str, str] = {
    # characters
    "HAN": r"\p{Han}",
    "WS": r"[ \t\u3000\xa0]",
    "LPAREN": r"[（(]",
    "RPAREN": r"[）)]",
    "LBRACKET": r"[〔\[［【(（]",
    "RBRACKET": r"[〕\]］】)）]",
    "DASH": r"[-－—–~～至]",
    # numbers
    "CN_DIGIT": r"[〇零一二三四五六七八九两]",
    "CN_NUM": r"[〇零一二三四五六七八九十百千万两]+",
    "CN_ORDINAL": r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])",
    "NUM": r"\d+(?:\.\d+)?",
    "CIRCLED": r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]",
    # dates
    "YEAR": r"(?:19|20)\d{2}",
    "CN_YEAR": r"[〇零一二]{1}[〇零一二三四五六七八九]{3}",
    "MONTH": r"(?:1[0-2]|0?[1-9])",
    "DAY": r"(?:3[01]|[12]\d|0?[1-9])",
    "CN_MONTH": r"(?:十[一二]?|[一二三四五六七八九])",
    "CN_DAY": r"(?:三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])",
}
