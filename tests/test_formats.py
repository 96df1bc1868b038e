"""HTML pages, MHTML, DOCX and PDF read as their text; every failure is a one-line InputError."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.extract import extract_text
from policykg.extract.formats import docx as docx_module
from policykg.extract.formats import html_page, sniff
from policykg.extract.formats.docx import docx_to_text
from policykg.extract.formats.html_page import html_to_text
from policykg.extract.formats.pdf import pdf_to_text, reflow, strip_page_furniture
from policykg.extract.formats.wordnum import chinese_numeral, format_number
from policykg.extract.reader import to_text
from policykg.extract.tables import find_task_tables
from tests.conftest import DATA, REPO
from tests.data.formats import make_fixtures as fx

SUZHOU_TEXT = fx.SUZHOU.read_text(encoding="utf-8")
LINES = fx.suzhou_lines()
POLICY = "1.建立联席会议制度。（责任单位：市发改委、市财政局）"


def tasks(text: str) -> list[tuple[str, str | None, list[str]]]:
    return [(t.path, t.lead, t.co) for t in extract_text(text, "doc").tasks]


SUZHOU_TASKS = tasks(SUZHOU_TEXT)


# --- recognising the format -------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "suffix", "kind"), [
    (b"%PDF-1.7\n...", "", "pdf"),
    (b"\n%PDF-1.4 after a junk line", ".bin", "pdf"),
    (b"PK\x03\x04rest", "", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".doc", "ole2"),
    (b"{\\rtf1\\ansi", ".doc", "rtf"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "", "html"),
    (b"\xef\xbb\xbf\n  <html lang=zh><head>", ".txt", "html"),
    ("<html><body>政策</body></html>".encode("utf-16"), "", "html"),
    (b"<div>fragment</div>", ".htm", "html"),
    (b"<div>fragment</div>", "", "text"),  # a fragment with no page tags is taken for what it is named
    ("<<某某条例>>规定如下：".encode(), "", "text"),
    (b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;", "", "mhtml"),
    (SUZHOU_TEXT.encode("gb18030"), ".txt", "text"),
    (b"<html>an error page</html>", ".pdf", "pdf"),  # the converter says what is wrong
])
def test_sniff(data: bytes, suffix: str, kind: str):
    assert sniff(data, suffix) == kind


def test_plain_text_is_read_as_before():
    assert to_text(SUZHOU_TEXT.encode("gb18030"), "x.txt", ".txt") == SUZHOU_TEXT


# --- HTML ---------------------------------------------------------------------------------------------------

CHROME = ("首页", "政务公开", "当前位置", "欢迎访问", "无障碍", "搜索", "字号：", "打印本页", "关闭窗口", "分享到",
          "扫一扫", "相关文件", "政策解读", fx.SIDEBAR_LINK, fx.SIDEBAR_PROSE[:20], "网站标识码", "ICP备", "主办：",
          "网站地图", "脚本里的字", "pageType", "document.write", "tongji")


@pytest.mark.parametrize(("charset", "cms_markup"), [("utf-8", True), ("gb2312", True), ("utf-8", False)])
def test_portal_page_gives_the_document_text_and_no_chrome(charset: str, cms_markup: bool):
    text = html_to_text(fx.portal_page(LINES, charset=charset, cms_markup=cms_markup), "page.html")
    assert text == SUZHOU_TEXT + "\n"
    for junk in CHROME:
        assert junk not in SUZHOU_TEXT and junk not in text, junk


def test_table_layout_page_in_gbk():
    text = html_to_text(fx.table_layout_page(LINES), "old.html")
    assert text == SUZHOU_TEXT + "\n"
    assert "责任单位名录" not in text and "版权所有" not in text and "网站首页" not in text


@pytest.mark.parametrize("cms_markup", [True, False])
def test_short_document_in_heavy_chrome(cms_markup: bool):
    """A short notice weighs little against the site around it; it must still win, with its head."""
    lines = (DATA / "inline_fullwidth.txt").read_text(encoding="utf-8").splitlines()
    head = ["通知", "政策", "发布部门:市政府", "发布时间:2024年1月2日", "政策文号:无", "有效性:有效"]
    text = html_to_text(fx.portal_page([*head, *lines, "附件.pdf"], cms_markup=cms_markup), "short.html")
    assert text.splitlines() == [*head, *(line.strip() for line in lines if line.strip()), "附件.pdf"]
    for junk in CHROME:
        assert junk not in text, junk


def test_portal_cms_container_wins_over_long_prose_elsewhere():
    speech = "<p>" + "领导在会上强调，要压实责任单位的主体责任，确保各项任务落地见效。" * 40 + "</p>"
    page = (f'<html><body><div class="col"><div id="UCAP-CONTENT"><p>一、总体要求</p><p>{POLICY}</p>'
            f"<p>{'各单位要按照职责分工抓好落实。' * 30}</p></div></div>"
            f'<div class="col2"><h3>领导讲话</h3>{speech}</div></body></html>')
    text = html_to_text(page.encode(), "p.html")
    assert text.startswith("一、总体要求\n" + POLICY + "\n")
    assert "领导在会上强调" not in text


GOVCN_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知_中国政府网</title></head><body>
<div class="header_top"><a>国务院</a><a>总理</a><a>新闻</a><a>政策</a><a>互动</a><a>服务</a></div>
<div class="BreadcrumbNav"><a>首页</a> &gt; <a>政策</a> &gt; <a>国务院文件</a></div>
<div class="wrap"><div class="policyLibraryOverview_content">
<table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/2017-00123</td></tr>
<tr><td><b>发文字号：</b></td><td>苏府办〔2017〕173号</td></tr></table>
<div class="article oneColumn pub_border"><h1>关于进一步加强质量品牌建设的意见</h1>
<div class="pages-date">2017-06-21 15:30 来源： 苏州市政府办公室 <span class="font">【字体：<span>大</span>
<span>中</span> <span>小</span>】</span><span class="printIco">打印</span></div>
<div class="pages_content mhide" id="UCAP-CONTENT">BODY</div>
<div class="editor">【我要纠错】 责任编辑：张三</div><div class="share"><a>微信</a><a>微博</a></div></div>
<div class="related"><h3>相关稿件</h3><ul><li><a>关于明确责任单位的通知</a></li></ul></div></div></div>
<div class="footer"><p>版权所有：中国政府网 | 网站地图 | 联系我们</p>
<p>京ICP备05070218号 京公网安备11010202000001号</p></div>
</body></html>"""


