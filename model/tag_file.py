"""Tag a file: an article or text (.txt, split into sentences line by line) or JSONL sentences.

Input is read and tagged in chunks and output written as it goes, so files of any
size run in bounded memory; the output appears under its name only when complete.
"""

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from tqdm import tqdm

from model.io import atomic_open
from model.splitter import split_sentences

CHUNK = 1024


def read_items(path: Path) -> Iterator[dict]:
    """Yield {'text': ..., and any other input fields} for every sentence of the file."""
    with path.open(encoding="utf-8") as handle:
        if path.suffix == ".jsonl":
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: malformed JSON ({error.msg})") from None
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
                    raise ValueError(f"{path}:{number}: expected an object with a non-empty 'text' string")
                yield obj
        else:
            index = 0
            for line in handle:
                for sentence in split_sentences(line):
                    yield {"index": index, "text": sentence}
                    index += 1


def tag_file(path: str, model: str, output: str | None, batch_size: int = 32, device: str | None = None) -> int:
    """Tag every sentence of `path` with the tagger at `model`; write JSONL; return the count."""
    from model.loading import load_tagger

    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"no such file: {source}")
    tagger = load_tagger(model, device=device)
    count = 0
    sink = atomic_open(output) if output else nullcontext(sys.stdout)
    with sink as out, tqdm(desc="tagging", unit=" sentences", disable=output is None) as progress:
        for chunk in _chunks(read_items(source), CHUNK):
            predictions = tagger.predict([item["text"] for item in chunk], batch_size=batch_size)
            for item, prediction in zip(chunk, predictions):
                row = {**item, **{k: v for k, v in prediction.to_dict().items() if k != "text"}}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += len(chunk)
            progress.update(len(chunk))
    return count


def _chunks(items: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
