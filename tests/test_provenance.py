"""Span factory: pages and blocks of paged/structured sources are looked up from the reader's tables."""
from pipeline.clean import clean
from pipeline.provenance import SpanMaker


def test_plain_text_spans_have_no_page_or_block():
    ct = clean("一、总体要求\n到2025年底完成。\n")
    span = SpanMaker(ct)(0, 2)
    assert span.page is None and span.block is None
    assert (span.orig_start, span.orig_end) == (0, 2)


def test_pages_and_blocks_follow_source_offsets():
    orig = "第一页第一段。\n第一页第二段。\n第二页的段落。\n"
    ct = clean(orig)
    page2 = orig.index("第二页")
    maker = SpanMaker(ct, page_starts=(0, page2), block_starts=(0, orig.index("第一页第二段"), page2))
    s = ct.text.index("第二页")
    assert maker(s, s + 3).page == 2
    assert maker(s, s + 3).block == 2
    assert maker(0, 3).page == 1 and maker(0, 3).block == 0
    mid = ct.text.index("第一页第二段")
    assert maker(mid, mid + 2).page == 1 and maker(mid, mid + 2).block == 1
