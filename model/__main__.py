"""Command line of the model package.

    python -m model tag --model DIR FILE [--output OUT.jsonl]   # an article (.txt) or sentences (.jsonl)
    python -m model validate data/                              # check labelled data files
"""

import argparse
import sys

from model import validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model", description="Tag sentences; validate data.")
    commands = parser.add_subparsers(dest="command", required=True)
    tag = commands.add_parser("tag", help="tag a text file (an article) or a JSONL file of sentences")
    tag.add_argument("file", help=".txt: an article or any text, split into sentences; .jsonl: objects with 'text'")
    tag.add_argument("--model", required=True, help="a trained tagger folder or hub name")
    tag.add_argument("--output", "-o", help="JSONL file to write (default: standard output)")
    tag.add_argument("--batch-size", type=int, default=32)
    tag.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA when present)")
    check = commands.add_parser("validate", help="validate labelled JSONL files and their splits")
    check.add_argument("paths", nargs="+", help="data folders or .jsonl files")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "validate":
        return validate.main(args.paths)
    from model.tag_file import tag_file

    try:
        count = tag_file(args.file, args.model, args.output, batch_size=args.batch_size, device=args.device)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"tagged {count} sentences" + (f" -> {args.output}" if args.output else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