def test_govcn_layout_keeps_metadata_cells_and_headline():
    body = "".join(f"<p style='text-indent: 2em;'>{line}</p>" for line in LINES[12:24])
    text = html_to_text(GOVCN_PAGE.replace("BODY", body).encode(), "gov.html")
    assert text.splitlines() == ["索 引 号：", "000014349/2017-00123", "发文字号：", "苏府办〔2017〕173号",
                                 "关于进一步加强质量品牌建设的意见", "2017-06-21 15:30 来源： 苏州市政府办公室",
                                 *LINES[12:24]]


def test_a_wrapper_taken_for_chrome_is_read_again():
    body = "".join(f"<p>{line}</p>" for line in LINES)
    page = (f'<html><body><div class="container top-space"><div class="nav-bar"><a href="/">首页</a></div>'
            f"{body}</div><div>版权所有</div></body></html>")
    assert html_to_text(page.encode(), "w.html") == SUZHOU_TEXT + "\n"


def test_blocks_line_breaks_and_table_cells():
    page = """<html><body><div class="content">
      <h2>一、总体要求</h2>
      <p>第一行<br>第二行<br/>第三行</p>
      <div>&nbsp;&nbsp;&nbsp;&nbsp;缩进的段落&lt;甲&gt;&amp;乙&#x4E19;</div>
      <p>源码里换行的
         中文不加空格，English words
         keep one space.</p>
      <table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>
        <tr><td>1</td><td>建立<br>联席会议制度</td><td>市发改委</td></tr>
        <tr><td>2</td><td><p>编制规划</p></td><td></td></tr></table>
      <ul><li>第一项<li>第二项</ul>
      <pre>  保留
  换行</pre>
    </div></body></html>"""
    assert html_to_text(page.encode(), "b.html").splitlines() == [
        "一、总体要求", "第一行", "第二行", "第三行", "缩进的段落<甲>&乙丙",
        "源码里换行的中文不加空格，English words keep one space.",
        "序号", "工作任务", "牵头单位", "1", "建立", "联席会议制度", "市发改委", "2", "编制规划",
        "第一项", "第二项", "保留", "换行",
    ]


