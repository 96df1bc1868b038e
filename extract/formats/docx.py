"""DOCX (Office Open XML word processing) -> text, one paragraph or table cell per line, in document order.

Literal text is kept as typed; Word's automatic list numbers are rendered from numbering.xml (一、 （二）
3.) because policy headings are often numbered that way. Deleted revisions, field codes, headers,
footers, footnotes and comments are left out. The body is read with iterparse and dropped paragraph by
paragraph, so memory follows the largest paragraph or table, not the document.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from policykg.errors import InputError
from policykg.extract.formats.wordnum import Numbering, W, num_props, parse_numbering

MAX_PART_BYTES = 256 << 20  # uncompressed size of one XML part; a zip bomb stops here
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"
_TEXT_LEAVES = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
# Subtrees with no visible body text: properties, deleted or moved-away revisions, field instructions,
# ruby guides, note references.
_SKIP = frozenset(
    W + tag for tag in (
        "pPr", "rPr", "del", "moveFrom", "instrText", "delInstrText", "delText", "rt", "footnoteReference",
        "endnoteReference", "commentReference", "sym", "fldData",
    )
)
# Errors zipfile, zlib and expat raise on damaged archives and parts.
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, ET.ParseError, ValueError, NotImplementedError, RuntimeError)


def docx_to_text(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise InputError(f"{name}: truncated or corrupt zip archive (cannot be read as a DOCX)") from None
    with archive:
        try:
            main = _main_part(archive, name)
            numbering = _numbering(archive, main, name)
            lines = [line for line in _document_lines(archive, main, numbering, name) if line.strip()]
        except _CORRUPT as exc:
            raise InputError(f"{name}: corrupt DOCX ({_reason(exc)})") from None
    if not lines:
        raise InputError(f"{name}: DOCX has no text in its body")
    return "\n".join(lines) + "\n"


def _main_part(archive: zipfile.ZipFile, name: str) -> str:
    names = set(archive.namelist())
    main = _relations(archive, "", name).get(_OFFICE_DOCUMENT, "word/document.xml")
    if main in names and main.endswith(".xml") and not main.startswith(("xl/", "ppt/")):
        return main
    if "xl/workbook.xml" in names:
        raise InputError(f"{name}: an Excel workbook (XLSX), not a DOCX")
    if "ppt/presentation.xml" in names:
        raise InputError(f"{name}: a PowerPoint presentation (PPTX), not a DOCX")
    if "OFD.xml" in names:
        raise InputError(f"{name}: an OFD document (GB/T 33190), which is not supported; export it as PDF or DOCX")
    if "mimetype" in names and "content.xml" in names:
        raise InputError(f"{name}: an OpenDocument file (ODT), not a DOCX; save it as DOCX")
    raise InputError(f"{name}: a zip archive, not a DOCX (no word/document.xml)")


def _relations(archive: zipfile.ZipFile, part: str, name: str) -> dict[str, str]:
    """Relationship type suffix (/officeDocument, /numbering ...) -> part path, for `part` ('' = package)."""
    folder, base = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    try:
        data = _read(archive, rels_path, name)
    except KeyError:
        return {}
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iter(f"{_REL}Relationship"):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out.setdefault(kind[kind.rfind("/"):], path)
    return out


def _numbering(archive: zipfile.ZipFile, main: str, name: str) -> Numbering:
    rels = _relations(archive, main, name)
    parts = []
    for kind in ("/numbering", "/styles"):
        try:
            parts.append(_read(archive, rels[kind], name) if kind in rels else None)
        except KeyError:
            parts.append(None)
    return parse_numbering(*parts)


def _read(archive: zipfile.ZipFile, path: str, name: str) -> bytes:
    info = archive.getinfo(path)  # KeyError when absent
    _check_member(info, name)
    return archive.read(info)


def _check_member(info: zipfile.ZipInfo, name: str) -> None:
    if info.flag_bits & 0x1:
        raise InputError(f"{name}: an encrypted zip archive; remove the password and try again")
    if info.file_size > MAX_PART_BYTES:
        raise InputError(f"{name}: {info.filename} is {info.file_size >> 20} MiB uncompressed, over the "
                         f"{MAX_PART_BYTES >> 20} MiB limit")


def _document_lines(archive: zipfile.ZipFile, main: str, numbering: Numbering, name: str) -> Iterator[str]:
    info = archive.getinfo(main)
    _check_member(info, name)
    with archive.open(info) as stream:
        depth = 0
        body: ET.Element | None = None
        for event, elem in ET.iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 2 and elem.tag == f"{W}body":
                    body = elem
                continue
            depth -= 1
            if elem is body:
                body = None
            elif depth == 2 and body is not None:  # a paragraph, table or content control of the body ended
                yield from _block_lines(elem, numbering)
                body.clear()


def _block_lines(elem: ET.Element, numbering: Numbering) -> Iterator[str]:
    tag = elem.tag
    if tag == f"{W}p":
        yield from _paragraph_lines(elem, numbering)
    elif tag == f"{W}tbl":
        for row in _children(elem, f"{W}tr"):
            for cell in _children(row, f"{W}tc"):
                for child in cell:
                    yield from _block_lines(child, numbering)
    elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
        for child in elem:
            yield from _block_lines(child, numbering)


def _children(elem: ET.Element, tag: str) -> Iterator[ET.Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in elem:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _children(child, tag)


def _paragraph_lines(p: ET.Element, numbering: Numbering) -> Iterator[str]:
    num_id: str | None = None
    ilvl: int | None = None
    style: str | None = None
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        num_pr = ppr.find(f"{W}numPr")
        if num_pr is not None:
            num_id, ilvl = num_props(num_pr)
        pstyle = ppr.find(f"{W}pStyle")
        if pstyle is not None:
            style = pstyle.get(f"{W}val")
    label = numbering.label(num_id, ilvl, style)
    parts: list[str] = []
    boxes: list[ET.Element] = []
    _collect(p, parts, boxes)
    text = "".join(parts)
    if text.strip():
        yield from (label + text).split("\n")
    for box in boxes:  # text boxes anchored in this paragraph
        for child in box:
            yield from _block_lines(child, numbering)


def _collect(elem: ET.Element, parts: list[str], boxes: list[ET.Element]) -> None:
    for child in elem:
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag in _TEXT_LEAVES:
            parts.append(_TEXT_LEAVES[tag])
        elif tag in _SKIP:
            continue
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        elif tag == f"{_MC}AlternateContent":
            # Choice and Fallback hold the same content twice (a DrawingML and a VML text box)
            first = child.find(f"{_MC}Choice")
            if first is None:
                first = child.find(f"{_MC}Fallback")
            if first is not None:
                _collect(first, parts, boxes)
        else:
            _collect(child, parts, boxes)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
