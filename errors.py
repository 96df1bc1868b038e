"""Errors a user can act on: the CLI prints their message on one line and exits non-zero."""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class InputError(PolicyKGError):
    """The input cannot be read as a policy document (missing, empty, binary, undecodable, no structure)."""

    exit_code = 65  # EX_DATAERR


class UsageError(PolicyKGError):
    """The command line asks for something that cannot be done (an unknown task, a malformed query)."""

    exit_code = 64  # EX_USAGE


class OutputError(PolicyKGError):
    """An output file cannot be written."""

    exit_code = 73  # EX_CANTCREAT
