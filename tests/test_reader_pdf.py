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
