import pytest

from model.cues import cue_label, has_claim_cue, keyword_labels
from model.labels import ID2LABEL, LABEL2ID, LABELS, check_label


def test_the_label_set_is_the_spec_s_four_labels_in_a_fixed_order():
    assert LABELS == ("report", "denial", "allegation", "background")
    assert all(ID2LABEL[LABEL2ID[label]] == label for label in LABELS)


def test_check_label_names_the_allowed_labels():
    with pytest.raises(ValueError, match="report, denial, allegation, background"):
        check_label("Denial")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("نفى الكرملين التقارير", "denial"),
        ("وأكد أن ما نشر لا صحة له", "denial"),
        ("واتهمت الحكومة الميليشيات بقصف الأحياء", "allegation"),
        ("وقالت مصادر مطلعة إن الصفقة تمت", "allegation"),
        ("وقال الوزير إن البرنامج سيبدأ غدا", "report"),
        ("وكان قد زار المدينة في العام الماضي", "background"),
    ],
)
def test_cue_label_follows_the_spec_s_order(sentence, expected):
    assert cue_label(sentence) == expected


def test_cues_match_whole_words_with_prefixes_not_substrings():
    assert cue_label("وبدأ تنفيذ المشروع") is None  # تنفيذ contains تنفي
    assert cue_label("وتنفي الوزارة ذلك") == "denial"
    assert not has_claim_cue("معلمته في المدرسة")  # contains علمت


def test_keyword_labels_fall_back_to_background():
    assert keyword_labels(["السماء صافية والجو معتدل"]) == ["background"]
