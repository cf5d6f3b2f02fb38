"""Word .docx reader: automatic numbering, tables with merged cells, text boxes, what is left out."""
import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.errors import IngestError
from pipeline.readers import read_file
from pipeline.readers.docx import docx_to_text
from pipeline.readers.docx_numbering import chinese_counting, format_number

FIX = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize("n, expected", [
    (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"),
    (100, "一百"), (105, "一百零五"), (110, "一百一十"),
])
def test_chinese_counting(n, expected):
    assert chinese_counting(n) == expected


@pytest.mark.parametrize("n, fmt, expected", [
    (3, "decimal", "3"), (3, "chineseCountingThousand", "三"), (4, "decimalEnclosedCircle", "④"),
    (2, "ideographTraditional", "乙"), (12, "decimalFullWidth", "１２"), (3, "lowerLetter", "c"),
    (4, "upperRoman", "IV"), (7, "decimalZero", "07"),
])
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


LEVELS = [(0, "chineseCounting", "%1、"), (1, "chineseCounting", "（%2）"), (2, "decimal", "%3."),
          (3, "decimal", "（%4）"), (4, "decimalEnclosedCircle", "%5")]


def _doc_with_list(extra_nums: str = "", restart_lvl2: str = "") -> tuple[docx.Document, object]:
    d = docx.Document()
    root = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/>'
        + (restart_lvl2 if i == 2 else "") + '</w:lvl>' for i, f, t in LEVELS)
    first = root.find(parse_xml(f'<w:x {nsdecls("w")}/>').tag.replace("}x", "}num"))
    an = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">{lvls}</w:abstractNum>')
    first.addprevious(an) if first is not None else root.append(an)
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    if extra_nums:
        root.append(parse_xml(extra_nums))
    return d, root


def _numbered(d, text, ilvl, num_id="77"):
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _lines(d) -> list[str]:
    buf = io.BytesIO()
    d.save(buf)
    return [ln for ln in docx_to_text(buf.getvalue()).text.split("\n") if ln]


def test_levels_and_restarts():
    d, _ = _doc_with_list()
    for text, lvl in [("总体要求", 0), ("指导思想", 1), ("基本原则", 1), ("重点任务", 0), ("强化用水管理", 1),
                      ("严格取水许可。", 2), ("加强计划用水。", 2), ("细化到户", 3), ("按月统计", 4),
                      ("按季通报", 4), ("推进节水改造", 1), ("实施灌区改造。", 2)]:
        _numbered(d, text, lvl)
    assert _lines(d) == ["一、总体要求", "（一）指导思想", "（二）基本原则", "二、重点任务", "（一）强化用水管理",
                         "1. 严格取水许可。", "2. 加强计划用水。", "（1）细化到户", "①按月统计", "②按季通报",
                         "（二）推进节水改造", "1. 实施灌区改造。"]


def test_items_numbered_through_the_whole_plan_when_level_never_restarts():
    d, _ = _doc_with_list(restart_lvl2='<w:lvlRestart w:val="0"/>')
    for text, lvl in [("任务一", 0), ("落实责任。", 2), ("压实措施。", 2), ("任务二", 0), ("强化考核。", 2)]:
        _numbered(d, text, lvl)
    assert _lines(d) == ["一、任务一", "1. 落实责任。", "2. 压实措施。", "二、任务二", "3. 强化考核。"]


def test_start_override_restarts_a_list_instance():
    override = (f'<w:num {nsdecls("w")} w:numId="78"><w:abstractNumId w:val="77"/>'
                '<w:lvlOverride w:ilvl="2"><w:startOverride w:val="5"/></w:lvlOverride></w:num>')
    d, _ = _doc_with_list(extra_nums=override)
    _numbered(d, "前四项见上文", 0)
    _numbered(d, "第五项。", 2, num_id="78")
    _numbered(d, "第六项。", 2, num_id="78")
    assert _lines(d) == ["一、前四项见上文", "5. 第五项。", "6. 第六项。"]


def test_numbering_removed_and_bullets_carry_no_label():
    bullet = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="79"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
              '<w:lvlText w:val="•"/></w:lvl></w:abstractNum>')
    d, root = _doc_with_list()
    root.find(bullet and parse_xml(f'<w:x {nsdecls("w")}/>').tag.replace("}x", "}num")).addprevious(parse_xml(bullet))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="79"><w:abstractNumId w:val="79"/></w:num>'))
    _numbered(d, "加强宣传", 0, num_id="79")
    _numbered(d, "不编号的段落", 0, num_id="0")
    assert _lines(d) == ["加强宣传", "不编号的段落"]


