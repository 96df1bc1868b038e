"""An HTML page saved from a government portal -> the article's text, one paragraph or table cell per line.

The page is parsed as a stream (html.parser, fed in chunks), so memory grows with the page's text, not
with its markup. Scripts, styles, forms and <nav>/<aside>/<footer> are dropped by tag; breadcrumbs,
share and print bars, sidebars and footers by ARIA role or id/class words (`breadcrumb`, `share`,
`footer`, `nav` ...). The rest becomes lines: block elements, <br> and table cells end a line.

Finding the article: every line is scored where it ends, +characters for prose, -characters for link
lists and site boilerplate (ICP备案, 网站标识码 ...), and the score is credited to every open block.
A container the big portal CMSs write for the document body (UCAP-CONTENT of gov.cn, TRS_Editor,
ivs_content, zoom ...) is taken when it holds a fair share of the prose. Otherwise the best-scoring
block is taken and narrowed: while one child holds nearly all of its score, descend into it, cutting
what follows (a sidebar, a share bar). Above the body, the headline and date lines come back as the
article's head as long as they are short and hold no link list. Interface strings left inside the
article (字号：大 中 小, 【打印本页】, 分享到) are dropped line by line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from policykg.errors import InputError

CHUNK = 1 << 20
MAX_PENDING = 16 << 20  # characters html.parser may hold while waiting for the end of one construct
_DOMINANT = 0.85  # a child block with this share of its parent's score is the article's core
_HEAD_LINES = 20  # at most this many lines, and this many characters (or share of the core's score),
_HEAD_CHARS = 200  # stay above the core as the article's head
_HEAD_SHARE = 0.1
_MIN_MARKER = 50  # a portal CMS body container is trusted when it holds this much prose
_MARKER_SHARE = 0.25  # ... and this share of the best block's

_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
    "track", "wbr",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Content of these never reaches the text: code, forms controls, embedded media, site navigation.
_SKIP_TAGS = frozenset({
    "head", "title", "script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "applet",
    "svg", "math", "canvas", "map", "audio", "video", "select", "option", "button", "textarea", "nav", "aside",
    "footer",
})
_HEAD_CONTENT = frozenset({"head", "title", "meta", "link", "style", "script", "base", "noscript", "template"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
# Substrings of an id/class that always mean page chrome.
_CHROME_ALWAYS = (
    "breadcrumb", "crumb", "bdshare", "jiathis", "fenxiang", "share", "copyright", "sidebar", "navbar",
    "footer", "related", "xgwj", "xglj", "xgxx", "beian", "pagination", "qrcode", "erweima",
)
# Whole words of an id/class that mean chrome unless a content word stands beside them (`article-header`).
_CHROME_WORDS = frozenset({
    "nav", "navi", "menu", "menus", "header", "top", "topbar", "bottom", "foot", "side", "sidenav", "position",
    "location", "weizhi", "dqwz", "print", "dayin", "close", "tools", "toolbar", "fontsize", "zihao", "search",
    "login", "logo", "banner", "ad", "ads",
})
_CONTENT_WORDS = frozenset({
    "article", "content", "main", "body", "text", "zhengwen", "zw", "detail", "details", "wenzhang", "con",
    "news", "title", "info", "xl", "nr", "wz", "editor", "trs", "ucap", "doc", "document",
})
# Body containers of the portal CMSs in common use (中国政府网, TRS, 上海 ivs, Epoint, ...).
_MARKERS = frozenset({
    "ucap-content", "pages_content", "ivs_content", "zoom", "trs_editor", "trs_ueditor", "article-content",
    "article_content", "articlecontent", "custom_unionstyle", "zhengwen", "xxgk_content", "wenzhang",
    "news_content", "bt_content", "ewb-article-content",
})
# Lines that belong to a site, not to a document; they count against the block that holds them.
_SITE_LINE = re.compile(
    r"网站标识码|ICP[备证]|公网安备|版权所有|Copyright|©|主办单位|承办单位|技术支持|网站地图|联系我们|"
    r"建议使用.{0,30}浏览器|分辨率|当前位置|您现在的位置|您的位置|您所在的位置",
    re.IGNORECASE,
)
# Interface strings that may sit inside the article container; dropped wherever they stand alone.
_FONT_SIZE = r"[【\[［]?\s*字[号体]\s*[:：]?\s*[大中小](?:\s*[大中小]){2}\s*[】\]］]?"
_UI_TOKEN = (
    rf"(?:{_FONT_SIZE}|分享到?\s*[:：]|"
    r"[【\[［(（]\s*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏本页|收藏|纠错|我要纠错|保存本页)"
    r"\s*[】\]］)）]|打印本页|打印此页|关闭窗口|关闭本页|返回顶部|收藏本页|我要纠错|保存本页)"
)
_UI_LINE = re.compile(
    rf"^(?:{_UI_TOKEN}[\s|｜/·]*)+$|"
    r"^(?:当前位置|您现在的位置|您当前的位置|您的位置|您所在的位置|所在位置)\s*[:：]|"
    r"^分享到?\s*[:：]|^扫一扫|扫一扫在手机(?:上)?打开|"
    r"网站标识码|[\u4e00-\u9fff]ICP[备证]\s*\d+号|公网安备\s*\d+号"
)
_TRAILING_FONT_SIZE = re.compile(rf"\s*{_FONT_SIZE}\s*$")
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v\xa0]+")
_NOT_SPACE = re.compile(r"\S")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "euc-cn", "csgb2312",
                        "chinese", "iso-ir-58", "windows-936", "ms936", "hz-gb-2312"})
_SINGLE_BYTE_WESTERN = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                                  "windows-1252", "cp1252", "iso-8859-15", "iso8859-15"})


def html_to_text(data: bytes, name: str, charset: str | None = None) -> str:
    """The article text of an HTML page; `charset` is one declared outside the page (an MHTML part header)."""
    parser = _parse(data, name, charset, chrome_classes=True)
    lines = parser.article_lines()
    if 4 * sum(map(len, lines)) < parser.chrome_chars:
        # an id/class word took a wrapper of the whole page for chrome (`<div class="top-space">`)
        lines = _parse(data, name, charset, chrome_classes=False).article_lines()
    if not lines:
        raise InputError(
            f"{name}: no article text in the HTML page (a page filled in by JavaScript? save it after it has "
            "loaded, or save the document itself)"
        )
    return "\n".join(lines) + "\n"


def _parse(data: bytes, name: str, charset: str | None, *, chrome_classes: bool) -> _ArticleParser:
    parser = _ArticleParser(chrome_classes=chrome_classes)
    try:
        for chunk in _decoded_chunks(data, name, charset):
            parser.feed(chunk)
            if len(parser.rawdata) > MAX_PENDING:
                # html.parser keeps (and rescans) everything after a construct that does not end
                raise InputError(f"{name}: malformed HTML: a comment, tag or script that does not end "
                                 f"(over {MAX_PENDING >> 20} MB without its closing mark)")
        parser.close()
    except (AssertionError, ValueError, IndexError) as exc:  # html.parser's own failures on broken markup
        raise InputError(f"{name}: malformed HTML that cannot be parsed ({exc})") from None
    return parser


# --- decoding -------------------------------------------------------------------------------------------


def _decoded_chunks(data: bytes, name: str, declared: str | None) -> Iterator[str]:
    codec = _choose_codec(data, name, declared)
    decoder = codecs.getincrementaldecoder(codec)()
    for start in range(0, len(data), CHUNK):
        yield decoder.decode(data[start:start + CHUNK])
    yield decoder.decode(b"", final=True)


def _choose_codec(data: bytes, name: str, declared: str | None) -> str:
    """A byte-order mark, else the declared charset, else the text reader's detection (UTF-8, else GB18030).

    Bytes that are valid UTF-8 are read as UTF-8 even under a GB-family or Western declaration: Chinese
    text in GBK is practically never valid UTF-8, while pages re-saved by browsers and editors often keep
    a stale `gb2312` (or a wrong `iso-8859-1`) declaration.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return codec
    label = (declared or _declared_charset(data) or "").strip().lower()
    codec = _codec_for(label)
    if codec is None:
        order = ["utf-8", "gb18030"]
    elif label in _GB_FAMILY or label in _SINGLE_BYTE_WESTERN:
        order = ["utf-8", "gb18030", codec]
    else:
        order = [codec, "utf-8", "gb18030"]
    for candidate in dict.fromkeys(order):
        if _decodes(data, candidate):
            return candidate
    what = f"the declared charset {label}, " if codec else ""
    raise InputError(f"{name}: HTML page is not in {what}UTF-8 or GB18030 (undecodable bytes)")


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def _codec_for(label: str) -> str | None:
    if not label:
        return None
    if label in _GB_FAMILY:
        return "gb18030"  # browsers read gb2312/GBK pages as GBK; GB18030 is a superset of both
    if label.startswith("utf-16") or label == "unicode":
        return "utf-8"  # a UTF-16 declaration readable as ASCII is wrong, as browsers also assume
    if label in ("big5", "x-x-big5", "cn-big5"):
        return "big5hkscs"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decodes(data: bytes, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(data[start:start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# --- parsing --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    score: int
    first: int
    end: int  # lines[first:end]
    child: _Block | None  # its best-scoring child block
    outer: tuple[int, ...] = ()  # first lines of the blocks around it, outermost first (kept for CMS containers)


@dataclass
class _Open:
    tag: str
    block: bool
    skip: bool  # by tag (script, nav ...)
    chrome: bool  # by ARIA role or id/class words
    marker: bool
    first_line: int
    score: int = 0
    best_child: _Block | None = None


class _ArticleParser(HTMLParser):
    def __init__(self, *, chrome_classes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.chrome_classes = chrome_classes
        self.chrome_chars = 0  # text dropped for its element's role or id/class words
        self.lines: list[str] = []
        self._chrome = bytearray()  # per line: a link list or site boilerplate
        self._parts: list[str] = []
        self._chars = 0
        self._link_chars = 0
        self._stack: list[_Open] = []
        self._skip = 0
        self._chrome_depth = 0
        self._link = 0
        self._pre = 0
        self._head_open = False
        self._best: _Block | None = None
        self._best_marker: _Block | None = None

    # html.parser raises AssertionError on marked sections it does not know (`<![foo[ ... ]]>`);
    # browsers treat them as comments, and so do we.
    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            return self.parse_bogus_comment(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._flush()
            return
        self._close_implied(tag)
        block = tag in _BLOCK
        if block:
            self._flush()
        skip = tag in _SKIP_TAGS
        chrome = self.chrome_classes and not skip and _is_chrome(attrs)
        entry = _Open(tag, block, skip, chrome, _is_marker(attrs), len(self.lines))
        self._stack.append(entry)
        self._skip += skip
        self._chrome_depth += chrome
        self._head_open |= tag == "head"
        self._link += tag == "a"
        self._pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers read a stray </br> as <br>
            self._flush()
            return
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i].tag == tag:
                self._pop_to(i)
                return

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._chrome_depth:
            self.chrome_chars += len(_NOT_SPACE.findall(data))
            return
        if self._pre:
            first, *rest = data.split("\n")
            self._add(first)
            for piece in rest:
                self._flush()
                self._add(piece)
        else:
            self._add(data)

    def close(self) -> None:
        super().close()
        self._pop_to(0)
        self._flush()

    def article_lines(self) -> list[str]:
        span = self._article_span()
        if span is None:
            return []
        first, end = span
        # an article does not open with a link list; it may close with one (its attachments)
        while first < end and self._chrome[first]:
            first += 1
        out = []
        for line in self.lines[first:end]:
            line = _TRAILING_FONT_SIZE.sub("", line)
            if line and not _is_ui_line(line):
                out.append(line)
        return out

    def _article_span(self) -> tuple[int, int] | None:
        """lines[first:end] of the article: a portal CMS container, else the best block narrowed down."""
        best, marker = self._best, self._best_marker
        if marker is not None and marker.score >= max(_MIN_MARKER, _MARKER_SHARE * (best.score if best else 0)):
            return self._head_start(list(marker.outer), marker), marker.end
        if best is None or best.score <= 0:
            return None
        # Descend into a child that holds nearly all of the block's score: what follows it (a sidebar,
        # a share bar) is cut, what precedes it may come back as the article's head.
        outer: list[int] = []
        core = best
        while core.child is not None and core.child.score >= _DOMINANT * core.score:
            outer.append(core.first)
            core = core.child
        return self._head_start(outer, core), core.end

    def _head_start(self, outer: list[int], core: _Block) -> int:
        """Where the article starts: the core's first line, or above it the headline and date lines.

        Levels are climbed from the core outwards; the lines a level adds above the core are kept while
        they hold no link list or site boilerplate (interface lines such as 字号 are dropped later
        anyway) and stay short.
        """
        start, kept_chars = core.first, 0
        for first in reversed(outer):
            head = range(first, start)
            if any(self._chrome[i] and not _is_ui_line(self.lines[i]) for i in head):
                break
            kept_chars += sum(len(self.lines[i]) for i in head if not _is_ui_line(self.lines[i]))
            if core.first - first > _HEAD_LINES or kept_chars > max(_HEAD_CHARS, _HEAD_SHARE * core.score):
                break
            start = first
        return start

    def _add(self, text: str) -> None:
        if not text:
            return
        self._parts.append(text)
        n = len(_NOT_SPACE.findall(text))
        self._chars += n
        if self._link:
            self._link_chars += n

    def _flush(self) -> None:
        """End the current line: keep it and credit its score to every open block."""
        if not self._parts:
            return
        line = _normalize("".join(self._parts))
        chars, link_chars = self._chars, self._link_chars
        self._parts, self._chars, self._link_chars = [], 0, 0
        if not line:
            return
        chrome = link_chars * 2 >= chars or _SITE_LINE.search(line) is not None
        delta = -chars if chrome else chars
        for entry in self._stack:
            if entry.block:
                entry.score += delta
        self.lines.append(line)
        self._chrome.append(chrome)

    def _pop_to(self, index: int) -> None:
        while len(self._stack) > index:
            entry = self._stack[-1]
            if entry.block:
                self._flush()
            self._stack.pop()
            self._skip -= entry.skip
            self._chrome_depth -= entry.chrome
            self._head_open &= entry.tag != "head"
            self._link -= entry.tag == "a"
            self._pre -= entry.tag == "pre"
            if entry.block and not (entry.skip or entry.chrome or self._skip or self._chrome_depth):
                outer = tuple(e.first_line for e in self._stack if e.block) if entry.marker else ()
                self._consider(_Block(entry.score, entry.first_line, len(self.lines), entry.best_child, outer),
                               entry.marker)

    def _consider(self, block: _Block, marker: bool) -> None:
        parent = next((e for e in reversed(self._stack) if e.block), None)
        if parent is not None and (parent.best_child is None or block.score > parent.best_child.score):
            parent.best_child = block
        # Blocks close inner first, so on a tie the innermost block is kept.
        if self._best is None or block.score > self._best.score:
            self._best = block
        if marker and (self._best_marker is None or block.score > self._best_marker.score):
            self._best_marker = block

    def _close_implied(self, tag: str) -> None:
        """The end tags HTML lets authors omit: <p> before a block, <li>, <dt>/<dd>, <td>/<th>, <tr>, </head>."""
        if tag in _BLOCK:
            self._close_open("p", stop_at=_BLOCK)
        if tag == "li":
            self._close_open("li", stop_at={"ul", "ol", "menu", "dir"})
        elif tag in ("dt", "dd"):
            self._close_open("dt", "dd", stop_at={"dl"})
        elif tag in ("td", "th"):
            self._close_open("td", "th", stop_at={"tr", "table"})
        elif tag == "tr":
            self._close_open("tr", stop_at={"table", "tbody", "thead", "tfoot"})
        elif tag in ("tbody", "thead", "tfoot"):
            self._close_open("tbody", "thead", "tfoot", stop_at={"table"})
        if self._head_open and tag not in _HEAD_CONTENT:
            self._close_open("head", stop_at={"html"})

    def _close_open(self, *tags: str, stop_at: frozenset[str] | set[str]) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            open_tag = self._stack[i].tag
            if open_tag in tags:
                self._pop_to(i)
                return
            if open_tag in stop_at:
                return


def _is_ui_line(line: str) -> bool:
    return len(line) <= 100 and _UI_LINE.search(line) is not None


def _is_chrome(attrs: list[tuple[str, str | None]]) -> bool:
    names = ""
    for key, value in attrs:
        if key == "role" and value and value.strip().lower() in _CHROME_ROLES:
            return True
        if key in ("id", "class") and value:
            names += " " + value
    return bool(names) and _chrome_names(names)


@lru_cache(maxsize=4096)
def _chrome_names(names: str) -> bool:
    low = names.lower()
    if any(s in low for s in _CHROME_ALWAYS):
        return True
    words = set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", names).lower()))
    return bool(words & _CHROME_WORDS) and not words & _CONTENT_WORDS


def _is_marker(attrs: list[tuple[str, str | None]]) -> bool:
    for key, value in attrs:
        if key in ("id", "class") and value and any(token.lower() in _MARKERS for token in value.split()):
            return True
    return False


def _normalize(raw: str) -> str:
    """Collapse white space as a browser does; a line break between two CJK characters is no space at all."""
    raw = raw.translate(_INVISIBLE)

    def space(m: re.Match[str]) -> str:
        if "\n" in m.group() or "\r" in m.group():
            before = raw[m.start() - 1] if m.start() else ""
            after = raw[m.end()] if m.end() < len(raw) else ""
            if _joins_without_space(before, after):
                return ""
        return " "

    return _SPACE_RUN.sub(space, raw).strip()


def _joins_without_space(before: str, after: str) -> bool:
    """Chinese text has no spaces: both sides wide, or one wide and one ambiguous (“ ” ‘ ’ · …)."""
    if not before or not after:
        return False
    widths = unicodedata.east_asian_width(before) + unicodedata.east_asian_width(after)
    return widths in ("WW", "WF", "FW", "FF", "WA", "AW", "FA", "AF")
