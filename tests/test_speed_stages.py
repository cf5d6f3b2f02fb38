"""Fast paths added to the extraction stages give what the plain code gave."""
import random
from pathlib import Path

import pytest
import regex

from extractors.whitespace import no_whitespace
from extractors.unit_names import split_unit_list, split_unit_names
from pipeline.clean import clean
from pipeline.provenance import SpanMaker

_WS = regex.compile(r"\s+")
# every character regex's \s or str.isspace() calls whitespace, the four that only str.isspace()
# calls so, and ordinary text around them
_ALPHABET = ([chr(c) for c in range(0x21)] + [chr(c) for c in (0x7f, 0x85, 0xa0, 0x1680, 0x180e, 0x200b,
                                                               0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff)]
             + [chr(c) for c in range(0x2000, 0x200b)] + list("县水务局、和及与（）()牵头 ab12"))


def test_no_whitespace_is_the_regex_substitution():
    rng = random.Random(7)
    for _ in range(20000):
        s = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        assert no_whitespace(s) == _WS.sub("", s), repr(s)


@pytest.mark.parametrize("text", [
    "县发改委、工信局、水务局按照职责分工负责",
    "各县区人民政府 张掖经开区管委会 市工信局",
    "市农业\n农村局、市住房和城乡建设局及各乡镇（街道）",
    "各县（市、区）人民政府，市自然资源和规划局与市生态环境局",
    "县水务局牵头，县财政局配合",
    "考核实施细则",
    "",
    "  \n ",
    "县水务局\x1c县财政局",
])
def test_split_unit_names_shifted_is_split_unit_list(text):
    offset = 17
    units, rejects = split_unit_names(text)
    lst = split_unit_list(text, offset=offset)
    assert [(u.start + offset, u.end + offset, u.raw, u.name) for u in units] == \
           [(u.start, u.end, u.raw, u.name) for u in lst.units]
    assert [(r.start + offset, r.end + offset, r.raw, r.code) for r in rejects] == \
           [(r.start, r.end, r.raw, r.code) for r in lst.rejects]


def test_span_maker_refuses_what_to_orig_refuses():
    ct = clean("第一行\r\n第二行\n")
    maker = SpanMaker(ct)
    for start, end in ((0, len(ct.text) + 1), (-1, 2), (3, 2)):
        with pytest.raises(IndexError) as plain:
            ct.to_orig(start, end)
        with pytest.raises(IndexError) as fast:
            maker(start, end)
        assert str(fast.value) == str(plain.value)


# --------------------------------------------------------------------------- deadlines: needs
_ROOT = Path(__file__).resolve().parent.parent
_PLANS = sorted((_ROOT / "corpus").glob("*.txt")) + sorted((_ROOT / "tests" / "data" / "invented").glob("*.txt"))


