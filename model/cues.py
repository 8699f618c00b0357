"""Cue words of the label spec, and a keyword-only labeller that follows its decision procedure.

The cues propose candidates for annotation, split evaluation into sentences with and
without a cue, and make the rule baseline. They never decide a gold label.
Patterns are written on `normalize_for_matching` output (ا for أإآ, ي for ى, ه for ة).
"""

import re
from collections.abc import Iterable

from model.text import normalize_for_matching

_PREFIX = r"(?:^|(?<= ))(?:و|ف)?(?:ب|ل|ك)?(?:ال)?"
"""Clitics that may stand before a cue word: و، ف، ب، ل، ك and the article."""

_SUFFIX = r"(?:ه|ها|هم|هما|ا|وا|ت|ن|ي|ون|ين|ات)?(?= |$)"


def _words(*stems: str) -> str:
    return _PREFIX + "(?:" + "|".join(stems) + ")" + _SUFFIX


def _phrases(*phrases: str) -> str:
    return _PREFIX + "(?:" + "|".join(phrases) + ")" + r"(?= |$)"


DENIAL_CUES = re.compile(
    "|".join(
        [
            _words("نفي", "نفت", "نفى", "ينفي", "تنفي", "نفيه", "نفوا", "انكر", "ينكر", "تنكر", "انكرت"),
            _words("كذب", "كذبت", "يكذب", "تكذب", "تكذيب", "دحض", "يدحض", "تدحض", "دحضت"),
            _phrases(
                "لا صحه", "عار عن الصحه", "عاري عن الصحه", "عاريه عن الصحه", "عار من الصحه",
                "غير صحيح", "اخبار كاذبه", "انباء كاذبه", "اخبار مفبركه", "مفبركه", "ملفقه",
                "لا اساس لها", "لا اساس له", "لا يمت للحقيقه", "لا تمت للحقيقه", "مجرد شائعات",
                "شائعات", "اشاعات", "الشائعه", "الاشاعه", "عاريه من الصحه", "مغلوطه",
                "رفض الاتهامات", "رفضت الاتهامات", "يرفض الاتهامات", "الاتهامات الباطله",
                "ادعاءات باطله", "مزاعم باطله", "غير دقيقه", "غير دقيق",
            ),
        ]
    )
)
"""Words and phrases that can mark a denial of a claim (spec, step 1)."""

ALLEGATION_CUES = re.compile(
    "|".join(
        [
            _words("زعم", "زعمت", "يزعم", "تزعم", "مزاعم", "ادعي", "ادعت", "يدعي", "تدعي", "ادعاء", "ادعاءات"),
            _words("اتهم", "اتهمت", "يتهم", "تتهم", "اتهام", "اتهامات", "متهما", "حمل", "حملت", "يحمل", "تحمل")
            + r"(?=.{0,60}مسؤولي)|"
            + _words("اتهم", "اتهمت", "يتهم", "تتهم", "اتهامات"),
            _words("يعتقد", "يشتبه", "يرجح", "المشتبه", "يشتبه", "مشتبه"),
            _phrases(
                "مصادر مطلعه", "مصدر مطلع", "مصادر لم تسمها", "مصدر لم يسم", "مصادر لم يسمها",
                "مصدر مجهول", "مصادر مجهوله", "مصادر مقربه", "مصدر مقرب", "مصادر خاصه", "مصدر رفض الكشف",
                "مصادر وثيقه", "مصادر موثوقه", "مصدر مسؤول", "مصادر مسؤوله", "مصادر امنيه", "مصدر امني",
                "مصادر في", "مصدر في", "وفق مصادر", "بحسب مصادر", "حسب مصادر", "افادت مصادر",
                "ذكرت مصادر", "قالت مصادر", "اكدت مصادر", "كشفت مصادر", "علمت", "تشير تقارير",
                "تقارير غير مؤكده", "انباء عن", "انباء غير مؤكده", "تقارير اعلاميه", "وتشير التقارير",
                "التقارير تشير",
            ),
        ]
    )
)
"""Claim verbs, accusations and unnamed or hedged sourcing (spec, step 2)."""

REPORT_CUES = re.compile(
    _words(
        "قال", "قالت", "يقول", "تقول", "اعلن", "اعلنت", "يعلن", "تعلن", "ذكر", "ذكرت", "افاد", "افادت",
        "نقل", "نقلت", "اكد", "اكدت", "يؤكد", "تؤكد", "اوضح", "اوضحت", "صرح", "صرحت", "اضاف", "اضافت",
        "وفقا", "اشار", "اشارت", "اعرب", "اعربت", "دعا", "دعت", "قرر", "قررت", "وافق", "وافقت",
        "افتتح", "افتتحت", "بحث", "استقبل", "التقي", "شارك", "اطلق", "اطلقت", "وقع", "وقعت",
    )
)
"""On-record attribution and news-event verbs (spec, step 3)."""

BACKGROUND_CUES = re.compile(
    _phrases("سبق ان", "كان قد", "كانت قد", "في وقت سابق", "يذكر ان", "يشار الي", "الجدير بالذكر", "منذ عام")
)
"""Markers of earlier events and context, which make a report-looking sentence background."""


def cue_label(text: str) -> str | None:
    """The first label of the spec's procedure whose cue words `text` contains, else None."""
    norm = normalize_for_matching(text)
    if DENIAL_CUES.search(norm):
        return "denial"
    if ALLEGATION_CUES.search(norm):
        return "allegation"
    if BACKGROUND_CUES.search(norm):
        return "background"
    if REPORT_CUES.search(norm):
        return "report"
    return None


def has_claim_cue(text: str) -> bool:
    """True when `text` holds a denial or allegation cue (the words a keyword model keys on)."""
    norm = normalize_for_matching(text)
    return bool(DENIAL_CUES.search(norm) or ALLEGATION_CUES.search(norm))


def keyword_labels(sentences: Iterable[str], default: str = "background") -> list[str]:
    """Label each sentence by cue words alone: the keyword baseline of the spec's procedure."""
    return [cue_label(s) or default for s in sentences]
