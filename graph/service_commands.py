"""CLI commands that serve a built graph or hand it to another triple store (`serve`, `push`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's sub-commands to the top-level parser."""
