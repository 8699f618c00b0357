"""Small Arabic text helpers shared by the splitter, the cue lexicon and the data tools."""

import re
import unicodedata

ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3"
"""Character-class body matching Arabic letters (hamza to yeh, plus extended letters)."""

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkeel + tatweel
_NON_WORD = re.compile(rf"[^{ARABIC_LETTER}0-9a-zA-Z]+")
ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
"""Every Arabic block: Arabic, Supplement, Extended-B and -A, Presentation Forms-A and -B."""
_HAS_ARABIC = re.compile("[" + "".join(
    re.escape(chr(cp)) for low, high in ARABIC_BLOCKS for cp in range(low, high + 1)
    if unicodedata.category(chr(cp)).startswith("L")
) + "]")


def strip_diacritics(text: str) -> str:
    """Remove tashkeel and tatweel, which vary freely in news text."""
    return _DIACRITICS.sub("", text)


def normalize_for_matching(text: str) -> str:
    """A loose form of `text` for cue matching and duplicate detection.

    Diacritics and tatweel go, alef variants become ا, alef maqsura ي, teh marbuta ه,
    and every run of non-letters becomes one space.
    """
    text = strip_diacritics(text)
    text = re.sub("[إأآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return _NON_WORD.sub(" ", text).strip().lower()


def has_arabic(text: str) -> bool:
    """True when `text` holds at least one Arabic letter, of any Arabic block (presentation forms included)."""
    return bool(_HAS_ARABIC.search(text))
