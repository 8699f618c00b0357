"""Tag a file of any size: an article or text (.txt, split into sentences line by line) or JSONL sentences.

Input is read and tagged in chunks and output written as it goes, so memory stays
bounded. Each output row is the input row, unchanged, plus a `prediction` field. Output
goes to OUT.partial and is renamed to OUT when complete. Beside it, OUT.partial.run.json
records what produced it (the input's path, size and a hash of its head, the model's
fingerprint, the chunk size and processes); rerunning the same command resumes after the
last complete line, and a partial file from any other run is refused (or replaced under
--overwrite). A lock keeps a second run off the same output while one is writing it.

Under `accelerate launch` (or torchrun) each process tags every n-th chunk into its own
part (OUT.part0, OUT.part1, ...), and the first process merges the parts in input order.
"""

import fcntl
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from tqdm import tqdm

from model.cli import check_count
from model.io import write_json
from model.splitter import split_sentences

CHUNK = 1024
"""Sentences read, tagged and written at a time (also the unit processes take turns on)."""
PREDICTION_FIELD = "prediction"
HEAD_BYTES = 1 << 20


def read_items(path: Path) -> Iterator[dict]:
    """Yield {'text': ..., and any other input fields} for every sentence of the file."""
    with path.open(encoding="utf-8", errors="strict") as handle:
        try:
            yield from _items(path, handle)
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: not UTF-8 text (byte {error.start} of a line: {error.reason})") from None


def _items(path: Path, handle) -> Iterator[dict]:
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
            if PREDICTION_FIELD in obj:
                raise ValueError(f"{path}:{number}: already has a '{PREDICTION_FIELD}' field, which tagging writes; "
                                 "rename it in the input")
            yield obj
    else:
        index = 0
        for line in handle:
            for sentence in split_sentences(line):
                yield {"index": index, "text": sentence}
                index += 1


def chunks(items: Iterator[dict], size: int) -> Iterator[list[dict]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    while chunk := list(islice(items, size)):
        yield chunk


def my_chunks(items: Iterator[dict], size: int, rank: int, world: int) -> Iterator[list[dict]]:
    """The chunks this process tags: chunk k belongs to process k % world."""
    for k, chunk in enumerate(chunks(items, size)):
        if k % world == rank:
            yield chunk


def tag_file(path: str, model: str, output: str | None, batch_size: int | None = None, device: str | None = None,
             threads: int | None = None, chunk_size: int = CHUNK, overwrite: bool = False) -> int:
    """Tag every sentence of `path` with the tagger at `model`; write JSONL; return how many this process tagged."""
    from model.tagger import Tagger

    check_count("chunk size", chunk_size)
    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"no such file: {source}")
    if output and Path(output).exists() and not overwrite:
        raise FileExistsError(f"{output} already exists; pass --overwrite to replace it")
    processes = Processes()
    rank, world = processes.rank, processes.world
    tagger = Tagger.from_pretrained(model, device=device, threads=threads)
    if output is None:
        if world > 1:
            raise ValueError("several processes need --output: they write parts that are merged in input order")
        return _tag(tagger, my_chunks(read_items(source), chunk_size, rank, world), sys.stdout, batch_size, rank,
                    from_text=source.suffix != ".jsonl")
    part = Path(f"{output}.part{rank}") if world > 1 else partial_paths(Path(output))[0]
    record = run_record(source, model, chunk_size, world, rank)
    with output_lock(Path(output), rank), part.open("a+b") as handle:
        done = _resume_point(handle, part, record, overwrite)
        remaining = _skip(my_chunks(read_items(source), chunk_size, rank, world), done)
        count = _tag(tagger, remaining, _LineWriter(handle), batch_size, rank, initial=done,
                     from_text=source.suffix != ".jsonl")
        handle.flush()
        if world == 1:
            os.replace(part, output)
            _record_path(part).unlink(missing_ok=True)
        else:
            processes.wait_for_everyone()
            if rank == 0:
                merge_parts([Path(f"{output}.part{r}") for r in range(world)], Path(output), chunk_size)
            processes.wait_for_everyone()
        if rank == 0:
            Path(f"{output}.lock").unlink(missing_ok=True)
    return done + count


def run_record(source: Path, model: str, chunk_size: int = CHUNK, world: int = 1, rank: int = 0) -> dict:
    """What a partial output's run is (kept beside it as OUT.partial.run.json): a resume needs the same."""
    from model.settings import local_folder

    return {"input": str(source.resolve()), "input_size": source.stat().st_size, "input_head": _head_hash(source),
            "model": folder_fingerprint(local_folder(str(model))), "chunk_size": chunk_size, "processes": world,
            "rank": rank}


def partial_paths(output: Path) -> tuple[Path, Path]:
    """A one-process run's partial output and the record of its run, which a resume reads."""
    part = output.with_name(output.name + ".partial")
    return part, _record_path(part)