def test_table_merged_cells_text_box_nested_table_and_no_header_footer():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "页眉文字不应出现"
    d.sections[0].footer.paragraphs[0].text = "— 1 —"
    d.add_paragraph("附件")
    t = d.add_table(rows=4, cols=3)
    for c, h in enumerate(["序号", "工作任务", "牵头单位"]):
        t.cell(0, c).text = h
    t.cell(1, 0).text = "一、强化管理"                     # group row: one cell across the row
    tr = t.rows[1]._tr
    for tc in tr.findall(tr[0].tag.replace("trPr", "tc"))[1:]:
        tr.remove(tc)
    tr.findall(tr[-1].tag)[0].get_or_add_tcPr().append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="3"/>'))
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(2, 2).text = "1", "建立用水台账", "县水利局"
    t.cell(3, 0).text, t.cell(3, 1).text = "2", "开展用水审计"
    t.cell(2, 2)._tc.get_or_add_tcPr().append(parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))
    t.cell(3, 2)._tc.get_or_add_tcPr().append(parse_xml(f'<w:vMerge {nsdecls("w")}/>'))
    nested = t.cell(3, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "甲镇", "乙镇"
    p = d.add_paragraph("正文段落")
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
        f'<w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict></w:r>'))
    lines = _lines(d)
    assert lines == ["附件", "序号\t工作任务\t牵头单位", "一、强化管理\t\t", "1\t建立用水台账\t县水利局",
                     "2\t开展用水审计 甲镇 乙镇\t县水利局", "正文段落", "文本框里的说明"]


def test_block_starts_point_at_each_paragraph():
    d = docx.Document()
    for s in ["第一段", "第二段", "第三段"]:
        d.add_paragraph(s)
    buf = io.BytesIO()
    d.save(buf)
    out = docx_to_text(buf.getvalue())
    assert [out.text[s:s + 3] for s in out.block_starts] == ["第一段", "第二段", "第三段"]


@pytest.mark.parametrize("stem, expected", [
    ("001_95467a027dd3b25b", ["一、工作目标", "二、重点任务", "（一）夯实工业节水工作基础", "1. 定期开展工业用水监测分析。",
                              "（二）多措并举推进节水增效", "7. 加强企业用水循环利用。"]),
    ("004_c0d36fa321cfe27d", ["一、总体要求", "（一）指导思想", "（二）基本原则", "二、重点任务"]),
])
def test_sample_headings_come_from_word_numbering(stem, expected):
    data = (FIX / f"{stem}.docx").read_bytes()
    assert b"w:numPr" in __import__("zipfile").ZipFile(io.BytesIO(data)).read("word/document.xml")
    lines = [ln.strip() for ln in docx_to_text(data).text.split("\n")]
    found = [next((ln for ln in lines if ln.startswith(e.split("。")[0].rstrip("。"))), None) for e in expected]
    assert all(f is not None for f in found), list(zip(expected, found))
    positions = [lines.index(f) for f in found]
    assert positions == sorted(positions)


def test_sample_merged_unit_cells_apply_to_each_row():
    text = read_file(FIX / "001_95467a027dd3b25b.docx").text
    rows = [ln for ln in text.split("\n") if ln.startswith("\t引导重点用水企业建立厂长")]
    assert rows and rows[0].split("\t")[2] == "各县区人民政府 张掖经开区管委会 市工信局 市水务局"
    assert "— 1 —" not in text


@pytest.mark.parametrize("name", ["corrupt.docx", "not_ooxml.docx"])
def test_corrupt_docx_is_e023(name):
    with pytest.raises(IngestError) as err:
        read_file(FIX / name)
    assert err.value.code == "E023"


def test_legacy_doc_without_libreoffice_is_e024(tmp_path, monkeypatch):
    from pipeline.readers import legacy
    monkeypatch.setattr(legacy, "soffice_binary", lambda: None)
    (tmp_path / "plan.wps").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(IngestError) as err:
        read_file(tmp_path / "plan.wps")
    assert err.value.code == "E024" and "install" in str(err.value)


def _styled_doc() -> docx.Document:
    """Headings numbered through their paragraph styles: 一级标题 carries numPr (level 0), 二级标题
    carries numPr (level 1), 条目标题 has none of its own and inherits 二级标题's through basedOn."""
    from docx.enum.style import WD_STYLE_TYPE

    d, _ = _doc_with_list()
    for name, lvl, base in [("一级标题", 0, None), ("二级标题", 1, None), ("条目标题", None, "二级标题")]:
        st = d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            st.base_style = d.styles[base]
        if lvl is not None:
            st.element.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{lvl}"/><w:numId w:val="77"/></w:numPr>'))
    for text, style in [("总体要求", "一级标题"), ("指导思想", "二级标题"), ("基本原则", "条目标题"),
                        ("坚持节水优先。", None), ("重点任务", "一级标题"), ("强化用水管理", "条目标题")]:
        d.add_paragraph(text, style=d.styles[style] if style else None)
    return d


_STYLED = ["一、总体要求", "（一）指导思想", "（二）基本原则", "坚持节水优先。", "二、重点任务", "（一）强化用水管理"]


def test_headings_numbered_through_their_styles():
    assert _lines(_styled_doc()) == _STYLED


def test_style_numbering_read_whatever_prefix_the_styles_part_uses():
    """The styles part is cut to the used styles at the byte level: its own namespace prefix must
    be found, not assumed to be w:."""
    import zipfile

    buf = io.BytesIO()
    _styled_doc().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == "word/styles.xml":
                raw = raw.replace(b"<w:", b"<ns0:").replace(b"</w:", b"</ns0:").replace(b" w:", b" ns0:")
                raw = raw.replace(b"xmlns:w=", b"xmlns:ns0=")
                assert b"<w:" not in raw
            dst.writestr(item, raw)
    assert [ln for ln in docx_to_text(out.getvalue()).text.split("\n") if ln] == _STYLED
