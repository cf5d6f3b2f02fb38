"""PDF reader: page provenance, running heads removed, paragraphs re-joined, tables, bad files."""
from pathlib import Path

import pdfplumber
import pytest

from pipeline.clean import clean
from pipeline.errors import IngestError
from pipeline.ingest import ingest_paths
from pipeline.provenance import SpanMaker
from pipeline.readers import read_file
from pipeline.readers.pdf import _LABEL_START, _PAGE_NUMBER, _SENTENCE_END
from pipeline.store import Store

FIX = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize("line, is_page_number", [
    ("— 3 —", True), ("- 12 -", True), ("第3页", True), ("第 3 页 共 10 页", True), ("3/12", True), ("7", True),
    ("Page 2 of 9", True), ("到2025年底", False), ("3. 加强管理", False), ("—— 附件 ——", False),
])
def test_page_number_lines(line, is_page_number):
    assert bool(_PAGE_NUMBER.match(line)) is is_page_number


@pytest.mark.parametrize("line, starts_paragraph", [
    ("一、总体要求", True), ("（三）强化考核", True), ("(2)完善制度", True), ("12.加强计划用水。", True),
    ("③按季通报", True), ("第五条 各单位应当", True), ("附件：任务清单", True),
    ("2025年底前完成", False), ("2.5亿立方米以内", False), ("水利局牵头", False),
])
def test_label_start(line, starts_paragraph):
    assert bool(_LABEL_START.match(line)) is starts_paragraph


@pytest.mark.parametrize("line, ends", [
    ("全面完成改造任务。", True), ("（县水利局牵头）", True), ("主要任务：", True), ("确保“节水优先”。”", True),
    ("全县用水总量控制", False), ("2023-2025", False),
])
def test_sentence_end(line, ends):
    assert bool(_SENTENCE_END.search(line)) is ends


