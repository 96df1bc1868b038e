"""The `policykg` command line. Heavy libraries (spaCy, rdflib) are imported only by the command that needs them."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from policykg import __version__
from policykg.errors import PolicyKGError

EPILOG = """examples:
  policykg extract examples/suzhou-2017-173.txt -o suzhou.json   the JSON view of one document
  policykg audit examples/suzhou-2017-173.txt                    targets no department owns
  policykg build examples/suzhou-2017-173.txt -o out/            graph, JSON view, validation report
  policykg who-owns out/ '三/(一)/1'                              lead and co-responsible departments
  policykg tasks-of out/ 市质监局                                 what a department answers for
  policykg report out/ -o out/report.html                         findings, tables and plots
  policykg table out/ -o out/tasks.xlsx                           the 任务分解表 for Excel/WPS
  policykg html out/ -o out/graph.html                            the interactive offline page
  policykg build corpus/ -o corpus-out/ && policykg serve corpus-out/   a SPARQL endpoint on 127.0.0.1

exit codes: 0 ok, 2 command-line syntax (or, for build DIR, some documents failed and the others were
built), 64 a request that cannot be answered (unknown task, department or malformed query), 65 unreadable
input, 69 a remote SPARQL store cannot be reached or refused the request, 73 cannot write output
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykg",
        description="Turn Chinese government policy documents into an accountability knowledge graph.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policykg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for register in _command_groups():
        register(sub)
    return parser


def _command_groups() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Sub-command groups of the pipeline stages; each module keeps its heavy imports inside its commands."""
    from policykg.extract import commands as extract_commands
    from policykg.graph import commands as graph_commands
    from policykg.graph import service_commands

    return [extract_commands.register, graph_commands.register, service_commands.register]


def _terminate_like_interrupt() -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed and no output is left half-written."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    _terminate_like_interrupt()
    try:
        return func(args)
    except PolicyKGError as exc:
        print(f"policykg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("policykg: interrupted; earlier outputs are left as they were", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
