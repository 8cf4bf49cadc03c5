"""The English catalogue: complete, in step with the code, and actually used on English pages.

The source strings are Thai; ``app/translations/en/LC_MESSAGES/messages.po`` holds the English.
When one of these tests fails after you added or changed a ``_()`` / ``_l()`` string, run
``make messages`` and translate the new (empty or fuzzy) entries in the .po.

The checks compile the .po themselves (in memory or into a temporary folder), so they do not
depend on ``make translations`` having built the .mo.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
#: The same keywords as ``make messages`` (pybabel extract -k _l -k lazy_gettext).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

_PLACEHOLDER = re.compile(r"%\((\w+)\)([sdfr])")


def _catalog():
    with PO_PATH.open("rb") as fh:
        return read_po(fh, locale="en")


def _key(message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return msgid, message.context


def _texts(value) -> list[str]:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _placeholders(text: str) -> set[tuple[str, str]]:
    return set(_PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def catalog():
    return _catalog()


@pytest.fixture(scope="module")
def compiled(catalog) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


# --- 1. complete --------------------------------------------------------------------------------


def test_catalogue_is_english_and_not_empty(catalog):
    assert str(catalog.locale) == "en"
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"
    assert len([m for m in catalog if m.id]) > 100


def test_every_message_is_translated_and_not_fuzzy(catalog):
    untranslated = [_key(m) for m in catalog if m.id and not all(s.strip() for s in _texts(m.string))]
    fuzzy = [_key(m) for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated messages: {untranslated}"
    assert not fuzzy, f"fuzzy messages (check and remove the flag): {fuzzy}"


def test_placeholders_match_and_no_stray_percent_signs(catalog):
    problems = []
    for message in catalog:
        if not message.id:
            continue
        wanted = set().union(*(_placeholders(t) for t in _texts(message.id)))
        for text in _texts(message.string):
            if _placeholders(text) != wanted:
                problems.append((_key(message), "placeholders differ", text))
            # Templates always apply "%" formatting, so a lone % breaks the page.
            if "%" in _PLACEHOLDER.sub("", text).replace("%%", ""):
                problems.append((_key(message), "stray %", text))
    assert not problems, problems


def test_babel_format_checks_pass(catalog):
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalog.check()]
    assert not errors, errors


def test_no_thai_left_in_the_english_text(catalog):
    thai = re.compile(r"[\u0e00-\u0e7f]")
    case_number = re.compile(r"[รท]\. ?\d+/\d+")  # case numbers keep their Thai prefix (ร. 12/2569)
    leftovers = [(_key(m), s) for m in catalog if m.id for s in _texts(m.string)
                 if thai.search(case_number.sub("", s))]
    assert not leftovers, leftovers


# --- 2. in step with the code -------------------------------------------------------------------


def test_catalogue_has_every_string_the_code_uses(catalog):
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    extracted = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        extracted.setdefault((msgid, context), f"{filename}:{lineno}")
    assert len(extracted) > 100, "extraction found almost nothing: is babel.cfg right?"
    known = {_key(m) for m in catalog if m.id}
    missing = {key: where for key, where in extracted.items() if key not in known}
    assert not missing, (
        "strings in the code but not in messages.po (run `make messages`, then translate them): "
        f"{missing}")


# --- 3. the compiled catalogue says the right things --------------------------------------------


@pytest.mark.parametrize(("thai", "english"), [
    ("รหัสติดตามเรื่อง", "Tracking code"),
    ("เลขที่รับเรื่อง", "Case number"),
    ("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "Corruption and misconduct report"),
    ("เจ้าหน้าที่งานนิติการ (เรื่องทุจริต)", "Integrity officer (corruption reports)"),
    ("อยู่ระหว่างดำเนินการ", "In progress"),
    ("เกินกำหนด", "Overdue"),
    ("ไม่พบหน้าที่ท่านต้องการ", "The page you are looking for could not be found."),
])
def test_key_terms(compiled, thai, english):
    assert compiled.gettext(thai) == english


def test_fifteen_day_promise_and_tip_off(compiled):
    home = ("ท่านสามารถแจ้งปัญหาความเดือดร้อน ร้องเรียนการให้บริการ หรือแจ้งเบาะแสการทุจริตได้ตลอด 24 ชั่วโมง "
            "เจ้าหน้าที่จะดำเนินการภายใน %(days)s %(unit)s นับจากวันที่รับเรื่อง "
            "และท่านติดตามความคืบหน้าได้ด้วยรหัสติดตามเรื่องโดยไม่ต้องโทรสอบถาม")
    text = compiled.gettext(home) % {"days": 15, "unit": compiled.gettext("วัน")}
    assert "within 15 days" in text and "tip-off" in text and "tracking code" in text


def test_messages_with_placeholders_format(compiled):
    assert compiled.gettext("ยาวเกิน %(n)s ตัวอักษร") % {"n": 300} == "Longer than 300 characters."
    assert compiled.gettext("กรุณากรอก%(label)s") % {"label": "Details"} == "Please fill in “Details”."
    assert "%(days)s days" in compiled.gettext(
        "เจ้าหน้าที่จะดำเนินการภายใน %(days)s วัน นับจากวันที่รับเรื่อง หากไม่แล้วเสร็จภายในกำหนด "
        "จะชี้แจงเหตุผลให้ท่านทราบทางหน้าติดตามเรื่อง")


def test_admin_section_names_are_plural_where_the_context_says_so(compiled):
    assert compiled.gettext("หน่วยงาน") == "Unit"
    assert compiled.pgettext("admin section", "หน่วยงาน") == "Units"
    assert compiled.pgettext("admin section", "ประเภทเรื่อง") == "Categories"


# --- the service messages on English pages ------------------------------------------------------


@pytest.fixture
def english_app(app, catalog, tmp_path):
    """The test app reading a freshly compiled catalogue (not whatever .mo is lying around)."""
    from app.extensions import babel

    target = tmp_path / "translations" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as fh:
        write_mo(fh, catalog)
    config = app.extensions["babel"]
    original = config.translation_directories
    config.translation_directories = [str(tmp_path / "translations")]
    babel.domain_instance.cache.clear()  # Flask-Babel caches loaded catalogues per locale
    yield app
    config.translation_directories = original
    babel.domain_instance.cache.clear()


def test_form_errors_from_the_intake_service_are_english(english_app):
    from tests.conftest import csrf_from

    client = english_app.test_client()
    page = client.get("/complaint?lang=en").get_data(as_text=True)
    response = client.post("/complaint", data={"csrf_token": csrf_from(page), "subject": "", "details": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please fill in “Subject”." in html
    assert "กรุณากรอก" not in html


def test_api_errors_are_english_json_strings(english_app):
    client = english_app.test_client()
    response = client.post("/api/v1/complaints?lang=en", json={"subject": "", "details": "x" * 10001})
    body = response.get_json()
    assert response.status_code == 422
    assert body["error"]["message"] == "Some information is missing or not valid."
    assert body["error"]["fields"]["subject"] == "Please fill in “Subject”."
    assert body["error"]["fields"]["details"] == "“Details” is longer than 10000 characters."


def test_service_messages_stay_thai_outside_a_request(english_app):
    from app.security.passwords import policy_problems
    from app.services.accounts import AccountError
    from app.labels import lazy_join

    problems = policy_problems("short")
    assert str(problems[0]) == "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"  # CLI output, no request
    assert str(AccountError(lazy_join(" ", problems))).startswith("รหัสผ่านต้องยาวอย่างน้อย")
    with english_app.test_request_context("/?lang=en"):
        assert str(problems[0]) == "The password must be at least 10 characters long."
