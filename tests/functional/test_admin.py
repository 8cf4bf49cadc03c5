"""The administrator's screens: users, units, categories, organisation profile and audit log."""
from __future__ import annotations

import io
import logging
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Category, Organisation, StaffSession, Unit, User
from app.models.base import utcnow
from app.services import admin as admin_service
from app.services import audit
from tests.conftest import AuthActions, csrf_from
from tests.factories import PASSWORD, make_unit, make_user

#: Every admin page a browser may GET (ids filled in by the fixture data).
ADMIN_GET_URLS = [
    "/admin/", "/admin/users", "/admin/users/new", "/admin/users/{user}", "/admin/units", "/admin/units/new",
    "/admin/units/{unit}", "/admin/categories", "/admin/categories/new", "/admin/categories/{category}",
    "/admin/organisation", "/admin/audit",
]
#: Every admin URL that changes something.
ADMIN_POST_URLS = [
    "/admin/users/new", "/admin/users/{user}", "/admin/users/{user}/deactivate", "/admin/users/{user}/reactivate",
    "/admin/users/{user}/password", "/admin/units/new", "/admin/units/{unit}", "/admin/units/{unit}/deactivate",
    "/admin/units/{unit}/reactivate", "/admin/categories/new", "/admin/categories/{category}",
    "/admin/organisation",
]


def count(model) -> int:
    """Rows of a table (the test client rolls back around each request, so these are committed rows)."""
    return db.session.scalar(select(func.count()).select_from(model))