def folder_fingerprint(folder: Path) -> str:
    """SHA-256 over the names and bytes of a model folder's files (its card aside)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name != "README.md"):
        digest.update(str(file.relative_to(folder)).encode() + b"\0")
        with file.open("rb") as handle:
            while block := handle.read(1 << 24):
                digest.update(block)
    return digest.hexdigest()


@contextmanager
def output_lock(output: Path, rank: int) -> Iterator[None]:
    """Hold byte `rank` of OUT.lock: a second run on the same output (any of its processes) is refused."""
    lock = output.with_name(output.name + ".lock")
    with lock.open("a") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, rank)
        except OSError:
            raise FileExistsError(f"{output} is being written by another tagging run right now; wait for it "
                                  "or choose another --output") from None
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN, 1, rank)


def merge_parts(parts: list[Path], output: Path, chunk_size: int) -> None:
    """Interleave the processes' parts chunk by chunk back into input order, then delete them."""
    handles = [part.open(encoding="utf-8") for part in parts]
    temporary = output.with_name(output.name + ".merging")
    try:
        with temporary.open("w", encoding="utf-8") as out:
            k = 0
            while lines := list(islice(handles[k % len(handles)], chunk_size)):
                out.writelines(lines)
                k += 1
        os.replace(temporary, output)
    finally:
        for handle in handles:
            handle.close()
    for part in parts:
        part.unlink()
        _record_path(part).unlink(missing_ok=True)


class _LineWriter:
    """Text lines written to a binary handle opened for appending."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, text: str) -> None:
        self.handle.write(text.encode("utf-8"))

    def flush(self) -> None:
        self.handle.flush()


def positions(chunk: list[dict], from_text: bool) -> list[int | None]:
    """Where each row sits in its article, for a tagger trained with context: a text file is one article
    whose sentence `index` is at position index + 1 (0 is a title); a JSONL row's own `position`, if any."""
    return [item["index"] + 1 if from_text else item.get("position") for item in chunk]


def _tag(tagger, chunk_iter, out, batch_size, rank: int, initial: int = 0, from_text: bool = False) -> int:
    count = truncated = without_arabic = 0
    with tqdm(desc="tagging", unit=" sentences", initial=initial, disable=rank != 0, file=sys.stderr) as progress:
        for chunk in chunk_iter:
            contexts = positions(chunk, from_text) if tagger.settings.context else None
            predictions = tagger.predict([item["text"] for item in chunk], contexts=contexts, batch_size=batch_size)
            for item, prediction in zip(chunk, predictions):
                fields = {k: v for k, v in prediction.to_dict().items() if k != "text"}
                out.write(json.dumps({**item, PREDICTION_FIELD: fields}, ensure_ascii=False) + "\n")
            out.flush()
            count += len(chunk)
            truncated += sum(p.truncated for p in predictions)
            without_arabic += sum(not p.has_arabic for p in predictions)
            progress.update(len(chunk))
    if truncated or without_arabic:
        print(f"note: {truncated} sentence(s) truncated to the model's max length, {without_arabic} without "
              "Arabic letters (flagged in the output: prediction.truncated, prediction.has_arabic)", file=sys.stderr)
    return count


def _record_path(part: Path) -> Path:
    return part.with_name(part.name + ".run.json")


def _resume_point(handle, part: Path, record: dict, overwrite: bool) -> int:
    """Lines already complete in a partial output of this same run; anything else is refused or, asked to, replaced."""
    record_file = _record_path(part)
    handle.seek(0, os.SEEK_END)
    if handle.tell() or record_file.exists():
        previous = _read_record(record_file)
        if previous != record:
            if not overwrite:
                what = "has no record of its run" if previous is None else \
                    "was written by another run (different " + ", ".join(
                        sorted(k for k in record if previous.get(k) != record[k])) + ")"
                raise FileExistsError(f"{part} {what}; pass --overwrite to replace it, or delete it")
            handle.truncate(0)
    write_json(record_file, record)
    handle.seek(0)
    data = handle.read()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        handle.truncate(len(complete))
    lines = complete.count(b"\n")
    if lines:
        print(f"resuming {part}: {lines} sentences already tagged", file=sys.stderr)
    return lines


def _read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _head_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()


def _skip(chunk_iter: Iterator[list[dict]], done: int) -> Iterator[list[dict]]:
    for chunk in chunk_iter:
        if done >= len(chunk):
            done -= len(chunk)
            continue
        yield chunk[done:]
        done = 0


class Processes:
    """This process's place among those started by accelerate launch or torchrun (RANK, WORLD_SIZE env)."""

    def __init__(self):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        if self.world > 1:
            import torch
            import torch.distributed as dist

            if not dist.is_initialized():
                dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")

    def wait_for_everyone(self) -> None:
        if self.world > 1:
            import torch.distributed as dist

            dist.barrier()