def test_html_task_table_reaches_the_table_reader():
    rows = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "建立联席会议制度", "区发展改革委", "区财政局、区商务委", "2024年底前"],
            ["2", "编制专项规划", "区规划资源局", "——", "2024年6月"]]
    cells = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in rows)
    text = html_to_text(f"<html><body><div id='zoom'><p>附件</p><table>{cells}</table></div></body></html>".encode(),
                        "t.html")
    (table,) = find_task_tables(text)
    assert [(r.number, r.task, r.lead_cell) for r in table.rows] == [
        ("1", "建立联席会议制度", "区发展改革委"), ("2", "编制专项规划", "区规划资源局")]


def test_word_html_keeps_literal_list_numbers():
    page = ('<html><body><div class="WordSection1"><p class=MsoListParagraph><![if !supportLists]><span>1.'
            '<span style="font:7.0pt">&nbsp;&nbsp; </span></span><![endif]>建立联席会议制度。</p>'
            '<p class=MsoNormal><o:p>&nbsp;</o:p></p></div></body></html>')
    assert html_to_text(page.encode(), "w.html") == "1. 建立联席会议制度。\n"


@pytest.mark.parametrize(("label", "declared", "encoding"), [
    ("meta charset gbk", '<meta charset="gbk">', "gbk"),
    ("http-equiv gb2312", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
    ("no declaration, GBK bytes", "", "gbk"),
    ("no declaration, UTF-8 bytes", "", "utf-8"),
    ("stale gb2312 declaration, UTF-8 bytes", '<meta charset="gb2312">', "utf-8"),
    ("utf-8 declared, GBK bytes", '<meta charset="utf-8">', "gbk"),
    ("iso-8859-1 declared, GBK bytes", '<meta charset="iso-8859-1">', "gbk"),
    ("xml declaration", '<?xml version="1.0" encoding="GB18030"?>', "gb18030"),
    ("utf-16 with BOM", "", "utf-16"),
])
def test_html_charset(label: str, declared: str, encoding: str):
    page = f"{declared}<html><head><title>t</title></head><body><p>{POLICY}</p></body></html>"
    if declared.startswith("<?xml"):
        page = declared + page[len(declared):]
    assert html_to_text(page.encode(encoding), "c.html") == POLICY + "\n", label


def test_undecodable_html_is_an_input_error():
    with pytest.raises(InputError, match=r"^x\.html: HTML page is not in .*UTF-8 or GB18030"):
        html_to_text(b"<html><body><p>" + b"\xff\xfe\xfa\x80\x81" * 20 + b"</p></body></html>", "x.html")


@pytest.mark.parametrize("page", [
    f"<html><body><p>{POLICY}",  # nothing closed
    f"<p>{POLICY}</b></i></div></table></html>",  # stray end tags
    f"<b><p>{POLICY}</b></p>",  # misnested
    f"<![foo[bar]]><p>{POLICY}</p>",  # a marked section html.parser does not know
    f"<p>{POLICY}</br>x<<<>>> & &bogus; &#99999999;</p>",
    f"<p>{POLICY}</p><p class=\"x",  # cut off inside a tag
    f"<p>{POLICY}</p><!-- a comment that never ends",
    f"<p>{POLICY}</p><script>document.write('</div>')",  # a script that never ends
    f"<html><head><title>{'t' * 10000}<p>{POLICY}</p>",  # head never closed
    f"<table><td>{POLICY}<td>x</table><p/>",
])
def test_malformed_html_reads_or_fails_cleanly(page: str):
    try:
        text = html_to_text(page.encode(), "m.html")
    except InputError as exc:
        assert str(exc).startswith("m.html: ")
    else:
        assert POLICY in text


def test_page_without_article_text():
    page = (b'<html><head><script src="app.js"></script></head>'
            b'<body><div id="app"></div><noscript>x</noscript></body></html>')
    with pytest.raises(InputError, match=r"^js\.html: no article text in the HTML page"):
        html_to_text(page, "js.html")


def test_unterminated_construct_is_bounded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(html_page, "MAX_PENDING", 1000)
    monkeypatch.setattr(html_page, "CHUNK", 500)
    page = b"<html><body><p>x</p><!-- " + b"a" * 5000
    with pytest.raises(InputError, match=r"^u\.html: malformed HTML: a comment, tag or script that does not end"):
        html_to_text(page, "u.html")


def test_50_megabyte_page_keeps_memory_bounded(tmp_path: Path):
    page = fx.portal_page(LINES[:6] + LINES[6:-1] * 2200 + LINES[-1:])
    assert len(page) > 50_000_000
    big = tmp_path / "big.html"
    big.write_bytes(page)
    code = ("import resource, sys\nfrom policykg.extract.reader import read_source\n"
            "text, _ = read_source(sys.argv[1])\n"
            "print(len(text), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    chars, peak_kib = map(int, proc.stdout.split())
    assert chars > 17_000_000
    # the page is 51 MB: a DOM of it would take several gigabytes; the streaming reader stays near 300 MB
    # alone (up to ~460 MB seen inside the whole suite), so 600 MB is the bound that still proves the point
    assert peak_kib < 600 * 1024


def test_mhtml_single_file_page():
    message = MIMEMultipart("related")
    part = MIMEText(fx.portal_page(LINES, charset="gb2312").decode("gb18030"), "html", "gb18030")
    message.attach(part)
    message.attach(MIMEText("body { color: red }", "css", "utf-8"))
    data = b"From: <Saved by Blink>\r\n" + message.as_bytes()
    assert sniff(data, ".mhtml") == "mhtml"
    assert to_text(data, "page.mhtml", ".mhtml") == SUZHOU_TEXT + "\n"


# --- DOCX ---------------------------------------------------------------------------------------------------


def test_docx_from_the_corpus_text_is_exact():
    text = docx_to_text(fx.suzhou_docx(LINES), "s.docx")
    assert text == SUZHOU_TEXT + "\n"
    assert "已删除的旧文字" not in text and "HYPERLINK" not in text


def test_docx_stored_without_compression():
    body = fx.w_p("一、总体要求") + fx.w_p(POLICY)
    data = fx.docx_package(body, compression=zipfile.ZIP_STORED)
    assert docx_to_text(data, "s.docx") == f"一、总体要求\n{POLICY}\n"


def test_docx_automatic_numbering_is_rendered():
    body = "".join([
        fx.w_p("总体要求", num=(1, 0)),
        fx.w_p("加强组织领导", num=(1, 1)),
        fx.w_p("建立联席会议制度。（责任单位：市发改委）", num=(1, 2)),
        fx.w_p("编制专项规划。（责任单位：市财政局）", num=(1, 2)),
        fx.w_p("强化督查", num=(1, 1)),
        fx.w_p("开展专项督查。（责任单位：市政府办公室）", num=(1, 2)),
        fx.w_p("一个圆点列表项", num=(2, 0)),
        fx.w_p("保障措施", style="Heading1Red"),  # numbered through its style's parent
    ])
    data = fx.docx_package(body, numbering_xml=fx.NUMBERING_XML, styles_xml=fx.STYLES_XML)
    text = docx_to_text(data, "n.docx")
    assert text.splitlines() == [
        "一、总体要求", "（一）加强组织领导", "1.建立联席会议制度。（责任单位：市发改委）",
        "2.编制专项规划。（责任单位：市财政局）", "（二）强化督查", "1.开展专项督查。（责任单位：市政府办公室）",
        "一个圆点列表项", "二、保障措施",
    ]
    assert tasks(text) == [("一/（一）/1", "市发改委", []), ("一/（一）/2", "市财政局", []),
                           ("一/（二）/1", "市政府办公室", [])]


def test_docx_start_override_restarts_a_list():
    numbering = fx.NUMBERING_XML + ('<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
                                    '<w:startOverride w:val="5"/></w:lvlOverride></w:num>')
    body = fx.w_p("甲", num=(1, 0)) + fx.w_p("乙", num=(3, 0)) + fx.w_p("丙", num=(3, 0))
    text = docx_to_text(fx.docx_package(body, numbering_xml=numbering), "n.docx")
    assert text.splitlines() == ["一、甲", "五、乙", "六、丙"]


@pytest.mark.parametrize(("n", "fmt", "label"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCountingThousand", "二十"), (105, "chineseCounting", "一百零五"), (3, "decimalEnclosedCircle", "③"),
    (2, "ideographTraditional", "乙"), (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"),
    (3, "decimalFullWidth", "３"), (7, "chineseLegalSimplified", "柒"), (9, "somethingNew", "9"),
])
def test_number_formats(n: int, fmt: str, label: str):
    assert format_number(n, fmt) == label


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 11, 30, 99, 100, 1010)] == [
        "一", "十一", "三十", "九十九", "一百", "一千零一十"]


def test_docx_table_one_cell_per_line():
    rows = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "建立联席会议制度", "区发展改革委", "区财政局、区商务委", "2024年底前"],
            ["2", "编制专项规划\n（含年度计划）", "区规划资源局", "——", "2024年6月"],
            ["3", "开展专项督查", None, None, "长期"]]  # unit cells merged with the row above
    text = docx_to_text(fx.docx_package(fx.w_p("附件") + fx.w_table(rows)), "t.docx")
    assert text.splitlines() == ["附件", "序号", "工作任务", "牵头单位", "配合单位", "完成时限",
                                 "1", "建立联席会议制度", "区发展改革委", "区财政局、区商务委", "2024年底前",
                                 "2", "编制专项规划", "（含年度计划）", "区规划资源局", "——", "2024年6月",
                                 "3", "开展专项督查", "长期"]
    (table,) = find_task_tables(text)
    assert [(r.number, r.lead_cell, r.inherited) for r in table.rows] == [
        ("1", "区发展改革委", False), ("2", "区规划资源局", False), ("3", "区规划资源局", True)]


