"""Build the documents tests/test_formats.py reads: portal HTML pages, DOCX and PDF, all from plain text.

Nothing binary is committed: the tests call these builders. To look at the files yourself, run
    .venv/bin/python tests/data/formats/make_fixtures.py OUT_DIR
which writes every fixture there (suzhou-portal.html, suzhou.docx, suzhou.pdf, scanned.pdf ...).

The PDFs are written by hand: a Type0 font naming the non-embedded Adobe CJK font STSong-Light with the
predefined UniGB-UCS2-H CMap, so each string is UTF-16BE and the text layer is real CJK text, as in PDFs
from Chinese office suites that do not embed fonts.
"""

from __future__ import annotations

import html
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SUZHOU = REPO / "examples" / "suzhou-2017-173.txt"


def suzhou_lines() -> list[str]:
    return SUZHOU.read_text(encoding="utf-8").splitlines()


# --- HTML -------------------------------------------------------------------------------------------------

SIDEBAR_LINK = "关于明确质量强市工作责任单位的通知"
SIDEBAR_PROSE = ("政策解读：本意见明确了每项任务的责任单位和配合单位，"
                 "市质监局牵头负责全市质量品牌建设的统筹协调和督促检查工作。")
FOOTER_LINES = ("主办：苏州市人民政府办公室　承办：苏州市大数据管理局",
                "网站标识码：3205000001　苏ICP备05002341号　苏公网安备 32050802010530号",
                "地址：苏州市三香路998号　邮编：215004　联系电话：0512-68616000")


def portal_page(lines: Sequence[str], *, charset: str = "utf-8", cms_markup: bool = True) -> bytes:
    """A policy page as a city portal serves it: the document among navigation, sidebar, footer, scripts.

    With `cms_markup` the body sits in the container a TRS CMS writes (id=zoom, class=TRS_Editor);
    without it, in a plain div, so that only the scoring can find it.
    """
    body_attrs = 'id="zoom" class="TRS_Editor"' if cms_markup else 'class="wz-body"'
    title, category, *info = lines[:6]
    body, attachment = lines[6:-1], lines[-1]
    paragraphs = "\n".join(_paragraph(i, line) for i, line in enumerate(body))
    info_html = "".join(f"<p>{html.escape(x)}</p>" for x in [category, *info])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{html.escape(title)}">
<title>{html.escape(title)}_苏州市人民政府</title>
<link rel="stylesheet" href="/static/css/main.css">
<style>.nav li{{float:left}} .TRS_Editor p{{text-indent:2em}}</style>
<script type="text/javascript">var _hmt = _hmt || []; document.write("<div>责任单位：脚本里的字</div>");</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问苏州市人民政府网站</span>
  <a href="/wza/">无障碍</a> <a href="/zzmsh/">长者模式</a> <a href="/en/">English</a></div></div>
<div class="header"><div class="logo"><img src="/img/logo.png" alt="苏州市人民政府"></div>
  <form class="search-box" action="/search"><input name="q" placeholder="请输入关键字">
  <button>搜索</button></form></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
  <li><a href="/zjsz/">走进苏州</a></li></ul></div>
<div class="main w1200">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
    <a href="/zcwj/">政策文件</a></div>
  <div class="left-con">
    <div class="article">
      <h1 class="article-title">{html.escape(title)}</h1>
      <div class="article-info">{info_html}</div>
      <div class="article-tools">字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a>
        <a href="javascript:;">小</a>
        <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
      <div {body_attrs}>
        <style type="text/css">.TRS_Editor P{{margin-top:5px;margin-bottom:5px;line-height:1.5;}}</style>
{paragraphs}
        <script>var pageType = "责任部门：市质监局";</script>
        <p><a href="/uploadfiles/2017/06/suzhou-173.pdf">{html.escape(attachment)}</a></p>
      </div>
      <div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a> <a class="bds_tsina">微博</a></div>
      <div class="qr">扫一扫在手机打开当前页</div>
    </div>
  </div>
  <div class="right-con">
    <div class="box"><h3>相关文件</h3><ul>
      <li><a href="/zcwj/1.html">{SIDEBAR_LINK}</a></li>
      <li><a href="/zcwj/2.html">苏州市质量品牌建设重点任务责任分工表</a></li>
      <li><a href="/zcwj/3.html">市政府关于“十三五”期间建设品牌强市的实施意见</a></li></ul></div>
    <div class="box"><h3>政策解读</h3><p>{SIDEBAR_PROSE}</p></div>
  </div>
</div>
<div class="footer"><div class="w1200">
  <p>{FOOTER_LINES[0]}</p><p>{FOOTER_LINES[1]}</p><p>{FOOTER_LINES[2]}</p>
  <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p></div></div>
