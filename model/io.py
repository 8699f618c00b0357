"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Files and folders get the permissions the user's umask gives (as open() and mkdir would),
not the private ones of the temporary files they are staged in: teams share run folders.
"""

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w") -> Iterator[TextIO]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write `obj` as indented UTF-8 JSON, atomically."""
    with atomic_open(path) as handle:
        json.dump(obj, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write `text` atomically."""
    with atomic_open(path) as handle:
        handle.write(text)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def write_jsonl(path: str | os.PathLike, rows: Iterable[dict]) -> None:
    """Write one JSON object per line, atomically."""
    with atomic_open(path) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_folder(directory: str | os.PathLike, fill: Callable[[Path], None],
                 replaceable: Callable[[Path], bool] | None = None) -> None:
    """Fill a staging folder beside `directory`, then swap it in: readers never see a partial folder.

    An existing `directory` is replaced only when it is empty or `replaceable` says it is ours
    (a saved tagger, say); anything else is refused before any work, and left untouched. The
    old folder stays in place until the new one is complete, and is put back if the swap fails.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise FileExistsError(f"{directory} exists and is not a folder; nothing was written")
    if directory.is_dir() and any(directory.iterdir()) and not (replaceable and replaceable(directory)):
        raise FileExistsError(f"{directory} already holds files that are not ours to replace; "
                              "choose another folder (nothing was written)")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.new."))
    try:
        fill(staging)
        share(staging)
        old = None
        if directory.exists():
            old = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.old."))
            old.rmdir()
            directory.rename(old)
        try:
            staging.rename(directory)
        except BaseException:
            if old is not None:
                old.rename(directory)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def share(root: Path) -> None:
    """Give `root` and everything in it the permissions of the umask (temporary files start private)."""
    mask = current_umask()
    for path in [root, *root.rglob("*")]:
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


def current_umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
