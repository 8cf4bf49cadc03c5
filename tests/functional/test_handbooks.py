"""The two public handbooks: four parts built from live settings, the admin's words, access and the PDF."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Handbook, Organisation, Unit
from app.models.base import utcnow
from app.services import accounts
from app.services import settings as settings_service
from app.services import units as unit_service
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_unit, make_user, seed_categories
from tests.pdftools import squeeze

HEADINGS = ("ช่องทางและวิธีการร้องเรียน", "ขั้นตอนการจัดการเรื่องร้องเรียน",
            "หน่วยงานและเจ้าหน้าที่ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ")
TITLES = {"general": "คู่มือการจัดการเรื่องร้องเรียน/ร้องทุกข์",
          "corruption": "คู่มือการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"}


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def flat(text: str) -> str:
    """Whitespace collapsed, so a phrase wrapped over two lines (HTML source or PDF) still matches."""
    return " ".join(text.split())


def pdf_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed for the PDF checks"
    out = subprocess.run([tool, "-raw", "-", "-"], input=response.data, capture_output=True, check=True)
    return squeeze(out.stdout.decode("utf-8"))  # Thai lines join without a space


def staff(username: str, full_name: str, position: str, role: str, unit: Unit | None):
    """A committed staff account with a distinctive name and a position."""
    user = accounts.create_user(username=username, full_name=full_name, position=position, password=PASSWORD,
                                roles=[role], unit=unit, now=utcnow())
    db.session.commit()
    return user


def set_sla(channel: str, days: int, mode: str) -> None:
    settings_service.update_channel(channel, days=days, mode=mode, reminder_days="5,2,0",
                                    actor=make_user("admin"), now=utcnow())
    db.session.commit()


def form_data(**overrides) -> dict:
    data = {"intro": "", "how_to": "", "steps": "", "responsible": "", "time_frame": "", "unit_id": "0",
            "officer_title": "", "contact": ""}
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(app, auth):
    user = make_user("admin", username="hbadmin")
    assert auth.login("hbadmin", PASSWORD).status_code == 302
    return user


def post_handbook(client, kind: str, **fields):
    token = csrf_from(text_of(client, f"/admin/handbooks/{kind}"))
    return client.post(f"/admin/handbooks/{kind}", data={**form_data(**fields), "csrf_token": token})


# --- the public pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["general", "corruption"])
def test_each_handbook_is_public_and_complete_from_settings_alone(client, kind):
    html = flat(text_of(client, f"/handbook/{kind}"))
    assert db.session.get(Handbook, kind) is None  # nothing saved by an admin
    assert TITLES[kind] in html
    for heading in HEADINGS:
        assert heading in html, heading
    assert "ภายใน 15 วัน นับจากวันที่รับเรื่อง" in html  # the plans' default rule
    assert 'href="/track/"' in html
    other = "corruption" if kind == "general" else "general"
    assert f'href="/handbook/{other}"' in html


def test_the_corruption_handbook_is_separate_and_says_how_the_reporter_is_protected(client):
    html = flat(text_of(client, "/handbook/corruption"))
    assert 'href="/report"' in html
    assert "ไม่ประสงค์ออกนาม" in html
    assert "ถูกเข้ารหัส" in html and "เฉพาะเจ้าหน้าที่ผู้รับผิดชอบเรื่องร้องเรียนการทุจริต" in html
    assert "รหัสติดตามเรื่องเป็นทางเดียว" in html
    assert "เจ้าหน้าที่ที่ถูกร้องเรียนจะไม่เห็นเรื่อง" in html
    assert "ดำเนินการทางวินัย" in html
    general = flat(text_of(client, "/handbook/general"))
    assert "เจ้าหน้าที่ที่ถูกร้องเรียนจะไม่เห็นเรื่อง" not in general
    assert 'href="/complaint"' in general


def test_the_corruption_handbook_gives_no_case_details_or_statistics(client):
    from tests.factories import file_report

    file_report(subject="เรียกรับเงินค่าใบอนุญาตก่อสร้างซอยเจ็ด")
    html = text_of(client, "/handbook/corruption")
    assert "ซอยเจ็ด" not in html
    assert "/stats/" not in html.split('<main', 1)[1].split('</main>', 1)[0]


def test_unknown_handbook_is_404(client, admin):
    assert client.get("/handbook/secret").status_code == 404
    assert client.get("/handbook/secret.pdf").status_code == 404
    assert client.get("/admin/handbooks/secret").status_code == 404


def test_english_visitors_get_the_page_too(client):
    response = client.get("/handbook/general?lang=en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_home_and_both_forms_link_to_the_handbooks(client):
    home = text_of(client, "/")
    assert 'href="/handbook/general"' in home and 'href="/handbook/corruption"' in home
    assert 'href="/handbook/general"' in text_of(client, "/complaint")
    assert 'href="/handbook/corruption"' in text_of(client, "/report")


# --- facts follow the settings ---------------------------------------------------------------------------------------


def test_sla_change_shows_on_its_own_handbook_only(client):
    set_sla("general", 20, "working")
    general = flat(text_of(client, "/handbook/general"))
    assert "ภายใน 20 วันทำการ นับจากวันที่รับเรื่อง" in general
    assert "นับเฉพาะวันทำการ" in general
    assert "15 วัน" not in general
    corruption = flat(text_of(client, "/handbook/corruption"))
    assert "ภายใน 15 วัน นับจากวันที่รับเรื่อง" in corruption
    assert "นับตามวันปฏิทิน" in corruption
    assert "20 วันทำการ" not in corruption

    set_sla("corruption", 30, "calendar")
    corruption = flat(text_of(client, "/handbook/corruption"))
    assert "ภายใน 30 วัน นับจากวันที่รับเรื่อง" in corruption
    assert "ภายใน 20 วันทำการ" in flat(text_of(client, "/handbook/general"))


def test_home_page_and_complaint_form_promise_the_days_set_now(client):
    assert "ภายใน 15 วัน นับจากวันที่รับเรื่อง" in flat(text_of(client, "/complaint"))
    set_sla("general", 20, "working")
    for url in ("/", "/complaint"):
        page = flat(text_of(client, url))
        assert "ภายใน 20 วันทำการ" in page and "15 วัน" not in page, url


def test_renamed_unit_and_new_phone_show_at_once(client):
    seed_categories()
    db.session.add(Organisation(name="องค์การบริหารส่วนตำบลทดสอบ", short_name="อบต.ทดสอบ", org_type="sao",
                                address="หมู่ 1 ตำบลทดสอบ", phone="02-111-1111", email="", website=""))
    db.session.commit()
    html = flat(text_of(client, "/handbook/general"))
    assert "กองช่าง: ถนน ทางเท้า ท่อระบายน้ำ" in html
    assert "02-111-1111" in html and "หมู่ 1 ตำบลทดสอบ" in html

    engineering = db.session.scalar(select(Unit).where(Unit.name == "กองช่าง"))
    unit_service.update_unit(engineering, name="กองช่างและผังเมือง", sort_order=engineering.sort_order,
                             actor=make_user("admin"), now=utcnow())
    org = db.session.scalar(select(Organisation))
    org.phone = "02-999-9999"
    db.session.commit()
    html = flat(text_of(client, "/handbook/general"))
    assert "กองช่างและผังเมือง: ถนน ทางเท้า ท่อระบายน้ำ" in html
    assert "กองช่าง:" not in html
    assert "02-999-9999" in html and "02-111-1111" not in html


def test_responsible_unit_and_position_come_from_the_staff_but_never_their_names(client):
    centre = make_unit("สำนักปลัด")
    legal = make_unit("งานนิติการ")
    staff("clerk1", "สมศรีพิเศษ รับเรื่องดี", "เจ้าพนักงานธุรการ", "intake", centre)
    staff("legal1", "วิมลรัตน์ ซ่อนชื่อยิ่ง", "นิติกรชำนาญการ", "integrity", legal)
    staff("gone1", "ปิดบัญชี แล้วนะ", "ตำแหน่งเก่าที่เลิกใช้", "intake", centre).active = False
    db.session.commit()

    general = flat(text_of(client, "/handbook/general"))
    assert "หน่วยงานที่รับผิดชอบ: สำนักปลัด" in general
    assert "เจ้าพนักงานธุรการ" in general
    assert "ตำแหน่งเก่าที่เลิกใช้" not in general  # inactive staff are not the responsible officer
    corruption = flat(text_of(client, "/handbook/corruption"))
    assert "หน่วยงานที่รับผิดชอบ: งานนิติการ" in corruption
    assert "นิติกรชำนาญการ" in corruption
    assert "เจ้าพนักงานธุรการ" not in corruption

    pdfs = {kind: pdf_text(client, f"/handbook/{kind}.pdf") for kind in ("general", "corruption")}
    for text in (general, corruption, *pdfs.values()):
        for name in ("สมศรีพิเศษ", "รับเรื่องดี", "วิมลรัตน์", "ซ่อนชื่อยิ่ง", "ปิดบัญชี"):
            assert name not in text, name
    assert "นิติกรชำนาญการ" in pdfs["corruption"]


# --- the PDF -------------------------------------------------------------------------------------------------------


def test_pdf_has_the_four_parts_and_the_channels_own_sla(client):
    set_sla("general", 20, "working")
    general = pdf_text(client, "/handbook/general.pdf")
    corruption = pdf_text(client, "/handbook/corruption.pdf")
    for heading in HEADINGS:
        assert heading in general and heading in corruption, heading
    assert TITLES["general"] in general and TITLES["corruption"] in corruption
    assert "20 วันทำการ" in general
    assert "15 วัน" in corruption and "20 วันทำการ" not in corruption
    assert "/complaint" in general and "/report" in corruption


# --- the admin's words -----------------------------------------------------------------------------------------------


def test_admin_words_are_saved_audited_and_shown_as_text(client, admin):
    centre = make_unit("ศูนย์รับเรื่องร้องเรียนกลาง")
    db.session.commit()
    response = post_handbook(client, "general", intro="<script>alert('x')</script> ยินดีให้บริการ",
                             how_to="รับเรื่องทางไลน์ @sujarit-test ด้วย", time_frame="บรรทัดหนึ่ง\r\nบรรทัดสอง",
                             unit_id=str(centre.id), officer_title="นักจัดการงานทั่วไป",
                             contact="โทร 02-555-0000 ต่อ 12")
    assert response.status_code == 303
    saved = db.session.get(Handbook, "general")
    assert saved.updated_by_id == admin.id and saved.unit_id == centre.id
    assert saved.time_frame == "บรรทัดหนึ่ง\nบรรทัดสอง"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "handbook.update"))
    assert entry.actor_id == admin.id and "kind=general" in entry.detail

    html = text_of(client, "/handbook/general")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    page = flat(html)
    assert "รับเรื่องทางไลน์ @sujarit-test ด้วย" in page
    assert "หน่วยงานที่รับผิดชอบ: ศูนย์รับเรื่องร้องเรียนกลาง" in page
    assert "นักจัดการงานทั่วไป" in page and "โทร 02-555-0000 ต่อ 12" in page
    assert "ยินดีให้บริการ" in pdf_text(client, "/handbook/general.pdf")
    # The corruption handbook keeps its own (empty) words.
    assert "@sujarit-test" not in text_of(client, "/handbook/corruption")

    again = post_handbook(client, "general", intro="<script>alert('x')</script> ยินดีให้บริการ",
                          how_to="รับเรื่องทางไลน์ @sujarit-test ด้วย", time_frame="บรรทัดหนึ่ง\nบรรทัดสอง",
                          unit_id=str(centre.id), officer_title="นักจัดการงานทั่วไป",
                          contact="โทร 02-555-0000 ต่อ 12")
    assert again.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "handbook.update")) == 1


def test_admin_page_shows_where_each_fact_comes_from(client, admin):
    html = text_of(client, "/admin/handbooks/general")
    assert 'href="/admin/sla"' in html and 'href="/admin/organisation"' in html and 'href="/admin/units"' in html
    assert 'href="/handbook/general"' in html  # preview
    listing = text_of(client, "/admin/handbooks")
    assert 'href="/admin/handbooks/general"' in listing and 'href="/admin/handbooks/corruption"' in listing
    assert 'href="/admin/handbooks"' in text_of(client, "/admin/")  # the admin menu


def test_too_long_text_or_a_retired_unit_is_refused_in_thai_and_changes_nothing(client, admin):
    response = post_handbook(client, "corruption", steps="ก" * 5001)
    assert response.status_code == 400
    assert "ยาวได้ไม่เกิน 5000 ตัวอักษร" in response.get_data(as_text=True)
    retired = make_unit("กองที่ยุบแล้ว")
    retired.active = False
    db.session.commit()
    response = post_handbook(client, "corruption", unit_id=str(retired.id))
    assert response.status_code == 400
    assert "กรุณาเลือกจากรายการ" in response.get_data(as_text=True)
    assert count(Handbook) == 0


def test_a_unit_retired_after_it_was_chosen_falls_back_to_the_staff_unit(client, admin):
    chosen = make_unit("กองเดิม")
    legal = make_unit("งานนิติการ")
    staff("legal2", "ชื่อ ไม่แสดง", "นิติกร", "integrity", legal)
    assert post_handbook(client, "corruption", unit_id=str(chosen.id)).status_code == 303
    assert "หน่วยงานที่รับผิดชอบ: กองเดิม" in flat(text_of(client, "/handbook/corruption"))
    chosen.active = False
    db.session.commit()
    assert "หน่วยงานที่รับผิดชอบ: งานนิติการ" in flat(text_of(client, "/handbook/corruption"))
    # The edit page still opens with the retired unit selected, and saving it again is allowed.
    assert post_handbook(client, "corruption", unit_id=str(chosen.id), intro="คงไว้").status_code == 303


@pytest.mark.parametrize("role", ["intake", "unit_officer", "integrity", "executive"])
def test_other_roles_get_403_and_change_nothing(client, auth, role):
    make_user(role, username=f"hb_{role}")
    auth.login(f"hb_{role}", PASSWORD)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    for url in ("/admin/handbooks", "/admin/handbooks/general", "/admin/handbooks/corruption"):
        assert client.get(url).status_code == 403, url
    for kind in ("general", "corruption"):
        response = client.post(f"/admin/handbooks/{kind}", data={**form_data(intro="แอบแก้"), "csrf_token": token})
        assert response.status_code == 403
    assert count(Handbook) == 0
    assert "แอบแก้" not in text_of(client, "/handbook/general")


def test_anonymous_visitor_is_sent_to_sign_in_from_the_admin_pages(client):
    for url in ("/admin/handbooks", "/admin/handbooks/general"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post("/admin/handbooks/general", data=form_data(intro="x")).status_code in (302, 400)
    assert count(Handbook) == 0


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, admin):
    response = client.post("/admin/handbooks/general", data=form_data(intro="ไม่มีโทเคน"))
    assert response.status_code == 400
    assert count(Handbook) == 0
    assert "ไม่มีโทเคน" not in text_of(client, "/handbook/general")
