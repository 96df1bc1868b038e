"""CLI commands of the graph stage (registered into `policykg`'s parser)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this stage's sub-commands to the top-level parser."""