def _printed_page(path: Path, phrase: str) -> int:
    """Oracle independent of the reader: the page whose own text holds the phrase."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if phrase in "".join((page.extract_text() or "").split()):
                return page.page_number
    raise AssertionError(phrase)


@pytest.mark.parametrize("stem, phrase", [
    ("003_9823cad0ae2b82be", "一、总体要求"),
    ("003_9823cad0ae2b82be", "加强用水计量统计"),
    ("003_9823cad0ae2b82be", "昌吉市节水行动实施方案任务清单"),
    ("004_c0d36fa321cfe27d", "完善应急水源保障体系"),
    ("004_c0d36fa321cfe27d", "强化责任落实"),
    ("001_95467a027dd3b25b", "加大工业节水奖励扶持"),
])
def test_spans_carry_the_printed_page(stem, phrase):
    path = FIX / f"{stem}.pdf"
    raw = read_file(path)
    ct = clean(raw.text)
    to_span = SpanMaker(ct, raw.page_starts, raw.block_starts)
    squashed = "".join(ct.text.split())
    assert phrase in squashed
    start = ct.text.find(phrase)
    assert start >= 0, phrase
    expected = _printed_page(path, phrase)
    assert expected > 1 or phrase == "一、总体要求"
    assert to_span(start, start + len(phrase)).page == expected


def test_running_heads_and_page_numbers_removed_tables_joined_across_pages():
    raw = read_file(FIX / "003_9823cad0ae2b82be.pdf")
    assert len(raw.page_starts) > 10
    assert "— 2 —" not in raw.text and "— 10 —" not in raw.text
    title_line = "昌市政办发〔2021〕14号"
    assert raw.text.count(title_line) == 1        # the running header repeats the first line on every page
    headers = [ln for ln in raw.text.split("\n") if ln.startswith("序号\t类别")]
    assert len(headers) == 1                      # header repeated on each page dropped


def test_paragraph_rejoined_across_page_break_and_heading_not_glued():
    raw = read_file(FIX / "004_c0d36fa321cfe27d.pdf")
    lines = raw.text.split("\n")
    assert "一、总体要求" in lines and "（一）指导思想" in lines
    txt_lines = {ln.strip() for ln in read_file(Path(__file__).parent.parent / "corpus" / "004_c0d36fa321cfe27d.txt").text.split("\n")}
    long_ones = [ln for ln in lines if len(ln) > 120]
    # every long paragraph of the PDF is exactly a paragraph of the plain text (none cut, none glued)
    assert long_ones and sum(ln in txt_lines for ln in long_ones) >= 0.9 * len(long_ones)


@pytest.mark.parametrize("name, code", [
    ("encrypted.pdf", "E020"), ("scanned.pdf", "E021"), ("cid_garbled.pdf", "E022"),
])
def test_unreadable_pdfs_fail_clearly(name, code):
    with pytest.raises(IngestError) as err:
        read_file(FIX / name)
    assert err.value.code == code
    assert str(err.value).startswith(f"[{code}]")


def test_garbled_minority_pages_left_out_with_warning():
    raw = read_file(FIX / "partly_garbled.pdf")
    assert any(w.startswith("[W020] pages 1:") for w in raw.warnings), raw.warnings
    assert "(cid:" not in raw.text and "某县节约用水工作方案" in raw.text and "二、保障措施" in raw.text
    assert raw.page_starts[0] == raw.page_starts[1] == 0


def test_bad_files_fail_and_the_batch_goes_on(tmp_path):
    import shutil
    for name in ("encrypted.pdf", "scanned.pdf", "cid_garbled.pdf", "corrupt.docx", "001_95467a027dd3b25b.pdf"):
        shutil.copy(FIX / name, tmp_path / name)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage without objects")
    store = Store.open(tmp_path.parent / f"{tmp_path.name}.db")
    report = ingest_paths([tmp_path], store)
    codes = {r.path.name: (r.error or "")[1:5] for r in report.failed}
    assert codes == {"encrypted.pdf": "E020", "scanned.pdf": "E021", "cid_garbled.pdf": "E022",
                     "corrupt.docx": "E023", "broken.pdf": "E026"}
    assert [r.path.name for r in report.results if r.outcome == "ingested"] == ["001_95467a027dd3b25b.pdf"]
    store.close()


# -- unruled tables ----------------------------------------------------------------------------
def _line(top: float, pieces: list[tuple[float, str]], size: float = 10.0):
    """A synthetic line: each piece's glyphs one character wide from x; "　" and " " are space glyphs."""
    from pipeline.readers.pdf_page import Char, Line, line_text

    chars = []
    for x, text in pieces:
        for k, ch in enumerate(text):
            chars.append(Char(ch, x + k * size, x + (k + 1) * size, top, top + size, 0, ch in " 　"))
    ink = [c for c in chars if not c.space]
    return Line(line_text(chars), ink[0].x0, ink[-1].x1, top, top + size, 1, size, chars)


def _rows(*rows, pitch: float = 16.0):
    return [_line(100 + k * pitch, pieces) for k, pieces in enumerate(rows)]


_TABLE_CASES = {
    "three columns, header and three rows": (
        _rows([(50, "序号"), (100, "任务"), (300, "牵头单位")],
              [(50, "1"), (100, "建设节水型机关"), (300, "县水利局")],
              [(50, "2"), (100, "改造供水管网"), (300, "县住建局")],
              [(50, "3"), (100, "开展宣传活动"), (300, "县委宣传部")]),
        [["序号", "任务", "牵头单位"], ["1", "建设节水型机关", "县水利局"], ["2", "改造供水管网", "县住建局"],
         ["3", "开展宣传活动", "县委宣传部"]]),
    "two columns of indicators": (
        _rows([(80, "指标"), (300, "目标值")], [(80, "用水总量"), (300, "1.5亿立方米")],
              [(80, "万元GDP用水量"), (300, "下降10%")], [(80, "管网漏损率"), (300, "9%以内")]),
        [["指标", "目标值"], ["用水总量", "1.5亿立方米"], ["万元GDP用水量", "下降10%"], ["管网漏损率", "9%以内"]]),
    "a cell wrapped onto a second line joins its row": (
        [_line(100, [(50, "序号"), (100, "任务"), (300, "单位")]),
         _line(120, [(50, "1"), (100, "实施城区管网漏损改造，改造老"), (300, "县住建局")]),
         _line(132, [(100, "旧管网12公里")]),
         _line(152, [(50, "2"), (100, "开展宣传"), (300, "县水利局")])],
        [["序号", "任务", "单位"], ["1", "实施城区管网漏损改造，改造老旧管网12公里", "县住建局"], ["2", "开展宣传", "县水利局"]]),
    "a bare gap of 1.1 characters is a column gap": (
        _rows([(50, "组长：张三"), (111, "县长")], [(50, "成员：李四"), (111, "局长")], [(50, "成员：王五"), (111, "局长")]),
        [["组长：张三", "县长"], ["成员：李四", "局长"], ["成员：王五", "局长"]]),
}