def test_docx_text_box_content_once_and_line_breaks():
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
           '<w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent>'
           "</w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    body = fx.w_p("第一行", raw='<w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>制表符后</w:t></w:r>' + box)
    body += '<w:sdt><w:sdtContent><w:p><w:r><w:t>内容控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    text = docx_to_text(fx.docx_package(body), "b.docx")
    assert text.splitlines() == ["第一行", "第二行\t制表符后", "文本框里的字", "内容控件里的段落"]


def _zip(parts: dict[str, str]) -> bytes:
    return fx.zip_bytes(parts)


@pytest.mark.parametrize(("data", "message"), [
    (_zip({"readme.txt": "hello"}), "a zip archive, not a DOCX (no word/document.xml)"),
    (_zip({"xl/workbook.xml": "<x/>"}), "an Excel workbook (XLSX), not a DOCX"),
    (_zip({"OFD.xml": "<x/>"}), "an OFD document (GB/T 33190), which is not supported"),
    (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
     "an OpenDocument file (ODT), not a DOCX"),
    (fx.suzhou_docx(LINES)[:3000], "truncated or corrupt zip archive (cannot be read as a DOCX)"),
    (b"PK\x03\x04" + b"\x00" * 100, "truncated or corrupt zip archive"),
    (_zip({"word/document.xml": "<w:document><w:body><w:p>"}), "corrupt DOCX ("),
    (fx.docx_package(""), "DOCX has no text in its body"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "a legacy Word .doc/.wps file or a password-protected"),
])
def test_docx_errors(data: bytes, message: str):
    with pytest.raises(InputError) as exc:
        to_text(data, "d.docx", ".docx")
    assert str(exc.value).startswith("d.docx: " + message)


