"""Tag a file of any size: an article or text (.txt, split into sentences line by line) or JSONL sentences.

Input is read and tagged in chunks and output written as it goes, so memory stays
bounded. Output goes to OUT.partial and is renamed to OUT when complete; rerunning the
same command after an interruption resumes after the last complete line.

Under `accelerate launch` (or torchrun) each process tags every n-th chunk and the
first process merges the parts in input order.
"""

import json
import os
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from tqdm import tqdm

from model.splitter import split_sentences

CHUNK = 1024
"""Sentences read, tagged and written at a time (also the unit processes take turns on)."""


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
    from model.loading import load_tagger

    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"no such file: {source}")
    if output and Path(output).exists() and not overwrite:
        raise FileExistsError(f"{output} already exists; pass --overwrite to replace it")
    processes = Processes()
    rank, world = processes.rank, processes.world
    tagger = load_tagger(model, device=device, threads=threads)
    if output is None:
        if world > 1:
            raise ValueError("several processes need --output: they write parts that are merged in input order")
        return _tag(tagger, my_chunks(read_items(source), chunk_size, rank, world), sys.stdout, batch_size, rank)
    part = Path(f"{output}.part{rank}" if world > 1 else f"{output}.partial")
    done = _resume(part)
    items = my_chunks(read_items(source), chunk_size, rank, world)
    remaining = _skip(items, done)
    with part.open("a", encoding="utf-8") as out:
        count = _tag(tagger, remaining, out, batch_size, rank, initial=done)
    if world == 1:
        os.replace(part, output)
        return done + count
    processes.wait_for_everyone()
    if rank == 0:
        merge_parts([Path(f"{output}.part{r}") for r in range(world)], Path(output), chunk_size)
    processes.wait_for_everyone()
    return done + count


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


def _tag(tagger, chunk_iter, out, batch_size, rank: int, initial: int = 0) -> int:
    count = truncated = without_arabic = 0
    with tqdm(desc="tagging", unit=" sentences", initial=initial, disable=rank != 0, file=sys.stderr) as progress:
        for chunk in chunk_iter:
            predictions = tagger.predict([item["text"] for item in chunk], batch_size=batch_size)
            for item, prediction in zip(chunk, predictions):
                row = {**item, **{k: v for k, v in prediction.to_dict().items() if k != "text"}}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            count += len(chunk)
            truncated += sum(p.truncated for p in predictions)
            without_arabic += sum(not p.has_arabic for p in predictions)
            progress.update(len(chunk))
    if truncated or without_arabic:
        print(f"note: {truncated} sentence(s) truncated to the model's max length, {without_arabic} without "
              "Arabic letters (flagged in the output: truncated, has_arabic)", file=sys.stderr)
    return count


def _resume(part: Path) -> int:
    """Lines already complete in a partial output; a trailing half-written line is cut off."""
    if not part.exists():
        return 0
    data = part.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        part.write_bytes(complete)
    lines = complete.count(b"\n")
    if lines:
        print(f"resuming {part}: {lines} sentences already tagged", file=sys.stderr)
    return lines


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