def _plan_passages() -> list[str]:
    """Every line of the sample and invented plans, and every two adjacent lines together (a
    task's text joins its lines once whitespace is removed), whitespace removed."""
    out = []
    for path in _PLANS:
        lines = [no_whitespace(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        out += lines + [a + b for a, b in zip(lines, lines[1:])]
    return out


def _deadline_candidates_plain(compact: str):
    """deadlines._candidates without its shortcuts: every exclusion and every rule run on every
    text, whatever its `needs`."""
    from bisect import bisect_left

    from extractors.deadlines import _rules

    rules = _rules()
    blocked = [(m.start(), m.end()) for _, r, _ in rules.exclude for m in r.compiled.finditer(compact)]
    found = [(m, rule, prio) for prio, rule, _ in rules.find for m in rule.compiled.finditer(compact)
             if not any(s < m.end() and e > m.start() for s, e in blocked)]
    found.sort(key=lambda c: (c[0].start() - c[0].end(), c[2], c[0].start()))
    kept: list = []
    for cand in found:
        s, e = cand[0].span()
        if not any(k[0].start() < e and k[0].end() > s for k in kept):
            kept.append(cand)
    kept.sort(key=lambda c: c[0].start())
    return kept


def _token_phrases(pattern: str, n: int = 20000, seed: int = 3) -> list[str]:
    """Random phrases of 1-6 tokens: the Chinese words written in `pattern`, single characters of
    them, years, months, days and punctuation (the stuff time expressions are made of)."""
    import regex

    words = sorted(set(regex.findall(r"\p{Han}+", pattern)))
    words += sorted({c for w in words for c in w}) or ["年"]
    times = ["到", "至", "截至", "从", "自", "较", "比", "与", "今", "次", "明", "本", "当", "每", "2025", "2025年",
             "2023年", "二〇二五年", "2023—2025年", "2024、2025年", "6月", "十一月", "6", "30日", "三季度", "上半年",
             "年", "月", "底", "末", "前", "之前", "起", "以来", "后", "已", "的基础上", "相比", "度", "内", "旬", "—",
             "，", "。", "、"]
    rng = random.Random(seed)
    return ["".join(rng.choice(words if rng.random() < 0.3 else times) for _ in range(rng.randint(1, 8)))
            for _ in range(n)]


def test_deadline_needs_hold_on_every_plan_line():
    """A rule's `needs` lets it skip texts without those strings: on every line of the plans
    where the rule matches, one of them occurs."""
    from extractors.deadlines import _rules

    rules = _rules()
    passages = _plan_passages()
    checked = 0
    for _, rule, needs in rules.exclude + rules.find:
        if not needs:
            continue
        for text in passages + _token_phrases(rule.compiled.pattern, 4000):
            if rule.compiled.search(text):
                checked += 1
                assert any(n in text for n in needs), (rule.id, text)
    assert checked > 2000   # the check saw many matches, not none


def test_deadline_candidates_are_the_plain_ones():
    from extractors.deadlines import _candidates

    passages = _plan_passages()
    with_candidates = 0
    for text in passages:
        fast = [(m.span(), rule.id) for m, rule, _ in _candidates(text)]
        assert fast == [(m.span(), rule.id) for m, rule, _ in _deadline_candidates_plain(text)], text
        with_candidates += bool(fast)
    assert with_candidates > 300


def test_first_character_lookahead_changes_no_match():
    """by_relative_month opens with a lookahead of the characters its matches start with (a speed
    device): without it, the rule matches the same spans on every plan line."""
    import regex

    from extractors.ruleset import load_ruleset

    rule = load_ruleset("deadlines").rule("by_relative_month").compiled
    lookahead = regex.match(r"\(\?=\[[^\]]+\]\)", rule.pattern)
    assert lookahead is not None
    plain = regex.compile(rule.pattern[lookahead.end():], rule.flags)
    matched = 0
    for text in _plan_passages() + _token_phrases(rule.pattern):
        spans = [m.span() for m in rule.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)], text
        matched += bool(spans)
    assert matched > 200


def test_present_needs_are_the_substring_tests():
    from extractors.deadlines import _present, _rules

    rules = _rules()
    texts = _plan_passages() + _token_phrases("".join(rules.needs), 5000)
    nonempty = 0
    for text in texts:
        present = _present(text, rules)
        assert present == {n for n in rules.needs if n in text}, text
        nonempty += len(present) > 1
    assert nonempty > 1000


# --------------------------------------------------------------------------- roles: marker triggers
def test_marker_triggers_change_no_marker():
    """A marker rule with value.trigger is scanned only over text holding a trigger: on every plan
    line and on random label-like phrases, the markers found are those of scanning every rule."""
    from extractors.roles import _find_markers, _rules

    rules = _rules()["markers"]
    assert any(triggers for _, _, triggers in rules)
    words = ["完成", "时限", "期限", "时间", "节点", "要求", "牵头", "领导", "督办", "包保县", "责任人", "联系人",
             "单位", "责任", "配合", "县水务局", "：", ":", "】", "【", "；", " "]
    rng = random.Random(11)
    phrases = ["".join(rng.choice(words) for _ in range(rng.randint(1, 7))) for _ in range(20000)]
    seen = 0
    for text in [ln for p in _PLANS for ln in p.read_text(encoding="utf-8").splitlines()] + phrases:
        plain = []
        for rule, role, _ in rules:
            plain += [(m.start(), m.end(), role, rule.id) for m in rule.compiled.finditer(text)]
        plain.sort()
        kept = []
        for f in plain:
            if kept and f[0] < kept[-1][1]:
                if f[1] - f[0] > kept[-1][1] - kept[-1][0]:
                    kept[-1] = f
                continue
            kept.append(f)
        assert _find_markers(text, 0, len(text)) == kept, text
        seen += any(rid == "non_role_label" for *_, rid in kept)
    assert seen > 500


# --------------------------------------------------------------------------- metadata: repeated title
def _repeat_by_pattern(text: str, title: str, start: int):
    from extractors.metadata.text import stripped
    from extractors.metadata.title import _repeat_pattern

    m = _repeat_pattern(title).search(text, start)
    return stripped(text, m.span()) if m else None


def test_repeated_title_is_found_where_the_pattern_finds_it():
    """title._repeat_of scans for the title instead of compiling a pattern per title: it gives the
    pattern's span on random texts made of the title's characters, blanks and line breaks (and
    characters that are whitespace to str but not to regex), from random starts."""
    from extractors.metadata.title import _repeat_of

    rng = random.Random(5)
    found = 0
    for _ in range(6000):
        title = "".join(rng.choice("节水方案（2024）") for _ in range(rng.randint(1, 4)))
        pieces = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.4:   # the title, blanks and line breaks between its characters
                pieces.append("".join(c + rng.choice(["", "", " ", "\n", "\u3000", "\t", "\x1c"]) for c in title))
            else:
                pieces.append("".join(rng.choice("节水方案x \n\u3000\x1c\x85") for _ in range(rng.randint(0, 5))))
        text = "".join(pieces)
        start = rng.randint(0, len(text))
        expected = _repeat_by_pattern(text, title, start)
        assert _repeat_of(text, title, start) == expected, (text, title, start)
        found += expected is not None
    assert found > 200


def test_repeated_title_in_the_plans():
    from extractors.metadata.title import _repeat_of, find_heading
    from pipeline.clean import clean

    checked = 0
    for path in _PLANS:
        text = clean(path.read_text(encoding="utf-8")).text
        title = find_heading(text).title
        if title is None:
            continue
        for start in (0, title.start, title.end, len(text) // 2):
            assert _repeat_of(text, title.value, start) == _repeat_by_pattern(text, title.value, start)
            checked += 1
    assert checked > 40


# --------------------------------------------------------------------------- targets: ratio gate
def test_ratio_gate_lets_every_ratio_through():
    """targets._RATIO_GATE skips the ratio scan on texts it rejects: every text where the ratio rule
    matches passes it (plan lines and random texts of digits, separators, % and blanks, the four
    characters that are whitespace to `re` but not to `regex` included)."""
    from extractors.targets import _RATIO_GATE, _rules

    ratio = _rules()["ratio"][0].compiled
    rng = random.Random(13)
    alphabet = list("0123456789.,，%︰:：∶比例为 \t\n\u3000\x1c\x1f") + ["١", "٢"]
    texts = [ln for p in _PLANS for ln in p.read_text(encoding="utf-8").splitlines()]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(30000)]
    matched = 0
    for text in texts:
        if ratio.search(text):
            matched += 1
            assert _RATIO_GATE.search(text), text
    assert matched > 1000


# --------------------------------------------------------------------------- unit names: one-name pieces
def test_one_name_pieces_split_as_the_plain_loops(monkeypatch):
    """unit_names._split takes a piece without whitespace or conjunction as one name; with that
    shortcut off, the space and conjunction splits give the same units and rejects."""
    import extractors.unit_names as U

    rng = random.Random(17)
    words = ["县水务局", "市发改委", "工信局", "各乡镇人民政府", "住房和城乡建设局", "财政局", "及", "和", "与", "、", "，",
             " ", "\n", "（街道）", "牵头", "配合", "等部门", "按职责分工负责", "县", "区农业农村局", "\x1c", "考核细则"]
    texts = [ln for p in _PLANS for ln in p.read_text(encoding="utf-8").splitlines() if len(ln) < 80]
    texts += ["".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(5000)]
    fast = [U._split.__wrapped__(t) for t in texts]
    monkeypatch.setattr(U, "_one_name", lambda piece, conjunctions: False)
    plain = [U._split.__wrapped__(t) for t in texts]
    assert fast == plain
    assert sum(len(units) for units, _ in fast) > 3000