<script>(function(){{var s=document.createElement("script");s.src="https://tongji.example/t.js";}})();</script>
</body>
</html>
"""
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


def _paragraph(i: int, line: str) -> str:
    """Paragraph markup as editors leave it: indents, inline spans, Word list guards, source line wraps."""
    text = html.escape(line)
    if i % 5 == 1:
        return f'<p style="text-indent:2em;">&nbsp;&nbsp;&nbsp;&nbsp;{text}</p>'
    if i % 5 == 2 and len(line) > 40:  # a source line wrap inside CJK text renders as nothing
        return f"<p>　　{html.escape(line[:20])}\n      {html.escape(line[20:])}</p>"
    if i % 5 == 3 and len(line) > 12:
        return (f'<p class="MsoNormal"><span style="font-family:仿宋_GB2312">{html.escape(line[:6])}</span>'
                f'<span lang="EN-US"><![if !supportLists]></span>{html.escape(line[6:12])}<![endif]>'
                f"<b>{html.escape(line[12:])}</b></p>")
    return f"<p>{text}</p>"


def table_layout_page(lines: Sequence[str], *, charset: str = "gbk") -> bytes:
    """An older portal page laid out with tables: menus in one cell, the article in another, <br> lines."""
    title, *rest = lines
    body = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + html.escape(x) for x in rest)
    page = f"""<html>
<head><meta charset="{charset}"><title>{html.escape(title)}</title>
<script language="javascript">function doZoom(size){{
  document.getElementById('zoom').style.fontSize=size+'px';}}</script>
</head>
<body topmargin="0">
<table width="1000" align="center"><tr><td><img src="/images/banner.jpg"></td>
<td><a href="/">网站首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a> |
<a href="/gzcy/">公众参与</a></td></tr></table>
<table width="1000" align="center"><tr>
<td width="200" valign="top"><table width="100%">
  <tr><td><a href="/zcwj/">政策文件</a></td></tr><tr><td><a href="/ghjh/">规划计划</a></td></tr>
  <tr><td><a href="/zrdw/">责任单位名录</a></td></tr><tr><td><a href="/rsxx/">人事信息</a></td></tr></table></td>
<td width="800" valign="top"><table width="100%">
  <tr><td class="title" align="center"><font size="5"><b>{html.escape(title)}</b></font></td></tr>
  <tr><td id="zoom" class="bt_content">
{body}
  </td></tr>
  <tr><td align="center"><a href="javascript:window.print()">【打印本页】</a>&nbsp;
  <a href="javascript:window.close()">【关闭窗口】</a></td></tr>
</table></td></tr></table>
<table width="1000" align="center"><tr><td align="center">版权所有：苏州市人民政府　网站标识码：3205000001<br>
苏ICP备05002341号</td></tr></table>
</body></html>
"""
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


# --- DOCX -------------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STAMP = (2017, 6, 21, 0, 0, 0)


def docx_package(body_xml: str, *, numbering_xml: str | None = None, styles_xml: str | None = None,
                 compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal but complete DOCX package around `body_xml` (the children of w:body)."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc_rels = []
    if numbering_xml:
        doc_rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/numbering" Target="numbering.xml"/>')
    if styles_xml:
        doc_rels.append('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/styles" Target="styles.xml"/>')
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<w:body>{body_xml}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    )
    parts = {"[Content_Types].xml": content_types, "_rels/.rels": rels, "word/document.xml": document}
    if doc_rels:
        parts["word/_rels/document.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(doc_rels) + "</Relationships>"
        )
    if numbering_xml:
        parts["word/numbering.xml"] = f'<w:numbering xmlns:w="{W_NS}">{numbering_xml}</w:numbering>'
    if styles_xml:
        parts["word/styles.xml"] = f'<w:styles xmlns:w="{W_NS}">{styles_xml}</w:styles>'
    return zip_bytes(parts, compression=compression)


def zip_bytes(parts: dict[str, str | bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for path, content in parts.items():
            info = zipfile.ZipInfo(path, _STAMP)
            info.compress_type = compression
            zf.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


def w_p(text: str = "", *, num: tuple[int, int] | None = None, style: str | None = None, raw: str = "") -> str:
    """A paragraph: `num` is (numId, ilvl) of automatic numbering, `raw` extra run markup after the text."""
    ppr = ""
    if num or style:
        ppr = "<w:pPr>"
        ppr += f'<w:pStyle w:val="{style}"/>' if style else ""
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else ""
        ppr += "</w:pPr>"
    run = f'<w:r><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>' if text else ""
    return f"<w:p>{ppr}{run}{raw}</w:p>"


def w_table(rows: Iterable[Sequence[str | None]]) -> str:
    """A table; a None cell continues a vertical merge (empty, as Word stores it)."""
    out = ["<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"]
    for row in rows:
        out.append("<w:tr>")
        for cell in row:
            if cell is None:
                out.append('<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>')
            else:
                paras = "".join(w_p(line) for line in cell.split("\n"))
                out.append(f"<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/></w:tcPr>{paras}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def suzhou_docx(lines: Sequence[str]) -> bytes:
    """The document as an editor leaves it: split runs, bookmarks, an empty paragraph per section, one
    tracked deletion, the attachment as a HYPERLINK field."""
    body = []
    for i, line in enumerate(lines[:-1]):
        runs = "".join(
            f'<w:r><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr>'
            f'<w:t xml:space="preserve">{html.escape(line[k:k + 7], quote=False)}</w:t></w:r>'
            for k in range(0, len(line), 7)
        )
        if i == 20:
            runs = runs.replace("</w:r>", '</w:r><w:del w:id="1" w:author="x"><w:r><w:delText>已删除的旧文字'
                                "</w:delText></w:r></w:del>", 1)
        style = '<w:pPr><w:pStyle w:val="Title"/></w:pPr>' if i == 0 else ""
        body.append(f'<w:p>{style}<w:bookmarkStart w:id="{i}" w:name="_p{i}"/>{runs}'
                    f'<w:bookmarkEnd w:id="{i}"/><w:proofErr w:type="gramStart"/></w:p>')
        if line.startswith(("一、", "二、", "三、", "四、")):
            body.append("<w:p/>")
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "http://www.suzhou.gov.cn/x.pdf" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{html.escape(lines[-1], quote=False)}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    body.append(field)
    return docx_package("".join(body))


NUMBERING_XML = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
)
STYLES_XML = (
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1Red"><w:basedOn w:val="Heading1"/></w:style>'
)


# --- PDF --------------------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Break a paragraph into lines of at most `width` half-width units, as a typesetter fills a line:
    anywhere between CJK characters, never inside a run of ASCII letters and digits."""
    lines, cur, used = [], "", 0
    for token in re.findall(r"[A-Za-z0-9.%]+|.", text):
        w = display_width(token)
        if cur and used + w > width:
            lines.append(cur)
            cur, used = "", 0
        cur += token
        used += w
    if cur:
        lines.append(cur)
    return lines