@pytest.mark.parametrize("case", list(_TABLE_CASES))
def test_unruled_columns_become_a_table(case):
    from pipeline.readers.pdf_page import TableBlock
    from pipeline.readers.pdf_tables import unruled_tables

    lines, grid = _TABLE_CASES[case]
    out = unruled_tables(lines, 1)
    assert len(out) == 1 and isinstance(out[0], TableBlock), [getattr(b, "text", b) for b in out]
    assert out[0].grid == grid


_TEXT_CASES = {
    "paragraph lines fill the measure": _rows([(50, "各乡镇各部门要加强组织领导明确责任分工确保各项任务落到实处")] * 4),
    "one ideographic space after an article number": _rows(
        [(50, "第一条　本要点由县水利局负责解释。")], [(50, "第二条　本要点自印发之日起施行。")],
        [(50, "第三条　各单位可结合实际制定细则。")]),
    "two spaced lines only": _rows([(50, "联系人：王某"), (150, "电话：1234567")],
                                   [(50, "传　真：王某"), (150, "邮箱：a@b.cn")]),
    "gaps that do not line up": _rows([(50, "甲乙丙"), (120, "丁戊")], [(50, "甲乙丙丁戊己庚"), (200, "辛")],
                                      [(50, "甲"), (80, "乙丙丁戊己庚辛壬癸")]),
    "list labels set off by a tab (Word numbering)": _rows(
        [(50, "1."), (80, "加强组织领导。")], [(50, "2."), (80, "强化资金保障，")], [(80, "落实配套经费。")],
        [(50, "3."), (80, "严格考核问责。")]),
    "a gap of 1.1 characters made of a typed space is a writer's spacing": _rows(
        [(50, "组长：张三"), (110, " "), (111, "县长")], [(50, "成员：李四"), (110, " "), (111, "局长")],
        [(50, "成员：王五"), (110, " "), (111, "局长")]),
}


@pytest.mark.parametrize("case", list(_TEXT_CASES))
def test_text_that_is_not_a_table_stays_text(case):
    from pipeline.readers.pdf_page import Line
    from pipeline.readers.pdf_tables import unruled_tables

    lines = _TEXT_CASES[case]
    out = unruled_tables(lines, 1)
    assert all(isinstance(b, Line) for b in out) and len(out) == len(lines)


def test_heading_after_an_unruled_table_is_not_a_row():
    from pipeline.readers.pdf_page import Line, TableBlock
    from pipeline.readers.pdf_tables import unruled_tables

    lines = _rows([(50, "序号"), (100, "任务"), (300, "单位")], [(50, "1"), (100, "建设"), (300, "水利局")],
                  [(50, "2"), (100, "改造"), (300, "住建局")], [(50, "二、保障措施")])
    out = unruled_tables(lines, 1)
    assert isinstance(out[0], TableBlock) and len(out[0].grid) == 3
    assert isinstance(out[1], Line) and out[1].text == "二、保障措施"


