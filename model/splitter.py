"""Split Arabic news articles into sentences.

Sentences end at ؟ ! . (and runs of them), at line breaks and at a *** separator. A
full stop ends a sentence even with no space after it when an Arabic word follows
(«الجريمة.وبحسب», «رسمي".ولم»): Saudi and pan-Arab outlets often drop that space. It
does not end one inside a number (5.0, 1.5%), a web address (العربية.نت, U.S.), after
an abbreviation (د. ، أ.د ، U.S.), or inside an open quotation (« » “ ”), so quotes and
datelines stay intact.
"""

import re

from model.text import ARABIC_LETTER

_END_PUNCT = ".!?؟…"
_OPENING_QUOTES = {"«": "»", "“": "”", "(": ")", "[": "]"}
_CLOSERS = set(_OPENING_QUOTES.values()) | {'"', "'"}
_MAX_QUOTE_CHARS = 600
"""A quote still open after this many characters is taken as unbalanced and ignored."""

ABBREVIATIONS = frozenset(
    {
        # Arabic titles and references written with a full stop
        "د", "أ", "م", "ص", "ج", "ق", "هـ", "ه", "ت", "س", "ك", "ش", "ب", "ع", "ن",
        "أد", "م.م", "ف", "ر", "ط",
        # Latin-script forms found in Arabic news
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "inc", "ltd", "co", "jr", "sr",
        "u.s", "u.k", "u.n", "e.g", "i.e",
    }
)
"""Tokens that a full stop follows without ending the sentence (lower case)."""

LETTER_NAMES = frozenset(
    "إيه ايه بي سي دي إي اي إف اف جي جيه إتش اتش آي آى كيه كي إل ال إم ام إن ان أو او كيو آر ار إس اس "
    "تي يو في دبليو دابليو دبليو إكس اكس واي زد".split()
)
"""Latin letters spelled in Arabic script, as in acronyms written with full stops (إف.بي.آي)."""
_ARABIC_WORD_START = re.compile(rf"[{ARABIC_LETTER}]")
_DOMAIN_SUFFIX = re.compile(rf"(?:نت|كوم|أورغ|اورغ)(?![{ARABIC_LETTER}])")
_INITIAL = re.compile(rf"[{ARABIC_LETTER}](?![{ARABIC_LETTER}\u064b-\u0652])")
"""A lone letter after a full stop is a name's initial (محمد.أ), not a new sentence."""
"""Arabic web suffixes: «العربية.نت» names an outlet and is one word."""
_SEPARATOR = re.compile(r"\*{3,}")
"""A row of asterisks that some outlets put between a column's items."""
_WORD_BEFORE = re.compile(rf"([{ARABIC_LETTER}a-zA-Z.ـ]+)$")
_DIGIT_BEFORE = re.compile(r"\d\s*$")


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` in order, stripped, with empty pieces dropped."""
    sentences: list[str] = []
    for line in text.splitlines():
        for part in _SEPARATOR.split(line):
            sentences.extend(_split_line(part))
    return sentences


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    open_quotes: list[tuple[str, int]] = []
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in _OPENING_QUOTES:
            open_quotes.append((_OPENING_QUOTES[ch], i))
        elif open_quotes and ch == open_quotes[-1][0]:
            open_quotes.pop()
        if open_quotes and i - open_quotes[0][1] > _MAX_QUOTE_CHARS:
            open_quotes.clear()
        if ch in _END_PUNCT and not open_quotes:
            end = i + 1
            while end < n and (line[end] in _END_PUNCT or line[end] in _CLOSERS):
                end += 1
            if _is_boundary(line, i, end):
                pieces.append(line[start:end])
                start = end
            i = end
            continue
        i += 1
    pieces.append(line[start:])
    return [p.strip() for p in pieces if _has_content(p)]


def _is_boundary(line: str, stop: int, end: int) -> bool:
    """Whether punctuation at `stop` (ending at `end`) closes a sentence."""
    if end < len(line) and not line[end].isspace():
        if not _ARABIC_WORD_START.match(line[end]) or _DOMAIN_SUFFIX.match(line, end) or _INITIAL.match(line, end):
            return False  # 5.0, U.S., www.spa.gov.sa, 3.5%, العربية.نت
        if line[stop] == "." and end == stop + 1 and _is_abbreviation_chain(line[:stop]):
            return False  # أ.د
    if line[stop] != ".":
        return True
    if _last_word(line[:stop]) in LETTER_NAMES and _next_word(line, end) in LETTER_NAMES:
        return False  # «إم . آي», «بي.بي. سي»: an acronym spelled with spaces
    before = line[:stop].rstrip()
    match = _WORD_BEFORE.search(before)
    if match is None:
        return True
    word = match.group(1).lower().strip(".")
    if word in ABBREVIATIONS:
        # "عام 1990 م." closes a sentence: the year marker follows a number.
        return bool(_DIGIT_BEFORE.search(before[: match.start()])) and word in {"م", "هـ", "ه"}
    return True


def _last_word(text: str) -> str:
    match = _WORD_BEFORE.search(text.rstrip())
    return re.split(r"[./]", match.group(1))[-1] if match else ""


def _next_word(line: str, end: int) -> str:
    match = re.match(rf"\s*([{ARABIC_LETTER}]+)", line[end:])
    return match.group(1) if match else ""


def _is_abbreviation_chain(before: str) -> bool:
    """Whether the text before a full stop ends in an abbreviation or spelled letter (أ.د, إف.بي.آي)."""
    last = _last_word(before)
    return last in ABBREVIATIONS or last in LETTER_NAMES


def _has_content(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)
