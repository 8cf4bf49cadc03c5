"""Thai-aware normalisation of the names and positions a reporter types (services/cases/accused.py)."""
from __future__ import annotations

import pytest

from app.services.cases.accused import NAME_THRESHOLD, alike, clean, skeleton, strip_titles


@pytest.mark.parametrize("typed, bare", [
    ("นายสมชาย ใจดี", "สมชาย ใจดี"),
    ("นางสาวสมหญิง นิติธรรม", "สมหญิง นิติธรรม"),
    ("น.ส.สมหญิง นิติธรรม", "สมหญิง นิติธรรม"),
    ("ว่าที่ร.ต. ดร.สมศักดิ์ รักดี", "สมศักดิ์ รักดี"),
    ("ว่าที่ร้อยตรีสมศักดิ์ รักดี", "สมศักดิ์ รักดี"),
    ("ผศ.ดร.วิชัย เก่งมาก", "วิชัย เก่งมาก"),
    ("พี่สมชาย", "สมชาย"),
    ("นายกมล ศรีสุข", "กมล ศรีสุข"),          # นาย + a name that starts with ก
    ("Mr. John  Smith", "john smith"),
])
def test_titles_and_forms_of_address_are_dropped(typed, bare):
    assert strip_titles(typed) == bare


@pytest.mark.parametrize("title", ["นายก อบต.", "นายกองค์การบริหารส่วนตำบล", "นายกเทศมนตรี"])
def test_the_executive_title_is_not_read_as_mister(title):
    assert strip_titles(title) == clean(title)


def test_zero_width_characters_spaces_and_thai_digits_are_normalised():
    assert clean("สมชาย\u200b  ใจดี ๑๒๓") == "สมชาย ใจดี 123"
    assert skeleton("สม ชาย") == skeleton("สมชาย")


@pytest.mark.parametrize("one, other", [
    ("สมหญิง นิติธรรม", "สมหยิง นิติทรรม"),     # ญ/ย, ธ/ท
    ("ศรีสุข", "สีสุก"),                        # ศ/ส, ข/ก
    ("พิสุทธิ์", "พิสุทธิ"),                    # a silent letter written or not
    ("ณัฐพล", "นัทพล"),                         # ณ/น, ฐ/ท
    ("จันทร์", "จัน"),                          # silent letters
])
def test_common_spelling_variants_sound_alike(one, other):
    assert alike(one, other) >= NAME_THRESHOLD


def test_different_names_stay_apart():
    assert alike("สมชาย ใจดี", "วิชัย เก่งมาก") < NAME_THRESHOLD
    assert alike("สมชาย", "สมศักดิ์") < NAME_THRESHOLD