def test_unruled_pdf_table_read_as_rows():
    raw = read_file(FIX / "unruled.pdf")
    lines = raw.text.split("\n")
    table = [ln for ln in lines if "\t" in ln]
    assert table == [
        "序号\t工作任务\t牵头单位\t完成时限",
        "1\t开展县级节水型机关建设，县直机关全部建成节水型单位\t县机关事务服务中心\t2024年6月底",
        "2\t推进农业高效节水灌溉\t县农业农村局 县水利局\t2024年10月底",
        "3\t实施城区供水管网漏损改造，改造老旧管网12公里，管网漏损率控制在9%以内\t县住房和城乡建设局\t2024年12月底",
        "4\t开展节水宣传周活动\t县水利局\t2024年5月底",
    ]
    assert "二、保障措施" in lines and "第二条 本要点自印发之日起施行。" in lines
    assert "各乡镇、各部门要加强组织领导，明确责任分工，确保各项任务落到实处，每季度报送进展情况。" in lines


def _drawn_pdf(draw) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    try:
        pdfmetrics.getFont("STSong-Light")
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


_BODY = ["一、工作目标", "到2025年底，全县用水总量控制在1.5亿立方米以内。", "二、保障措施"]


def test_text_turned_by_90_degrees_reads_in_its_own_direction_without_the_watermark():
    from pipeline.readers.pdf import pdf_to_text

    def draw(c):
        c.saveState()
        c.translate(500, 100)
        c.rotate(90)              # a landscape page set on a portrait sheet: lines run up the page
        c.setFont("STSong-Light", 12)
        for k, line in enumerate(_BODY):
            c.drawString(0, -k * 20, line)
        c.restoreState()
        c.saveState()
        c.translate(200, 400)
        c.rotate(45)              # a diagonal watermark is not part of the plan
        c.setFont("STSong-Light", 40)
        c.drawString(0, 0, "仅供参考")
        c.restoreState()

    out = pdf_to_text(_drawn_pdf(draw))
    assert out.text.split("\n")[:3] == _BODY and "仅供参考" not in out.text


def test_upright_page_with_a_diagonal_watermark():
    from pipeline.readers.pdf import pdf_to_text

    def draw(c):
        c.setFont("STSong-Light", 12)
        for k, line in enumerate(_BODY):
            c.drawString(72, 700 - k * 20, line)
        c.saveState()
        c.translate(200, 400)
        c.rotate(45)
        c.setFont("STSong-Light", 40)
        c.drawString(0, 0, "仅供参考")
        c.restoreState()

    out = pdf_to_text(_drawn_pdf(draw))
    assert out.text.split("\n")[:3] == _BODY and "仅" not in out.text


def test_ruled_table_on_a_turned_page():
    from reportlab.platypus import Table, TableStyle

    from pipeline.readers.pdf import pdf_to_text

    def draw(c):
        t = Table([["序号", "任务", "牵头单位"], ["1", "建设节水型机关", "县水利局"], ["2", "改造管网", "县住建局"]],
                  colWidths=[40, 150, 100])
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONTNAME", (0, 0), (-1, -1), "STSong-Light")]))
        c.saveState()
        c.translate(400, 100)
        c.rotate(90)
        _, h = t.wrapOn(c, 300, 300)
        t.drawOn(c, 0, 0)
        c.setFont("STSong-Light", 12)
        c.drawString(0, h + 10, "附件：任务清单")
        c.restoreState()

    assert pdf_to_text(_drawn_pdf(draw)).text == "附件：任务清单\n序号\t任务\t牵头单位\n1\t建设节水型机关\t县水利局\n2\t改造管网\t县住建局\n\n"


def test_unruled_table_continued_on_the_next_page():
    raw = read_file(FIX / "unruled_long.pdf")
    lines = raw.text.split("\n")
    rows = [ln for ln in lines if "\t" in ln]
    assert len(raw.page_starts) == 2
    assert rows[0] == "序号\t工作任务\t牵头单位\t完成时限" and len(rows) == 41     # header printed again: dropped
    assert [r.split("\t")[0] for r in rows[1:]] == [str(i) for i in range(1, 41)]
    assert rows[40] == "40\t第40项节水改造任务，完成老旧管网改造40公里\t县住房和城乡建设局\t2024年5月底"
    # the long lines are all in the table; the title and the heading are still separate lines
    assert lines[:2] == ["某县节水工作要点", "一、重点任务"] and "二、保障措施" in lines
