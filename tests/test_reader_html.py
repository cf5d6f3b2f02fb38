"""HTML reader: the article body without navigation; paragraphs and tables with merged cells."""
import pytest

from pipeline.errors import IngestError
from pipeline.readers.html import html_to_text

PAGE = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>某县人民政府</title>
<script>var x = "不应出现的脚本文字";</script></head><body>
<div class="nav"><a href="/">首页</a><a href="/zw">政务公开</a><a href="/gk">政府信息公开目录</a></div>
<div id="main"><div class="crumb"><a href="/">首页</a> &gt; <a href="/gk">通知公告</a></div>
<div class="article"><h1>某县节约用水工作方案</h1>
<p>为推进节约用水，制定本方案。</p><p>一、工作目标</p>
<p>到2025年底，全县用水总量控制在1.5亿立方米以内。<br>（县水利局牵头）</p>
<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>
<tr><td colspan="3">一、强化管理</td></tr>
<tr><td>1</td><td>建立用水台账</td><td rowspan="2">县水利局</td></tr>
<tr><td>2</td><td>开展用水审计</td></tr></table>
</div></div>
<div class="footer">主办：某县人民政府办公室 <a href="/map">网站地图</a> 版权所有</div></body></html>"""


def test_article_body_paragraphs_and_table():
    out = html_to_text(PAGE.encode("gb18030"))
    lines = [ln for ln in out.text.split("\n") if ln]
    assert lines == ["某县节约用水工作方案", "为推进节约用水，制定本方案。", "一、工作目标",
                     "到2025年底，全县用水总量控制在1.5亿立方米以内。", "（县水利局牵头）",
                     "序号\t工作任务\t牵头单位", "一、强化管理\t\t", "1\t建立用水台账\t县水利局",
                     "2\t开展用水审计\t县水利局"]
    assert out.encoding == "gb18030"


@pytest.mark.parametrize("junk", ["首页", "政务公开", "不应出现的脚本文字", "版权所有", "网站地图"])
def test_navigation_scripts_and_footer_left_out(junk):
    assert junk not in html_to_text(PAGE.encode("gb18030")).text


def test_page_without_article_is_e027():
    with pytest.raises(IngestError) as err:
        html_to_text(b"<html><body><nav><a href='/'>home</a></nav><script>var a=1</script></body></html>")
    assert err.value.code == "E027"
