"""The `policykg` command line. Heavy libraries (spaCy, rdflib) are imported only by the command that needs them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from policykg import __version__
from policykg.errors import PolicyKGError

EPILOG = """examples:
  policykg extract examples/suzhou-2017-173.txt --format json -o suzhou.json
  policykg extract - < document.txt          read standard input, print JSON
  policykg audit examples/suzhou-2017-173.txt   which targets no department owns

exit codes: 0 ok, 1 internal error, 2 bad command line, 65 unreadable document, 73 cannot write output"""


def _cmd_extract(args: argparse.Namespace) -> int:
    from policykg.extract import extract_file
    from policykg.outputs import write_output

    extraction = extract_file(args.file)
    write_output(args.output, dumps_json(extraction.to_json()))
    return 0


def dumps_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykg",
        description="Turn Chinese government policy documents into an accountability knowledge graph.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policykg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="extract metadata, sections, tasks, departments and indicators as JSON",
                       description="Read one document (UTF-8 or GB18030 text; '-' for stdin) and write its "
                                   "extraction as JSON (shared/spec/extraction-json.md).")
    p.add_argument("file", help="document path, or - for standard input")
    p.add_argument("--format", choices=["json"], default="json", help="output format (default: json)")
    p.add_argument("-o", "--output", help="output file (default: standard output); written atomically")
    p.set_defaults(func=_cmd_extract)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return func(args)
    except PolicyKGError as exc:
        print(f"policykg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("policykg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
