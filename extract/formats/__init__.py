"""Documents as people download them from government portals -> plain text for the extractor.

`sniff` names a document's format from its first bytes, falling back to its file extension; `convert`
turns HTML pages (and MHTML single-file saves), DOCX and PDF with a text layer into text with one
paragraph (or table cell) per line. Plain text is the reader's own business (`reader.decode`). Every
failure is an InputError whose message starts with the document's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from policykg.errors import InputError

__all__ = ["convert", "sniff"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".shtm", ".jhtml", ".jsp", ".asp", ".aspx",
                            ".php"})
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta[\s>]|title[\s>])",
                         re.IGNORECASE)
_MHTML_START = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n)*?mime-version:", re.IGNORECASE)


def sniff(data: bytes, suffix: str = "") -> str:
    """'text', 'html', 'mhtml', 'docx', 'pdf', or one of the refused 'ole2' and 'rtf'.

    Magic bytes decide; then the extension names a binary format that the content should have been
    (its converter says what is wrong); then HTML is recognised by its opening tags or its extension.
    """
    suffix = suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    if head.startswith(_OLE2):
        return "ole2"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".docx", ".docm", ".dotx"):
        return "docx"
    if suffix in (".mht", ".mhtml") or (_MHTML_START.match(head.lstrip()) and b"multipart/related" in head.lower()):
        return "mhtml"
    if suffix in _HTML_SUFFIXES or _looks_like_html(head):
        return "html"
    return "text"


def _looks_like_html(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[2:].replace(b"\x00", b"")  # UTF-16 with a byte-order mark: the tags are still ASCII
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return False
    return _HTML_START.search(head) is not None


def convert(kind: str, data: bytes, name: str) -> str:
    """Text of a document of format `kind` (not 'text')."""
    return _CONVERTERS[kind](data, name)


def _html(data: bytes, name: str) -> str:
    from policykg.extract.formats.html_page import html_to_text

    return html_to_text(data, name)


def _mhtml(data: bytes, name: str) -> str:
    from policykg.extract.formats.html_page import html_to_text
    from policykg.extract.formats.mhtml import html_part

    html, charset = html_part(data, name)
    return html_to_text(html, name, charset)


def _docx(data: bytes, name: str) -> str:
    from policykg.extract.formats.docx import docx_to_text

    return docx_to_text(data, name)


def _pdf(data: bytes, name: str) -> str:
    from policykg.extract.formats.pdf import pdf_to_text

    return pdf_to_text(data, name)


def _ole2(data: bytes, name: str) -> str:
    raise InputError(f"{name}: a legacy Word .doc/.wps file or a password-protected Office file (OLE2); "
                     "these are not supported: save it as DOCX, PDF or text")


def _rtf(data: bytes, name: str) -> str:
    raise InputError(f"{name}: an RTF document, which is not supported: save it as DOCX, PDF or text")


_CONVERTERS: dict[str, Callable[[bytes, str], str]] = {
    "html": _html, "mhtml": _mhtml, "docx": _docx, "pdf": _pdf, "ole2": _ole2, "rtf": _rtf,
}
