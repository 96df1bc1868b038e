"""Document metadata: title, issuer, document number, dates and recipients.

Two layouts: a portal header (标题/发布部门/发布时间/政策文号 lines) and a bare document (title line,
文号 line, body, signature block of issuer and date at the end). The signature wins over the header
for the issuer, because portals often name their own publishing organ there.
"""

from __future__ import annotations

import re

from policykg.extract.departments import looks_like_unit
from policykg.extract.records import DocumentMeta
from policykg.extract.text_utils import BLANK, cn_to_int, lines_with_offsets

_HEADER = re.compile(
    r"^(标题|题目|名称|发布部门|发布单位|发布机构|发文机关|发文单位|制发机关|索引号|发布时间|发布日期|成文日期|"
    r"印发日期|政策文号|文号|发文字号|有效性|主题分类|体裁分类)\s*:\s*(.*)$"
)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔(]\s*\d{4}\s*[〕)]\s*第?\s*\d{1,4}\s*号")
_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE_LINE = re.compile(r"^\(?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|"
                        r"[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*\)?$")
_RECIPIENTS = re.compile(r"^(各[^:]{1,120}|[^:]{2,120}(人民政府|委办局|单位|部门|委员会|管委会|政府)[^:]{0,60}):$")
_CITED_ISSUER = re.compile(r"《((?:中共)?[\u4e00-\u9fff、]{2,40}?)关于[^》]{2,60}》")
_HEAD_LINES = 20


def parse_metadata(text: str, folded: str) -> DocumentMeta:
    lines = [(s, e, folded[s:e].strip(BLANK), text[s:e].strip(BLANK)) for s, e, _ in lines_with_offsets(folded)]
    lines = [ln for ln in lines if ln[2]]
    header = _header_fields(lines[:_HEAD_LINES])
    signature_issuer, signed = _signature(lines)
    meta = DocumentMeta()
    meta.title = header.get("title") or _first_title_line(lines)
    meta.doc_number = header.get("doc_number") or _own_doc_number(lines[:_HEAD_LINES])
    meta.published = header.get("published")
    meta.signed = signed
    meta.issuer = signature_issuer or header.get("issuer") or _cited_issuer(folded, text)
    meta.recipients = _recipients(lines[:_HEAD_LINES + 10])
    return meta


def _header_fields(lines: list[tuple[int, int, str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, _, folded_line, line in lines:
        m = _HEADER.match(folded_line)
        if not m or not m.group(2).strip():
            continue
        key, value = m.group(1), line[m.start(2):].strip(BLANK)
        if key in ("标题", "题目", "名称"):
            out.setdefault("title", value)
        elif key in ("发布部门", "发布单位", "发布机构", "发文机关", "发文单位", "制发机关"):
            out.setdefault("issuer", value)
        elif key in ("政策文号", "文号", "发文字号"):
            out.setdefault("doc_number", value)
        elif key in ("发布时间", "发布日期", "印发日期", "成文日期"):
            date = iso_date(value)
            if date:
                out.setdefault("published", date)
    return out


def _first_title_line(lines: list[tuple[int, int, str, str]]) -> str | None:
    for _, _, folded_line, line in lines[:_HEAD_LINES]:
        if _HEADER.match(folded_line) or _DATE_LINE.match(folded_line) or _DOC_NUMBER.fullmatch(folded_line):
            continue
        if len(folded_line) >= 6:
            return line
    return None


def _own_doc_number(lines: list[tuple[int, int, str, str]]) -> str | None:
    """A document number standing on a line of its own near the top; cited numbers sit inside sentences."""
    for _, _, folded_line, line in lines:
        if _DOC_NUMBER.fullmatch(folded_line):
            return line
    return None


def _signature(lines: list[tuple[int, int, str, str]]) -> tuple[str | None, str | None]:
    """(issuer, ISO date) of the signature block: a date line, with the issuer on the line above."""
    first_date: str | None = None
    for i, (_, _, folded_line, _) in enumerate(lines):
        if not _DATE_LINE.match(folded_line):
            continue
        date = iso_date(folded_line)
        signers = _signers_above(lines, i)
        if date and signers:
            return "、".join(signers), date
        first_date = first_date or date
    return None, first_date


def _signers_above(lines: list[tuple[int, int, str, str]], date_index: int) -> list[str]:
    """The issuing bodies on the lines just above a date line; joint documents stack them (up to four)."""
    signers: list[str] = []
    for j in range(date_index - 1, max(-1, date_index - 5), -1):
        line = lines[j][3]
        if not _looks_like_issuer(line):
            break
        signers[:0] = re.split(r"[、\s]+", line.strip(BLANK))
    return signers


def _looks_like_issuer(line: str) -> bool:
    names = re.split(r"[、\s]+", line.strip())
    return len(line) <= 60 and all(n and looks_like_unit(n) for n in names) and "关于" not in line


def _cited_issuer(folded: str, text: str) -> str | None:
    """No header, no signature: the issuing bodies named in the body's first cited decision of the same place.

    A fallback, used only when the document says nothing itself; implementing documents usually cite
    their parent decision, issued by the same bodies (`根据《中共X市委、X市人民政府关于…》`).
    """
    m = _CITED_ISSUER.search(folded, 0, min(len(folded), 3000))
    if not m:
        return None
    names = m.group(1).split("、")
    if all(looks_like_unit(n) for n in names):
        return text[m.start(1):m.end(1)]
    return None


def _recipients(lines: list[tuple[int, int, str, str]]) -> list[str]:
    for _, _, folded_line, line in lines:
        if _RECIPIENTS.match(folded_line) and not _HEADER.match(folded_line):
            return split_recipients(line.rstrip(":：").strip(BLANK))
    return []


def split_recipients(line: str) -> list[str]:
    """各市、区人民政府,苏州工业园区、苏州高新区管委会;市各委办局 -> whole collectives, suffix shared back."""
    out: list[str] = []
    for run in re.split(r"[,，;；]", line):
        items = [x.strip(BLANK) for x in run.split("、") if x.strip(BLANK)]
        merged: list[str] = []
        for item in items:
            if merged and (len(item) == 1 or (merged[-1].startswith("各") and len(merged[-1]) <= 3 and re.match(
                    r"^(县级市|市|区|县|镇|乡|街道)(人民政府|政府)?$", item))):
                merged[-1] += "、" + item
            else:
                merged.append(item)
        suffix = _org_suffix(merged[-1]) if merged else None
        if suffix:
            merged = [m + suffix if re.search(r"(区|县|市|镇|园区)$", m) and m != merged[-1] else m for m in merged]
        out += merged
    return out


def _org_suffix(name: str) -> str | None:
    m = re.search(r"(?<=[区县市镇])(管委会|管理委员会|人民政府|政府)$", name)
    return m.group(1) if m else None


def iso_date(s: str) -> str | None:
    m = _DATE.search(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _CN_DATE.search(s)
        if not m:
            return None
        y, mo, d = (cn_to_int(g) or 0 for g in m.groups())
    if not (1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
