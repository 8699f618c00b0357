from hypothesis import given
from hypothesis import strategies as st

from model.splitter import split_sentences


def test_splits_on_arabic_and_latin_end_marks_and_line_breaks():
    text = "وصل الوفد. هل انتهى الاجتماع؟ نعم!\nالرياض - واس"
    assert split_sentences(text) == ["وصل الوفد.", "هل انتهى الاجتماع؟", "نعم!", "الرياض - واس"]


def test_keeps_decimals_abbreviations_and_urls_inside_a_sentence():
    text = "قال د. محمد إن النمو بلغ 5.0 في المئة عبر www.spa.gov.sa اليوم. وانتهى."
    assert split_sentences(text) == ["قال د. محمد إن النمو بلغ 5.0 في المئة عبر www.spa.gov.sa اليوم.", "وانتهى."]


def test_keeps_a_quotation_with_inner_full_stops_whole():
    text = "وقال: «هذا خبر كاذب. لا صحة له.» ثم غادر. وانتهى المؤتمر."
    assert split_sentences(text) == ["وقال: «هذا خبر كاذب. لا صحة له.» ثم غادر.", "وانتهى المؤتمر."]


def test_closing_quote_after_the_full_stop_stays_with_its_sentence():
    assert split_sentences("قال: “انتهى الأمر.” وغادر.") == ["قال: “انتهى الأمر.” وغادر."]


def test_seed_article_splits_into_its_twenty_lines(fixtures):
    text = (fixtures.parents[1] / "seeds" / "000_8c93d2595ca9e1e8.txt").read_text(encoding="utf-8")
    assert split_sentences(text) == [line.strip() for line in text.splitlines() if line.strip()]


@given(st.text(alphabet="ابت ثجح.؟!«»\n5", max_size=200))
def test_sentences_are_stripped_non_empty_and_keep_every_letter(text):
    sentences = split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)
    letters = [ch for ch in text if ch.isalnum()]
    assert [ch for s in sentences for ch in s if ch.isalnum()] == letters


# Lines below are from train-period SaudiNewsNet articles (shortened), where v1's splitter
# left two sentences in one row.

def test_a_full_stop_with_no_space_before_an_arabic_word_ends_the_sentence():
    line = "بدأت أمس الثلاثاء محاكمة المتهم بارتكاب الجريمة.وبحسب صحيفة الدعوى، شكا المتهم (27 عاما)"
    assert split_sentences(line) == [
        "بدأت أمس الثلاثاء محاكمة المتهم بارتكاب الجريمة.",
        "وبحسب صحيفة الدعوى، شكا المتهم (27 عاما)",
    ]


def test_a_full_stop_after_a_closing_quote_ends_the_sentence():
    line = "لا يوجد أي شيء رسمي\".ولم يكن بلان حينها على علم"
    assert split_sentences(line) == ["لا يوجد أي شيء رسمي\".", "ولم يكن بلان حينها على علم"]


def test_question_and_exclamation_marks_with_no_space_end_the_sentence():
    assert split_sentences("هل هذا معقول؟!وكيف يحدث؟") == ["هل هذا معقول؟!", "وكيف يحدث؟"]


def test_a_row_of_asterisks_separates_sentences():
    line = "لا نرى إلا عيوب الآخرين وننزه أنفسنا عن الخطأ.***النمسا ليست البلد الأوربي الوحيد"
    assert split_sentences(line) == ["لا نرى إلا عيوب الآخرين وننزه أنفسنا عن الخطأ.", "النمسا ليست البلد الأوربي الوحيد"]


def test_web_names_acronyms_titles_and_initials_keep_their_full_stop():
    for line in (
        "طبقاً لمعلومات طالعتها “العربية.نت”، وفيها أن قيمته مليار دولار",
        "كما أكد مدير الحلول التقنية في شركة «آر.إس.ايه»، أن تسجيل الموقع جرى",
        "لتلفزيون (إيه.آر.دي) الألماني",
        "واضاف مدير تعليم عسير أ.جلوي آل كركمان وجود لجنة",
        "ويروي د.يوسف: «الرئيس قام بتعويض المساهمين»",
        "والثالث هو محمد.أ، ويبلغ من العمر 31 عامًا",
        "وفق بيانات شركة إم . آي للأبحاث",  # constructed: an acronym spelled with spaces
    ):
        assert split_sentences(line) == [line]
