"""Read a document's bytes and turn them into text.

Plain text is decoded by evidence: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030. HTML pages,
MHTML, DOCX and PDF are recognised by their first bytes or their extension and converted by
`policykg.extract.formats`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from policykg.errors import InputError
from policykg.extract import formats

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def read_source(source: str) -> tuple[str, str]:
    """(decoded text, display name) of a file path or '-' for standard input."""
    if source == "-":
        return to_text(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not a document")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None
    return to_text(data, source, path.suffix), path.name


def to_text(data: bytes, name: str = "<input>", suffix: str = "") -> str:
    """Text of a document in any supported format; `suffix` is its file extension, if it has one."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    kind = formats.sniff(data, suffix)
    if kind == "text":
        return decode(data, name)
    return formats.convert(kind, data, name)


def decode(data: bytes, name: str = "<input>") -> str:
    """Decode by evidence: a BOM, else strict UTF-8, else strict GB18030; refuse binary data."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec), name)
            except UnicodeDecodeError:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not {codec}") from None
    if b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(f"{name}: binary data, not a text document")
        return _check_text(data.decode(utf16, errors="strict"), name)
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    try:
        return _check_text(data.decode("gb18030"), name)
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 or GB18030 text (undecodable bytes)") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """Windows tools save 'Unicode' text as UTF-16 without a BOM: pick the byte order that reads as language."""
    sample = data[:8192] if len(data) % 2 == 0 else data[:8191]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if text and sum(1 for ch in text if _is_common(ch)) >= 0.95 * len(text):
            return codec
    return None


def _is_common(ch: str) -> bool:
    code = ord(ch)
    return (32 <= code < 127 or ch in "\t\n\r" or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F)


def _check_text(text: str, name: str) -> str:
    """Refuse text that decoded but is not language: control characters or rare-plane noise."""
    if not text.strip():
        raise InputError(f"{name}: empty input")
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    rare = sum(1 for ch in sample if ord(ch) > 0xFFFF)
    if (bad + rare) > 0.02 * len(sample) + 2:
        raise InputError(f"{name}: binary or garbled data, not a text document")
    return text