def paginate(paragraphs: Sequence[str], *, width: int = 56, per_page: int = 28, header: str | None = None,
             number: str = "— {} —") -> list[list[str]]:
    """Pages of lines: the running header on top of each page, the page number at the bottom."""
    lines = [line for para in paragraphs for line in wrap(para, width)]
    pages = []
    for start in range(0, len(lines), per_page):
        page = [header] if header else []
        page += lines[start:start + per_page]
        page.append(number.format(len(pages) + 1))
        pages.append(page)
    return pages


def pdf_bytes(pages: Sequence[Sequence[str]], *, cjk: bool = True, furniture_first: bool = False) -> bytes:
    """A PDF whose pages draw `pages` line by line (CJK font unless `cjk` is False).

    With `furniture_first`, the last line of each page (its number) is drawn first, as office suites
    often draw footers before the body; the text layer then has it on top.
    """
    if cjk:
        font = ("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                "/DescendantFonts [4 0 R] >>")
    else:
        font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,  # the page tree, once the page objects are numbered
        font,
        ("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
         "/Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 >>"),
        ("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
         "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"),
    ]
    kids = []
    for page in pages:
        order = list(enumerate(page))
        if furniture_first and order:
            order = [order[-1], *order[:-1]]
        ops = []
        for row, line in order:
            y = 800 - 26 * row
            ops.append(f"BT /F1 10.5 Tf 1 0 0 1 60 {y} Tm {_pdf_string(line, cjk)} Tj ET")
        content = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        content_id = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R "
                       f">> >> /Contents {content_id} 0 R >>")
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    return assemble_pdf(objects)


def scanned_pdf() -> bytes:
    """One page that only paints an image: what a scanner produces, with no text layer."""
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray " \
            b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    content = b"q 500 0 0 700 50 70 cm /Im1 Do Q"
    objects: list[str | bytes] = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        image,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return assemble_pdf(objects)


def assemble_pdf(objects: Sequence[str | bytes | None]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        data = body.encode("latin-1") if isinstance(body, str) else (body or b"null")
        out += b"%d 0 obj\n" % number + data + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_string(text: str, cjk: bool) -> str:
    if cjk:
        return "<" + text.encode("utf-16-be").hex().upper() + ">"
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def suzhou_pdf(lines: Sequence[str], *, furniture_first: bool = False) -> bytes:
    return pdf_bytes(paginate(lines, header="苏州市人民政府办公室文件"), furniture_first=furniture_first)


# --- all of them ------------------------------------------------------------------------------------------


def all_fixtures() -> dict[str, bytes]:
    lines = suzhou_lines()
    return {
        "suzhou-portal.html": portal_page(lines),
        "suzhou-portal-gb2312.html": portal_page(lines, charset="gb2312"),
        "suzhou-table-layout.html": table_layout_page(lines),
        "suzhou.docx": suzhou_docx(lines),
        "suzhou.pdf": suzhou_pdf(lines),
        "scanned.pdf": scanned_pdf(),
    }


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: make_fixtures.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for name, data in all_fixtures().items():
        (out / name).write_bytes(data)
        print(out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