def test_docx_encrypted_zip_member():
    data = bytearray(fx.docx_package(fx.w_p(POLICY)))
    # set the "encrypted" flag of every entry, local and central headers alike
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(sig, start)) >= 0:
            data[start + offset] |= 1
            start += 4
    with pytest.raises(InputError, match=r"^e\.docx: an encrypted zip archive"):
        docx_to_text(bytes(data), "e.docx")


def test_docx_part_size_limit(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(docx_module, "MAX_PART_BYTES", 2000)
    with pytest.raises(InputError, match=r"^big\.docx: word/document\.xml is 0 MiB uncompressed, over the"):
        docx_to_text(fx.docx_package(fx.w_p(POLICY) * 50), "big.docx")


# --- PDF ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("furniture_first", [False, True])
def test_pdf_of_the_corpus_text_gives_the_same_tasks(furniture_first: bool):
    text = pdf_to_text(fx.suzhou_pdf(LINES, furniture_first=furniture_first), "s.pdf")
    assert "苏州市人民政府办公室文件" not in text
    assert "— 3 —" not in text and "—" in text  # page numbers gone, the dash of 市长质量奖—省质量奖 kept
    assert tasks(text) == SUZHOU_TASKS
    assert text.splitlines()[:6] == LINES[:6]


def test_pdf_ascii_text_layer():
    pages = [["Section 1. Scope", "This regulation applies to all", "units.", "1"],
             ["Section 2. Duties", "The office leads.", "2"]]
    text = pdf_to_text(fx.pdf_bytes(pages, cjk=False), "a.pdf")
    assert text.splitlines() == ["Section 1. Scope", "This regulation applies to all units.",
                                 "Section 2. Duties", "The office leads."]


def test_pdf_letter_spaced_glyphs_are_joined():
    # each glyph placed on its own: pypdf writes a space between all of them
    text = "到2020年，全市卓越绩效管理示范企业总数达到80家"
    ops = " ".join(f"BT /F1 10.5 Tf 1 0 0 1 {60 + 12 * i} 800 Tm <{ch.encode('utf-16-be').hex()}> Tj ET"
                   for i, ch in enumerate(text))
    pdf = _replace_content(fx.pdf_bytes([["x"]]), ops.encode())
    assert pdf_to_text(pdf, "g.pdf") == text + "\n"


def _replace_content(pdf: bytes, content: bytes) -> bytes:
    """The one-page PDF with its content stream replaced (and the file re-assembled)."""
    objects = []
    for chunk in pdf.split(b" 0 obj\n")[1:]:
        objects.append(chunk.split(b"\nendobj\n")[0])
    objects[5] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    return fx.assemble_pdf(objects)


def test_page_furniture():
    pages = [["苏州市人民政府文件", "一、总体要求", "正文第一页", "— 1 —"],
             ["- 2 -", "苏州市人民政府文件", "正文第二页", "1"],  # the bare 1 is a table cell, not page 2
             ["苏州市人民政府文件", "正文第三页", "第3页 共4页"],
             ["苏州市人民政府文件", "正文第四页", "4/4"]]
    assert strip_page_furniture(pages) == [["一、总体要求", "正文第一页"], ["正文第二页", "1"], ["正文第三页"],
                                           ["正文第四页"]]


def test_bare_page_numbers_only_when_they_count_with_the_pages():
    counting = [["正文一", "1"], ["正文二", "2"], ["正文三", "3"]]
    assert strip_page_furniture(counting) == [["正文一"], ["正文二"], ["正文三"]]
    cells = [["序号", "1"], ["任务", "1"], ["单位", "5"]]
    assert strip_page_furniture(cells) == cells
    assert strip_page_furniture([["只有一页", "1"]]) == [["只有一页", "1"]]


def test_reflow_joins_wrapped_lines_back_into_paragraphs():
    paragraphs = [
        "一、总体要求",
        "为深入贯彻落实党中央、国务院决策部署，进一步加强质量品牌建设，推动高质量发展，现就有关事项通知如下：",
        "（一）加强组织领导。各地各部门要把质量品牌建设摆上重要议事日程，加强统筹协调。（责任单位："
        "市发展改革委、市财政局、市商务局）",
        "短行",
        "推行ISO9000质量管理体系认证，推动企业导入management systems并开展培训，提升水平。",
    ]
    lines = [line for para in paragraphs for line in fx.wrap(para, 40)]
    assert len(lines) > 2 * len(paragraphs)
    assert reflow(lines) == paragraphs


def test_reflow_keeps_a_full_line_that_ends_a_sentence():
    lines = ["这一行写满了整个版心的宽度并且以句号结束。", "下一行是新的段落开头部分的文字内容而已", "短行"]
    assert reflow(lines) == lines


def test_pdf_owner_password_only_is_read():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fx.pdf_bytes([["一、总体要求", POLICY]]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    assert pdf_to_text(_written(writer), "o.pdf") == f"一、总体要求\n{POLICY}\n"


def test_pdf_with_user_password():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fx.pdf_bytes([[POLICY]]))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with pytest.raises(InputError, match=r"^p\.pdf: encrypted PDF that needs a password to open$"):
        pdf_to_text(_written(writer), "p.pdf")


def test_pdf_aes_without_cryptography(monkeypatch: pytest.MonkeyPatch):
    import pypdf
    from pypdf.errors import DependencyError

    class AESReader:  # what pypdf does with an AES-encrypted file when no crypto library is installed
        is_encrypted = True

        def __init__(self, stream, strict: bool) -> None:
            pass

        def decrypt(self, password: str) -> int:
            raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pypdf, "PdfReader", AESReader)
    with pytest.raises(InputError, match=r"^a\.pdf: encrypted PDF \(AES\); reading it needs the 'cryptography'"):
        pdf_to_text(fx.pdf_bytes([[POLICY]]), "a.pdf")


