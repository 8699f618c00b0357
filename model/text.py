"""Small Arabic text helpers shared by the splitter, the cue lexicon and the data tools."""

import re

ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3"
"""Character-class body matching Arabic letters (hamza to yeh, plus extended letters)."""

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkeel + tatweel
_NON_WORD = re.compile(rf"[^{ARABIC_LETTER}0-9a-zA-Z]+")
_HAS_ARABIC = re.compile(f"[{ARABIC_LETTER}]")


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
    """True when `text` holds at least one Arabic letter."""
    return bool(_HAS_ARABIC.search(text))
