"""OUTDIR/manifest.json: what a corpus build made of each source file, so a rebuild redoes only what changed.

Per source file: its content's sha256, whether it was built or why not, the document IRI, the files it
produced (its JSON view and its named graph as N-Quads), its SHACL findings and its audit rows (the targets
no department owns, as OUTDIR/unassigned.csv lists them). An entry is reused when the
file's digest and the policykg version are unchanged and its files are still there. No timestamps: the same
corpus gives the same manifest, byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from policykg import __version__

MANIFEST = "manifest.json"
FAILURES = "failures.json"
FORMAT = 1  # of this file; another value means: rebuild everything


@dataclass
class Entry:
    source: str
    sha256: str
    status: str  # "built" or "failed"
    reason: str | None = None
    iri: str | None = None
    json: str | None = None
    graph: str | None = None
    triples: int = 0
    validation: dict[str, Any] | None = None
    unassigned: list[list[str]] | None = None  # the audit's rows for this document, as unassigned.csv has them

    def files(self) -> list[str]:
        return [f for f in (self.json, self.graph) if f]


@dataclass
class Manifest:
    version: str = __version__
    documents: dict[str, Entry] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "policykg": self.version,
            "documents": [_entry_json(self.documents[k]) for k in sorted(self.documents)],
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "outputs": sorted(self.outputs),
        }


def _entry_json(e: Entry) -> dict[str, Any]:
    return {k: v for k, v in asdict(e).items() if v is not None}


def load(out: Path) -> Manifest | None:
    """The manifest of an earlier build in out; None when there is none or it cannot be trusted."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        docs = {d["source"]: Entry(**d) for d in data["documents"]}
        return Manifest(str(data["policykg"]), docs, list(data.get("skipped", [])), list(data.get("outputs", [])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def reusable(previous: Manifest | None, source: str, sha256: str, out: Path) -> Entry | None:
    """The earlier entry for source when it still holds for this content and this version of policykg."""
    if previous is None or previous.version != __version__:
        return None
    e = previous.documents.get(source)
    if e is None or e.sha256 != sha256:
        return None
    if e.status == "built" and not all((out / f).is_file() for f in e.files()):
        return None
    return e