def _written(writer) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (fx.scanned_pdf(), "no text layer (scanned PDF?)"),
    (fx.suzhou_pdf(LINES)[:20000], "truncated PDF (no %%EOF at the end: an incomplete download?)"),
    (b"%PDF-1.4\n" + b"\x00garbage" * 200 + b"\n%%EOF\n", "corrupt PDF ("),
    (b"<!DOCTYPE html><html><body>404</body></html>", "not a PDF (no %PDF- header; the content is an HTML page"),
    (b"just some text", "not a PDF (no %PDF- header)"),
])
def test_pdf_errors(data: bytes, message: str):
    with pytest.raises(InputError) as exc:
        to_text(data, "f.pdf", ".pdf")
    assert str(exc.value).startswith("f.pdf: " + message)


def test_pdf_reading_prints_nothing(capfd: pytest.CaptureFixture[str]):
    damaged = fx.suzhou_pdf(LINES).replace(b"startxref\n", b"startxref\n9")  # a wrong xref offset: pypdf warns
    text = pdf_to_text(damaged, "w.pdf")
    assert "指导思想" in text
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


# --- the command line ---------------------------------------------------------------------------------------


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], input=stdin, capture_output=True, cwd=REPO,
                          timeout=300)


def cli_tasks(path: str, stdin: bytes | None = None) -> list[dict]:
    proc = run_cli("extract", path, stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)["tasks"]


