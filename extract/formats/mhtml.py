"""MHTML, a web page saved as one file (Chrome's and Edge's "Webpage, Single File"): its main HTML part."""

from __future__ import annotations

import email
from email import policy

from policykg.errors import InputError


def html_part(data: bytes, name: str) -> tuple[bytes, str | None]:
    """(bytes of the first text/html part, its declared charset or None)."""
    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset()
    raise InputError(f"{name}: an MHTML archive with no HTML page in it")
