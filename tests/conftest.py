import json
import os
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def write_zip(path, member, items):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, json.dumps(items, ensure_ascii=False))


@pytest.fixture
def corpora(tmp_path):
    """Two tiny raw corpora in the real formats: SaudiNewsNet daily zips and an ANT outlet zip, each with
    training-period and held-out days."""
    snn, ant = tmp_path / "saudinewsnet", tmp_path / "ant"
    snn.mkdir()
    ant.mkdir()
    write_zip(snn / "2015-08-01.zip", "2015-08-01.json", [
        {"source": "sabq", "title": "افتتاح مشروع", "content": "افتتح الأمير المشروع. وحضر الحفل عدد من المسؤولين."},
        {"source": "sabq", "title": "خبر مكرر", "content": "نفت الوزارة صحة الأنباء المتداولة."},
    ])
    write_zip(snn / "2015-08-09.zip", "2015-08-09.json", [
        {"source": "sabq", "title": "بعد الفترة", "content": "هذا خبر من الأيام المحجوزة للاختبار."},
    ])
    write_zip(ant / "BBC.zip", "BBC.json", [
        {"docno": "BB-middleEast-1-20180701", "date": "20180701", "src": "BBC", "title": "قمة", "content": "انعقدت القمة في موعدها."},
        {"docno": "BB-middleEast-2-20180702", "date": "20180702", "src": "BBC", "title": "مقال في التطوير",
         "content": "هذا المقال جزء من ملف التطوير."},
        {"docno": "BB-middleEast-3-20180905", "date": "20180905", "src": "BBC", "title": "سبتمبر", "content": "خبر من سبتمبر."},
    ])
    return [snn, ant]