def page(client, url: str) -> tuple[str, str]:
    """GET a form page; return its HTML and CSRF token."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    return html, csrf_from(html)


def post_form(client, url: str, data: dict, form_url: str | None = None, **kwargs):
    """Fetch the form for its CSRF token, then post ``data`` with it."""
    _html, token = page(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def one_time_password(html: str) -> str:
    match = re.search(r'class="one-time-password"><code>([^<]+)</code>', html)
    assert match, "no one-time password on the page"
    return match.group(1)


def png_bytes(size=(800, 600), exif_text: str | None = None, fmt: str = "PNG") -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_text:
        exif = Image.Exif()
        exif[0x010F] = exif_text  # Make
        exif[0x0110] = exif_text  # Model
        img.save(out, format=fmt, exif=exif)
    else:
        img.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def admin(app, auth):
    """A signed-in administrator."""
    user = make_user("admin", username="boss")
    response = auth.login("boss", PASSWORD)
    assert response.status_code == 302
    return user


@pytest.fixture
def ids(app):
    """One of each record the admin URLs point at."""
    unit = make_unit("กองทดลอง")
    category = Category(code="road", name="ถนน", channel="general", sort_order=0)
    db.session.add(category)
    db.session.commit()
    other = make_user("intake", username="target")
    return {"user": other.id, "unit": unit.id, "category": category.id}


def urls(templates: list[str], ids: dict) -> list[str]:
    return [t.format(**ids) for t in templates]


# --- access ------------------------------------------------------------------------------------------------


def test_admin_index_links_to_every_admin_screen(client, admin):
    html = client.get("/admin/").get_data(as_text=True)
    for url in ("/admin/users", "/admin/units", "/admin/categories", "/admin/organisation", "/admin/audit"):
        assert f'href="{url}"' in html
    assert "บันทึกการใช้งาน" in html and "ข้อมูลองค์กร" in html


def test_every_admin_screen_opens_for_an_admin(client, admin, ids):
    for url in urls(ADMIN_GET_URLS, ids):
        assert client.get(url).status_code == 200, url


def test_intake_officer_gets_403_on_every_admin_url(client, auth, ids):
    make_user("intake", username="clerk")
    auth.login("clerk", PASSWORD)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    for url in urls(ADMIN_GET_URLS, ids):
        assert client.get(url).status_code == 403, url
    for url in urls(ADMIN_POST_URLS, ids):
        assert client.post(url, data={"csrf_token": token}).status_code == 403, url


def test_anonymous_visitor_is_sent_to_login_from_every_admin_url(client, ids):
    for url in urls(ADMIN_GET_URLS, ids):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/auth/login"), url


def test_every_admin_view_requires_the_admin_role_except_the_public_logo(app):
    for endpoint, view in app.view_functions.items():
        if not endpoint.startswith("admin."):
            continue
        if endpoint == "admin.logo":
            assert getattr(view, "is_public", False)
        else:
            assert getattr(view, "required_roles", None) == frozenset({"admin"}), endpoint


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, admin, ids):
    before = (count(User), count(Unit), count(Category), count(Organisation))
    forms = {
        "/admin/users/new": {"username": "nocsrf", "full_name": "ไม่มี โทเคน", "unit_id": "0", "role_intake": "y"},
        "/admin/units/new": {"name": "กองไม่มีโทเคน", "sort_order": "1"},
        "/admin/categories/new": {"code": "nocsrf", "name": "ไม่มีโทเคน", "channel": "general",
                                  "default_unit_id": "0", "sort_order": "0"},
        "/admin/organisation": {"name": "ชื่อใหม่", "short_name": "ใหม่", "org_type": "sao"},
        f"/admin/users/{ids['user']}/deactivate": {},
    }
    for url, data in forms.items():
        assert client.post(url, data=data).status_code == 400, url
    assert (count(User), count(Unit), count(Category), count(Organisation)) == before
    assert db.session.get(User, ids["user"]).active is True


# --- users -------------------------------------------------------------------------------------------------


def test_user_list_shows_thai_roles_unit_and_last_sign_in_in_buddhist_era(client, admin):
    unit = make_unit("กองช่าง")
    make_user("unit_officer", "intake", username="somchai", unit=unit)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "somchai" in html and "กองช่าง" in html
    assert "เจ้าหน้าที่กอง/สำนัก" in html and "เจ้าหน้าที่รับเรื่องร้องเรียน" in html
    assert "ยังไม่เคยเข้าสู่ระบบ" in html  # somchai never signed in
    assert str(utcnow().year + 543) in html  # the admin's own sign-in, as a BE date


def test_creating_a_user_shows_a_one_time_password_that_signs_in_and_forces_a_change(client, admin, app, caplog):
    unit = make_unit("กองคลัง")
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    response = post_form(client, "/admin/users/new", {
        "username": "Somsri.R", "full_name": "สมศรี ใจดี", "position": "นักวิชาการเงินและบัญชี",
        "email": "somsri@example.go.th", "unit_id": str(unit.id), "role_unit_officer": "y", "role_intake": "y",
    })
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    password = one_time_password(html)
    assert "แสดงเพียงครั้งเดียว" in html
    assert response.headers["Cache-Control"] == "no-store"

    user = db.session.scalar(select(User).where(User.username == "somsri.r"))
    assert user.roles == {"unit_officer", "intake"} and user.unit_id == unit.id
    assert user.must_change_password is True
    assert password not in user.password_hash
    assert all(password not in e.detail for e in db.session.scalars(select(AuditEntry)))
    assert password not in caplog.text
    # The password is not shown again anywhere.
    assert password not in client.get("/admin/users").get_data(as_text=True)
    assert password not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)

    newcomer = app.test_client()
    signed_in = AuthActions(newcomer).login("somsri.r", password)
    assert signed_in.headers["Location"] == "/auth/password"
    assert newcomer.get("/staff/").headers["Location"] == "/auth/password"


def test_duplicate_username_is_refused_in_thai_and_changes_nothing(client, admin):
    make_user("intake", username="somsri")
    before = count(User)
    response = post_form(client, "/admin/users/new", {
        "username": " SomSri ", "full_name": "สมศรี ซ้ำ", "unit_id": "0", "role_intake": "y"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" in html
    assert 'class="one-time-password"' not in html
    assert count(User) == before


def test_unit_officer_without_a_unit_is_refused_beside_the_unit_field(client, admin):
    before = count(User)
    response = post_form(client, "/admin/users/new", {
        "username": "nounit", "full_name": "ไม่มี สังกัด", "unit_id": "0", "role_unit_officer": "y"})
    html = response.get_data(as_text=True)
    assert "เจ้าหน้าที่กอง/สำนักต้องสังกัดหน่วยงาน" in html
    assert count(User) == before


def test_a_user_needs_at_least_one_role(client, admin):
    before = count(User)
    response = post_form(client, "/admin/users/new", {"username": "norole", "full_name": "ไม่มี บทบาท",
                                                      "unit_id": "0"})
    assert "กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท" in response.get_data(as_text=True)
    assert count(User) == before


def test_bad_username_and_email_get_thai_errors_beside_the_fields(client, admin):
    before = count(User)
    response = post_form(client, "/admin/users/new", {"username": "สมศรี", "full_name": "", "email": "not-mail",
                                                      "unit_id": "0", "role_intake": "y"})
    html = response.get_data(as_text=True)
    assert "ชื่อผู้ใช้ใช้ได้เฉพาะอักษรภาษาอังกฤษ" in html
    assert "กรุณากรอกชื่อ-นามสกุล" in html
    assert "รูปแบบอีเมลไม่ถูกต้อง" in html
    assert count(User) == before


def test_form_errors_are_in_thai_even_for_numbers_and_choices(client, admin):
    before = count(Unit)
    html = post_form(client, "/admin/units/new", {"name": "กองใหม่", "sort_order": "abc"}).get_data(as_text=True)
    assert "กรุณากรอกเป็นตัวเลข" in html and "Not a valid" not in html
    html = post_form(client, "/admin/users/new", {"username": "someone", "full_name": "ใคร สักคน",
                                                  "unit_id": "99999", "role_intake": "y"}).get_data(as_text=True)
    assert "กรุณาเลือกจากรายการ" in html and "Not a valid" not in html
    assert count(Unit) == before


def test_editing_a_user_changes_details_roles_and_unit(client, admin):
    unit = make_unit("กองสาธารณสุขและสิ่งแวดล้อม")
    user = make_user("intake", username="editme")
    response = post_form(client, f"/admin/users/{user.id}", {
        "full_name": "แก้ไข แล้ว", "position": "นักวิชาการสาธารณสุข", "email": "", "unit_id": str(unit.id),
        "role_unit_officer": "y", "role_executive": "y", "active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.full_name == "แก้ไข แล้ว" and user.position == "นักวิชาการสาธารณสุข"
    assert user.roles == {"unit_officer", "executive"} and user.unit_id == unit.id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update",
                                                      AuditEntry.target_id == user.id)) is not None


def test_deactivating_a_user_ends_their_live_session(client, admin, app):
    officer = make_user("intake", username="leaving")
    theirs = app.test_client()
    AuthActions(theirs).login("leaving", PASSWORD)
    assert theirs.get("/staff/").status_code == 200

    _html, token = page(client, "/admin/users")
    response = client.post(f"/admin/users/{officer.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 302

    after = theirs.get("/staff/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/auth/login")
    db.session.expire_all()
    assert db.session.get(User, officer.id).active is False
    assert count_open_sessions(officer.id) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate"))
    assert entry.target_id == officer.id and entry.actor_id == admin.id


def count_open_sessions(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(StaffSession).where(
        StaffSession.user_id == user_id, StaffSession.ended_at.is_(None)))


def test_a_reactivated_user_can_sign_in_again(client, admin, app):
    officer = make_user("intake", username="back", active=False)
    _html, token = page(client, "/admin/users")
    client.post(f"/admin/users/{officer.id}/reactivate", data={"csrf_token": token})
    assert AuthActions(app.test_client()).login("back", PASSWORD).headers["Location"] == "/staff/"


def test_password_reset_shows_a_new_password_once_and_the_old_one_stops_working(client, admin, app):
    officer = make_user("intake", username="forgetful")
    theirs = app.test_client()
    AuthActions(theirs).login("forgetful", PASSWORD)
    _html, token = page(client, f"/admin/users/{officer.id}")
    response = client.post(f"/admin/users/{officer.id}/password", data={"csrf_token": token})
    password = one_time_password(response.get_data(as_text=True))

    assert theirs.get("/staff/").headers["Location"].startswith("/auth/login")  # signed out everywhere
    assert AuthActions(app.test_client()).login("forgetful", PASSWORD).status_code == 200  # refused
    fresh = app.test_client()
    assert AuthActions(fresh).login("forgetful", password).headers["Location"] == "/auth/password"


def test_the_only_admin_cannot_deactivate_themselves_or_drop_the_admin_role(client, admin):
    _html, token = page(client, "/admin/users")
    response = client.post(f"/admin/users/{admin.id}/deactivate", data={"csrf_token": token},
                           follow_redirects=True)
    assert "ต้องมีผู้ดูแลระบบที่ใช้งานได้อยู่อย่างน้อยหนึ่งคน" in response.get_data(as_text=True)

    response = post_form(client, f"/admin/users/{admin.id}", {
        "full_name": "ผู้ดูแล", "unit_id": "0", "role_intake": "y", "active": "y"})
    assert response.status_code == 200
    assert "ต้องมีผู้ดูแลระบบที่ใช้งานได้อยู่อย่างน้อยหนึ่งคน" in response.get_data(as_text=True)
    db.session.expire_all()
    me = db.session.get(User, admin.id)
    assert me.active and me.roles == {"admin"}


def test_an_admin_cannot_remove_their_own_admin_role_even_with_another_admin(client, admin):
    make_user("admin", username="deputy")
    response = post_form(client, f"/admin/users/{admin.id}", {
        "full_name": "ผู้ดูแล", "unit_id": "0", "role_intake": "y", "active": "y"})
    assert "ท่านไม่สามารถถอนบทบาทผู้ดูแลระบบของตนเองได้" in response.get_data(as_text=True)
    _html, token = page(client, "/admin/users")
    response = client.post(f"/admin/users/{admin.id}/deactivate", data={"csrf_token": token},
                           follow_redirects=True)
    assert "ท่านไม่สามารถปิดการใช้งานบัญชีของตนเองได้" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).roles == {"admin"}


def test_an_admin_may_deactivate_another_admin_while_one_remains(client, admin):
    deputy = make_user("admin", username="deputy")
    _html, token = page(client, "/admin/users")
    client.post(f"/admin/users/{deputy.id}/deactivate", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, deputy.id).active is False


def test_the_last_active_admin_cannot_be_deactivated_even_by_the_system(app):
    last = make_user("admin", username="lastone")
    with pytest.raises(admin_service.AdminError):
        admin_service.set_user_active(last, False, actor=None, now=utcnow())
    assert last.active is True


# --- units -------------------------------------------------------------------------------------------------


def test_admin_creates_renames_reorders_and_retires_a_unit(client, admin):
    response = post_form(client, "/admin/units/new", {"name": "  กองช่าง  ", "sort_order": "3"})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.name == "กองช่าง"))
    assert unit.sort_order == 3 and unit.active

    post_form(client, f"/admin/units/{unit.id}", {"name": "กองช่างโยธา", "sort_order": "1"})
    db.session.expire_all()
    assert (unit.name, unit.sort_order) == ("กองช่างโยธา", 1)

    _html, token = page(client, "/admin/units")
    client.post(f"/admin/units/{unit.id}/deactivate", data={"csrf_token": token})
    db.session.expire_all()
    assert unit.active is False
    assert "กองช่างโยธา" in client.get("/admin/units").get_data(as_text=True)  # history kept
    client.post(f"/admin/units/{unit.id}/reactivate", data={"csrf_token": token})
    db.session.expire_all()
    assert unit.active is True
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "unit")))
    assert actions == {"unit.create", "unit.update", "unit.deactivate", "unit.reactivate"}


def test_duplicate_unit_name_is_refused_in_thai_and_changes_nothing(client, admin):
    make_unit("กองคลัง")
    other = make_unit("กองช่าง")
    db.session.commit()
    before = count(Unit)
    response = post_form(client, "/admin/units/new", {"name": "กองคลัง", "sort_order": "0"})
    assert "มีหน่วยงานชื่อนี้อยู่แล้ว" in response.get_data(as_text=True)
    response = post_form(client, f"/admin/units/{other.id}", {"name": "กองคลัง", "sort_order": "0"})
    assert "มีหน่วยงานชื่อนี้อยู่แล้ว" in response.get_data(as_text=True)
    assert count(Unit) == before
    assert db.session.get(Unit, other.id).name == "กองช่าง"


# --- categories --------------------------------------------------------------------------------------------


def test_admin_creates_and_edits_a_category(client, admin):
    unit = make_unit("กองช่าง")
    db.session.commit()
    response = post_form(client, "/admin/categories/new", {
        "code": "street_light", "name": "ไฟฟ้าสาธารณะ", "channel": "general", "default_unit_id": str(unit.id),
        "sort_order": "2", "active": "y"})
    assert response.status_code == 302
    category = db.session.scalar(select(Category).where(Category.code == "street_light"))
    assert category.default_unit_id == unit.id and category.active

    post_form(client, f"/admin/categories/{category.id}", {
        "code": "light", "name": "ไฟฟ้าส่องสว่าง", "channel": "both", "default_unit_id": "0", "sort_order": "5"})
    db.session.expire_all()
    assert (category.code, category.name, category.channel) == ("light", "ไฟฟ้าส่องสว่าง", "both")
    assert category.default_unit_id is None and category.active is False and category.sort_order == 5
    html = client.get("/admin/categories").get_data(as_text=True)
    assert "ทั้งสองช่องทาง" in html


def test_duplicate_or_malformed_category_code_is_refused_in_thai_and_changes_nothing(client, admin):
    db.session.add(Category(code="road", name="ถนน", channel="general", sort_order=0))
    db.session.commit()
    before = count(Category)
    base = {"name": "ถนนซ้ำ", "channel": "general", "default_unit_id": "0", "sort_order": "0", "active": "y"}
    response = post_form(client, "/admin/categories/new", {**base, "code": "road"})
    assert "รหัสประเภทเรื่องนี้มีอยู่แล้ว" in response.get_data(as_text=True)
    response = post_form(client, "/admin/categories/new", {**base, "code": "Road Works"})
    assert "รหัสต้องเป็นอักษรภาษาอังกฤษตัวเล็ก" in response.get_data(as_text=True)
    assert count(Category) == before


# --- organisation profile and logo ---------------------------------------------------------------------------


def _org_form(**extra) -> dict:
    return {"name": "องค์การบริหารส่วนตำบลบ้านโป่ง", "short_name": "อบต.บ้านโป่ง", "org_type": "sao",
            "address": "หมู่ 1 ตำบลบ้านโป่ง", "phone": "032 000 000", "email": "saraban@banpong.go.th",
            "website": "https://www.banpong.go.th", **extra}


def test_organisation_profile_is_created_when_missing_and_saved(client, admin):
    assert count(Organisation) == 0
    response = post_form(client, "/admin/organisation", _org_form(org_type="town_municipality"))
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation))
    assert org.short_name == "อบต.บ้านโป่ง" and org.org_type == "town_municipality"
    assert org.website == "https://www.banpong.go.th"
    assert "เทศบาลเมือง" in client.get("/admin/organisation").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_type == "organisation")) == "org.update"


def test_png_logo_with_exif_is_accepted_shrunk_and_served_as_clean_png(client, admin, app):
    upload = png_bytes(size=(1200, 900), exif_text="SecretCamera")
    assert b"SecretCamera" in upload
    response = post_form(client, "/admin/organisation",
                         _org_form(logo=(io.BytesIO(upload), "logo.png")), content_type="multipart/form-data")
    assert response.status_code == 302

    served = app.test_client().get("/admin/logo")  # anyone may fetch it
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert "max-age" in served.headers["Cache-Control"] and "public" in served.headers["Cache-Control"]
    data = served.get_data()
    assert b"SecretCamera" not in data and b"eXIf" not in data
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and max(img.size) == 512
    assert not img.getexif() and "exif" not in img.info

    html = client.get("/admin/").get_data(as_text=True)
    assert 'src="/admin/logo?v=' in html  # shown on admin pages with a versioned, cacheable URL
    versioned = re.search(r'src="(/admin/logo\?v=\d+)"', html).group(1)
    assert "immutable" in app.test_client().get(versioned).headers["Cache-Control"]


def test_jpeg_logo_is_accepted_and_stored_as_png(client, admin, app):
    upload = png_bytes(size=(300, 200), exif_text="GPSPhone", fmt="JPEG")
    post_form(client, "/admin/organisation", _org_form(logo=(io.BytesIO(upload), "logo.jpg")),
              content_type="multipart/form-data")
    served = app.test_client().get("/admin/logo")
    assert served.mimetype == "image/png" and b"GPSPhone" not in served.get_data()
    assert Image.open(io.BytesIO(served.get_data())).size == (300, 200)


def test_text_file_renamed_png_is_refused_and_changes_nothing(client, admin):
    response = post_form(client, "/admin/organisation",
                         _org_form(logo=(io.BytesIO(b"this is not an image\n" * 20), "logo.png")),
                         content_type="multipart/form-data")
    assert response.status_code == 200
    assert "โลโก้ต้องเป็นไฟล์ภาพ PNG หรือ JPEG เท่านั้น" in response.get_data(as_text=True)
    assert count(Organisation) == 0
    assert client.get("/admin/logo").status_code == 404


def test_logo_over_one_megabyte_is_refused(client, admin):
    big = png_bytes(size=(10, 10)) + b"\0" * (1024 * 1024)
    response = post_form(client, "/admin/organisation", _org_form(logo=(io.BytesIO(big), "logo.png")),
                         content_type="multipart/form-data")
    assert "ไม่เกิน 1 MB" in response.get_data(as_text=True)
    assert count(Organisation) == 0


def test_logo_is_404_when_none_is_set(client):
    assert client.get("/admin/logo").status_code == 404


# --- audit log ---------------------------------------------------------------------------------------------


def test_audit_log_shows_newest_first_50_a_page_with_actor_names(client, admin):
    from datetime import timedelta

    start = utcnow() - timedelta(days=1)
    for i in range(60):
        audit.record("unit.update", actor=admin, now=start + timedelta(minutes=i), target_type="unit", target_id=i)
    db.session.commit()
    html = client.get("/admin/audit?action=unit").get_data(as_text=True)
    assert html.count("<code>unit.update</code>") == 50
    assert "หน่วยงาน #59" in html and "หน่วยงาน #10" in html and "หน่วยงาน #9<" not in html
    assert html.index("หน่วยงาน #59") < html.index("หน่วยงาน #58")
    assert "ทดสอบ ระบบ" in html  # the actor's name
    assert str(start.year + 543) in html
    second = client.get("/admin/audit?action=unit&page=2").get_data(as_text=True)
    assert second.count("<code>unit.update</code>") == 10 and "หน่วยงาน #0<" in second


def test_audit_log_filters_by_action_prefix(client, admin):
    post_form(client, "/admin/units/new", {"name": "กองใหม่", "sort_order": "0"})
    html = client.get("/admin/audit?action=unit").get_data(as_text=True)
    assert "unit.create" in html and "auth.login" not in html
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "unit.create" in everything and "auth.login" in everything