def test_cli_extracts_the_same_tasks_from_every_format(tmp_path: Path):
    reference = cli_tasks(str(fx.SUZHOU))
    for name, data in fx.all_fixtures().items():
        (tmp_path / name).write_bytes(data)
    for name in ("suzhou-portal.html", "suzhou-portal-gb2312.html", "suzhou-table-layout.html", "suzhou.docx"):
        assert cli_tasks(str(tmp_path / name)) == reference, name
    pdf_tasks = cli_tasks(str(tmp_path / "suzhou.pdf"))  # line breaks differ, so spans do too
    assert [(t["path"], t["lead"], t["co"]) for t in pdf_tasks] == [(t["path"], t["lead"], t["co"]) for t in reference]
    assert cli_tasks("-", stdin=(tmp_path / "suzhou-portal.html").read_bytes()) == reference


@pytest.mark.parametrize(("name", "data", "message"), [
    ("scan.pdf", fx.scanned_pdf(), "scan.pdf: no text layer (scanned PDF?)"),
    ("notes.docx", fx.zip_bytes({"notes.txt": "x"}), "notes.docx: a zip archive, not a DOCX"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "old.doc: a legacy Word .doc/.wps file"),
])
def test_cli_errors_are_one_line(tmp_path: Path, name: str, data: bytes, message: str):
    f = tmp_path / name
    f.write_bytes(data)
    proc = run_cli("extract", str(f))
    assert proc.returncode == 65
    err = proc.stderr.decode()
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith(f"policykg: error: {tmp_path}/{message}")
