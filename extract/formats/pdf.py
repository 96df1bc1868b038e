"""PDF with a text layer -> text, one paragraph per line (pypdf).

A PDF has visual lines, not paragraphs, and the extractor needs paragraphs: a responsibility clause
broken over two lines is lost. So lines are joined back where the layout shows a wrap (the line runs to
the full text width and does not end a sentence), after page furniture is removed: lines repeated at
the top or bottom edge of most pages (running headers and footers) and page numbers (— 3 —, - 3 -,
第3页, 3/10, or a bare number that counts with the pages). Scanned PDFs, which have no text layer, are
refused with a message, as are encrypted ones that need a password.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from policykg.errors import InputError
from policykg.render import width

_EDGE = 3  # lines at the top and at the bottom of a page where headers, footers and page numbers sit
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―‒~～]+\s*\d{1,4}\s*[-—–－―‒~～]+|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_ONE_SPACE = re.compile(r"(?<=\S) (?=\S)")
_NO_SPACE = re.compile(r"(?<=\S)(?=\S)")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_RUNNING_MAX_CHARS = 40  # running headers and footers are short; longer repeated lines are kept
_ENDS_PARAGRAPH = frozenset("。！？；：!?;:）)")
_FIRST_WORD = re.compile(r"[A-Za-z0-9.%]+|.")  # what a typesetter would not break: an ASCII word, or one character


def pdf_to_text(data: bytes, name: str) -> str:
    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{name}: not a PDF (no %PDF- header{_content_hint(data)})")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(f"{name}: truncated PDF (no %%EOF at the end: an incomplete download?)")
    with _quiet():
        pages = _page_lines(data, name)
    if not pages:
        raise InputError(f"{name}: PDF has no pages")
    if not any(pages):
        raise InputError(f"{name}: no text layer (scanned PDF?); run OCR on it first")
    lines = reflow([line for page in strip_page_furniture(pages) for line in page])
    return "\n".join(lines) + "\n"


def _page_lines(data: bytes, name: str) -> list[list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # permissions-only PDFs (no copying, no printing) open with an empty user password
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: encrypted PDF that needs a password to open")
        pages = []
        for number, page in enumerate(reader.pages, 1):
            try:
                text = page.extract_text() or ""
            except DependencyError:
                raise
            except Exception as exc:  # pypdf raises many exception types on damaged content
                raise InputError(f"{name}: corrupt PDF (page {number}: {_reason(exc)})") from None
            pages.append([_unspace(line.strip()) for line in text.splitlines() if line.strip()])
    except DependencyError:  # AES needs a crypto library pypdf does not bring
        raise InputError(f"{name}: encrypted PDF (AES); reading it needs the 'cryptography' package "
                         "(pip install cryptography)") from None
    except InputError:
        raise
    except Exception as exc:  # ditto, for the file structure
        raise InputError(f"{name}: corrupt PDF ({_reason(exc)})") from None
    return pages


@contextmanager
def _quiet() -> Iterator[None]:
    """pypdf reports recoverable damage through logging and warnings; the CLI owes the user one line."""
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def _unspace(line: str) -> str:
    """Undo letter-spacing: producers that place every glyph on its own make pypdf put a space between
    all of them (质 量 发 展). A line where most neighbouring characters are one space apart is read so."""
    spaced = len(_ONE_SPACE.findall(line))
    if spaced < 4 or spaced < 1.5 * len(_NO_SPACE.findall(line)):
        return line
    return re.sub(r" {2,}", " ", _ONE_SPACE.sub("", line))


def strip_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Remove running headers/footers and page numbers from the edges of each page."""
    running = _running_lines(pages)
    counting = _counting_offset(pages)
    out = []
    for index, page in enumerate(pages):

        def furniture(line: str, index: int = index) -> bool:
            return (_key(line) in running or _PAGE_NUMBER.match(line) is not None
                    or (counting is not None and _BARE_NUMBER.match(line) is not None
                        and int(line) - index == counting))

        start, end = 0, len(page)
        while start < min(end, _EDGE) and furniture(page[start]):
            start += 1
        while end > max(start, len(page) - _EDGE) and furniture(page[end - 1]):
            end -= 1
        out.append(page[start:end])
    return out


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Short lines with words (digits aside) at a page edge on most pages: at least 2, and 60% of them.

    Lines of digits alone are left to the page-number rules: they may be table cells.
    """
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        edges = page[:_EDGE] + page[-_EDGE:]
        counts.update({_key(line) for line in edges if len(line) <= _RUNNING_MAX_CHARS and _HAS_LETTER.search(line)})
    needed = max(2, math.ceil(0.6 * len(pages)))
    return {key for key, count in counts.items() if count >= needed}


def _counting_offset(pages: list[list[str]]) -> int | None:
    """page number - page index, when bare numbers at the page edges count with the pages.

    A bare number alone is also a table's 序号 cell; it is taken for a page number only when at least two
    pages, and half of them, carry one that advances with the page.
    """
    offsets: Counter[int] = Counter()
    for index, page in enumerate(pages):
        edges = set(page[:_EDGE] + page[-_EDGE:])
        offsets.update({int(line) - index for line in edges if _BARE_NUMBER.match(line)})
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    return offset if count >= max(2, math.ceil(0.5 * len(pages))) else None


def reflow(lines: list[str]) -> list[str]:
    """Join lines that wrap and do not end a sentence (or leave a bracket open).

    A line wraps when it fills the text width, or when the next line's first word would not have fit
    on it (a long number or English word pushed to the next line leaves a short line behind).
    """
    if not lines:
        return []
    typical = _typical_width(lines)
    full = max(typical - 3, 0.85 * typical)  # a justified line may hold a character less
    out = [lines[0]]
    last_width = width(lines[0])
    for line in lines[1:]:
        prev = out[-1]
        wrapped = last_width >= full or last_width + width(_FIRST_WORD.match(line).group()) > typical
        last_width = width(line)
        if wrapped and (prev[-1] not in _ENDS_PARAGRAPH or _open_bracket(prev)):
            out[-1] = prev + (" " if _is_letter(prev[-1]) and _is_letter(line[0]) else "") + line
        else:
            out.append(line)
    return out


def _open_bracket(line: str) -> bool:
    """An unclosed bracket: `（责任单位：` at a line end is the middle of a clause, not a paragraph end."""
    return line.count("（") + line.count("(") > line.count("）") + line.count(")")


def _is_letter(ch: str) -> bool:
    """English words wrap at spaces, which the join must put back; digits and CJK join without one."""
    return ch.isascii() and ch.isalpha()


def _typical_width(lines: list[str]) -> int:
    """The width of a line that runs margin to margin: the median width of the widest fifth of the lines."""
    widths = sorted((width(line) for line in lines), reverse=True)
    top = widths[: max(1, len(widths) // 5)]
    return max(top[len(top) // 2], 10)


def _content_hint(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "; the content is an HTML page, perhaps a portal's error page"
    if head.startswith(b"pk\x03\x04"):
        return "; the content is a zip archive"
    return ""


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
