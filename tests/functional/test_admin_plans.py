"""The admin's plan screens: list, create, load a shipped plan, upload, export, activate, edit measures."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.documents import plan_export
from app.extensions import db
from app.models import Category, Measure, Plan, Unit
from app.models.base import utcnow
from app.models.people import ROLES
from app.services import plans
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_plan, make_user, plan_csv, seed_categories

HEADER = ["มิติ", "ภารกิจ", "ลำดับ", "รหัสมาตรการ", "โครงการ/กิจกรรม/มาตรการ"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def token(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return csrf_from(response.get_data(as_text=True))


@pytest.fixture
def admin(app, auth):
    """A signed-in administrator, with the standard units and categories."""
    seed_categories()
    user = make_user("admin", username="boss")
    assert auth.login("boss", PASSWORD).status_code == 302
    return user


@pytest.fixture
def banpong(app):
    plan = plans.load_shipped("banpong_2566_2570", now=utcnow())
    db.session.commit()
    return plan


def urls(plan: Plan) -> tuple[list[str], list[str]]:
    measure = plan.measures[0].id
    get = ["/admin/plans", "/admin/plans/new", f"/admin/plans/{plan.id}", f"/admin/plans/{plan.id}/edit",
           f"/admin/plans/{plan.id}/export.csv", f"/admin/plans/{plan.id}/export.xlsx",
           f"/admin/plans/{plan.id}/delete", f"/admin/plans/{plan.id}/measures/new",
           f"/admin/plans/{plan.id}/measures/{measure}", f"/admin/plans/{plan.id}/measures/{measure}/delete"]
    post = ["/admin/plans/new", f"/admin/plans/{plan.id}/edit", "/admin/plans/shipped/takbai_2566_2570",
            f"/admin/plans/{plan.id}/import", f"/admin/plans/{plan.id}/activate", f"/admin/plans/{plan.id}/delete",
            f"/admin/plans/{plan.id}/measures/new", f"/admin/plans/{plan.id}/measures/{measure}",
            f"/admin/plans/{plan.id}/measures/{measure}/delete"]
    return get, post


# ---------------------------------------------------------------- access


def test_every_plan_screen_opens_for_the_admin(client, admin, banpong):
    get, _post = urls(banpong)
    for url in get:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_other_roles_get_403_on_every_plan_url_and_change_nothing(client, auth, banpong, role):
    make_user(role, username=f"r_{role}")
    auth.login(f"r_{role}", PASSWORD)
    csrf = csrf_from(client.get("/staff/").get_data(as_text=True))
    get, post = urls(banpong)
    for url in get:
        assert client.get(url).status_code == 403, url
    for url in post:
        assert client.post(url, data={"csrf_token": csrf, "title": "x"}).status_code == 403, url
    assert count(Plan) == 1 and len(plans.get_plan(banpong.id).measures) == 17


def test_anonymous_visitor_is_sent_to_sign_in(client, banpong):
    get, _post = urls(banpong)
    for url in get:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), url


def test_admin_menu_links_to_the_plans(client, admin):
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/plans"' in html and "แผนปฏิบัติการป้องกันการทุจริต" in html


def test_posts_without_csrf_token_are_refused(client, admin, banpong):
    before = plan_export.to_csv(banpong)
    for url in (f"/admin/plans/{banpong.id}/activate", f"/admin/plans/{banpong.id}/delete",
                "/admin/plans/shipped/takbai_2566_2570", f"/admin/plans/{banpong.id}/import"):
        assert client.post(url, data={}).status_code == 400, url
    assert count(Plan) == 1 and plan_export.to_csv(plans.get_plan(banpong.id)) == before
    assert plans.active_plan() is None


# ---------------------------------------------------------------- plans


def test_admin_loads_a_shipped_plan_and_sees_it_grouped_with_codes_kpis_and_links(client, admin):
    html = client.get("/admin/plans").get_data(as_text=True)
    assert "ยังไม่มีแผน" in html and "เทศบาลเมืองตากใบ" in html
    response = client.post("/admin/plans/shipped/banpong_2566_2570",
                           data={"csrf_token": token(client, "/admin/plans"), "activate": "y"})
    assert response.status_code == 303
    plan = db.session.scalar(select(Plan))
    assert plan.active and len(plan.measures) == 17
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "นำเข้าแผน" in page and "17 มาตรการ" in page
    assert page.index("มิติที่ 1") < page.index("มิติที่ 2") < page.index("มิติที่ 3") < page.index("มิติที่ 4")
    assert "4.3 มาตรการจัดการเรื่องร้องเรียนการทุจริต" in page
    assert re.search(r'data-testid="code">4\.3\.1<', page) and "ลำดับที่ 16" in page
    assert "คำนวณจากระบบ: ร้อยละความพึงพอใจของผู้ร้องเรียน ≥ 80" in page
    assert page.count('data-testid="link"') == 3 and "เรื่องร้องเรียนการทุจริต" in page
    assert "สำนักปลัด องค์การบริหารส่วนตำบลบ้านโป่ง" in page
    listing = client.get("/admin/plans").get_data(as_text=True)
    assert 'data-testid="active-badge"' in listing and "ปีงบประมาณ 2566 – 2570 · 17 มาตรการ" in listing


def test_admin_creates_a_plan_with_yearly_targets(client, admin):
    csrf = token(client, "/admin/plans/new")
    data = {"csrf_token": csrf, "title": "แผนปฏิบัติการ 2569-2573", "start_year": "2569", "end_year": "๒๕๗๓",
            "baseline_year": "2568"}
    for i, (year, reduction, ita) in enumerate([(2569, "5", "90"), (2570, "7.5", ""), ("", "", "")]):
        data |= {f"targets-{i}-fiscal_year": str(year), f"targets-{i}-reduction_percent": reduction,
                 f"targets-{i}-ita_score": ita}
    response = client.post("/admin/plans/new", data=data)
    assert response.status_code == 303
    plan = db.session.scalar(select(Plan))
    assert (plan.start_year, plan.end_year, plan.baseline_year) == (2569, 2573, 2568)
    assert [(t.fiscal_year, float(t.reduction_percent), t.ita_score) for t in plan.targets] == [
        (2569, 5.0, 90), (2570, 7.5, None)]
    page = client.get(f"/admin/plans/{plan.id}").get_data(as_text=True)
    assert "แผนนี้ยังไม่มีมาตรการ" in page


@pytest.mark.parametrize("change, message", [
    ({"end_year": "2565"}, "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น"),
    ({"title": ""}, "กรุณากรอกชื่อแผน"),
    ({"start_year": "ปีหน้า"}, "กรุณากรอกเป็นตัวเลข"),
    ({"targets-0-fiscal_year": "2580", "targets-0-reduction_percent": "10"}, "ค่าเป้าหมายปี 2580 อยู่นอกช่วงปีของแผน"),
    ({"targets-0-fiscal_year": "", "targets-0-reduction_percent": "10"}, "กรุณากรอกปีของค่าเป้าหมาย"),
    ({"targets-0-reduction_percent": "120"}, "กรุณากรอกตัวเลข 0 ถึง 100"),
])
def test_a_bad_plan_form_shows_a_thai_error_and_creates_nothing(client, admin, change, message):
    data = {"csrf_token": token(client, "/admin/plans/new"), "title": "แผน", "start_year": "2566",
            "end_year": "2570", "baseline_year": "2565", "targets-0-fiscal_year": "2566",
            "targets-0-reduction_percent": "10", **change}
    response = client.post("/admin/plans/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Plan) == 0


def test_admin_edits_a_plan_and_its_targets(client, admin, banpong):
    url = f"/admin/plans/{banpong.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'value="30"' in html and 'value="2568"' in html
    data = {"csrf_token": csrf_from(html), "title": "แผนใหม่", "start_year": "2566", "end_year": "2570",
            "baseline_year": "2565", "targets-0-fiscal_year": "2568", "targets-0-reduction_percent": "35",
            "targets-0-ita_score": "80"}
    assert client.post(url, data=data).status_code == 303
    plan = plans.get_plan(banpong.id)
    assert plan.title == "แผนใหม่" and [(t.fiscal_year, t.reduction_percent) for t in plan.targets] == [(2568, 35)]


def test_activating_a_plan_leaves_exactly_one_active(client, admin, banpong):
    other = make_plan("แผนอื่น")
    plans.activate(other, now=utcnow())
    db.session.commit()
    page = f"/admin/plans/{banpong.id}"
    assert "ตั้งเป็นแผนปัจจุบัน" in client.get(page).get_data(as_text=True)
    assert client.post(f"{page}/activate", data={"csrf_token": token(client, page)}).status_code == 303
    assert plans.active_plan().id == banpong.id
    assert count(Plan) == 2 and db.session.scalar(select(func.count(Plan.id)).where(Plan.active.is_(True))) == 1


def test_deleting_a_plan_asks_first(client, admin, banpong):
    url = f"/admin/plans/{banpong.id}/delete"
    html = client.get(url).get_data(as_text=True)
    assert "ยืนยันการลบ" in html and "17 รายการ" in html and count(Plan) == 1
    assert client.post(url, data={"csrf_token": csrf_from(html)}).status_code == 303
    assert count(Plan) == 0 and count(Measure) == 0
    assert client.get(f"/admin/plans/{banpong.id}").status_code == 404


# ---------------------------------------------------------------- import and export


def upload(client, plan: Plan, data: bytes, filename: str, default_links: bool = True):
    form = {"csrf_token": token(client, f"/admin/plans/{plan.id}"), "file": (io.BytesIO(data), filename)}
    if default_links:
        form["default_links"] = "y"
    return client.post(f"/admin/plans/{plan.id}/import", data=form, content_type="multipart/form-data")


def test_upload_replaces_the_measures_and_suggests_links_the_admin_sees(client, admin):
    plan = make_plan("แผนว่าง")
    db.session.commit()
    rows = [HEADER, ["3", "3.2", "1", "3.2.1", "ร้องเรียนทั่วไป"], ["4", "4.3", "2", "4.3.2", "ช่องทางทุจริต"]]
    response = upload(client, plan, plan_csv(rows), "แผน.csv")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "นำเข้าแล้ว 2 มาตรการ" in page
    assert ("เชื่อมโยงเรื่องร้องเรียนให้อัตโนมัติตามรหัสมาตรการ: "
            "ลำดับ 1 (เรื่องร้องเรียนทั่วไป), 2 (เรื่องร้องเรียนการทุจริต)") in page
    assert page.count('data-testid="link"') == 2
    response = upload(client, plan, plan_csv(rows[:2]), "แผน.csv", default_links=False)
    assert response.status_code == 303
    measures = plans.get_plan(plan.id).measures
    assert [(m.running_no, m.links) for m in measures] == [(1, [])]


def test_a_bad_upload_lists_every_error_with_row_numbers_and_changes_nothing(client, admin, banpong):
    before = plan_export.to_csv(banpong)
    rows = [HEADER + ["สี"], ["3", "3.2", "1", "3.2.1", "ก", ""]]
    response = upload(client, banpong, plan_csv(rows), "p.csv")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "นำเข้าไม่ได้ ยังไม่มีการเปลี่ยนแปลงใด ๆ" in html and "แถวที่ 1: ไม่รู้จักคอลัมน์ “สี”" in html
    rows = [HEADER, ["3", "3.2", "1", "3.2.1", ""], ["x", "3.2", "1", "3.2.1", "ข"]]
    html = upload(client, banpong, plan_csv(rows), "p.csv").get_data(as_text=True)
    assert "แถวที่ 2: ไม่ได้กรอกชื่อโครงการ/กิจกรรม/มาตรการ" in html and "แถวที่ 3: มิติต้องเป็นจำนวนเต็ม" in html
    html = upload(client, banpong, b"%PDF-1.4", "plan.pdf").get_data(as_text=True)
    assert "รองรับเฉพาะไฟล์ CSV (UTF-8) หรือ XLSX" in html
    html = upload(client, banpong, b"a" * (2 * 1024 * 1024 + 10), "big.csv").get_data(as_text=True)
    assert "ไฟล์มีขนาดเกิน 2 MB" in html
    no_file = client.post(f"/admin/plans/{banpong.id}/import",
                          data={"csrf_token": token(client, f"/admin/plans/{banpong.id}")})
    assert no_file.status_code == 400 and "กรุณาเลือกไฟล์" in no_file.get_data(as_text=True)
    assert plan_export.to_csv(plans.get_plan(banpong.id)) == before


def test_exported_files_download_and_import_back(client, admin, banpong):
    csv_response = client.get(f"/admin/plans/{banpong.id}/export.csv")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    assert f'filename="plan-{banpong.id}-2566-2570.csv"' in csv_response.headers["Content-Disposition"]
    assert csv_response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert len(rows) == 18 and rows[16][4] == "16" and rows[16][5] == "4.3.1"
    xlsx = client.get(f"/admin/plans/{banpong.id}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert sheet.max_row == 18 and sheet.cell(row=1, column=1).value == "มิติ"
    copy = make_plan("สำเนา")
    db.session.commit()
    assert upload(client, copy, xlsx.data, "copy.xlsx").status_code == 303
    assert plan_export.to_csv(plans.get_plan(copy.id)) == csv_response.data
    assert client.get(f"/admin/plans/{banpong.id}/export.pdf").status_code == 404


# ---------------------------------------------------------------- measures


def measure_form(html: str) -> dict:
    """The form's current values as a browser would post them (text, textareas, selects, ticked boxes)."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="checkbox"' in tag:
            data.pop(name.group(1), None)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', html, re.S):
        data[name] = value.strip()
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        data[name] = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
    return data


def test_admin_edits_every_field_of_a_measure(client, admin, banpong):
    measure = next(m for m in banpong.measures if m.running_no == 16)
    url = f"/admin/plans/{banpong.id}/measures/{measure.id}"
    html = client.get(url).get_data(as_text=True)
    assert "4.3.1" in html and 'name="budget_2566"' in html and 'name="budget_2570"' in html
    form = measure_form(html)
    road = db.session.scalar(select(Category).where(Category.code == "road"))
    unit = db.session.scalar(select(Unit).where(Unit.name == "งานนิติการ"))
    form |= {"codes": "4.3.1, 4.3.2", "responsible": "งานนิติการ สำนักปลัด", "unit_id": str(unit.id),
             "budget_2566": "20,000", "budget_2567": "-", "budget_2568": "",
             "kpis-2-label": "", "kpis-2-metric": "on_time_rate", "kpis-2-target": "90",
             "kpis-0-target": "12", "link_general": "y", "category_ids": str(road.id)}
    form.pop("link_corruption", None)  # untick
    response = client.post(url, data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    measure = plans.get_measure(plans.get_plan(banpong.id), measure.id)
    assert measure.code_text == "4.3.1, 4.3.2" and measure.unit_id == unit.id
    assert {b.fiscal_year: b.amount for b in measure.budgets} == {2566: 20000}
    assert [(k.metric, k.target) for k in measure.kpis] == [("received_count", 12), ("reduction_vs_baseline", None),
                                                            ("on_time_rate", 90)]
    assert measure.kpis[2].label == "ร้อยละของเรื่องที่ดำเนินการแล้วเสร็จภายในกำหนด"
    assert sorted((l.channel or "", l.category_id or 0) for l in measure.links) == [("", road.id), ("general", 0)]


@pytest.mark.parametrize("change, message", [
    ({"kpis-0-metric": "satisfaction_rate", "kpis-0-target": "150"},
     "ค่าเป้าหมายต้องเป็นตัวเลข 0 ขึ้นไป (ร้อยละไม่เกิน 100)"),
    ({"kpis-0-target": "-3"}, "ค่าเป้าหมายต้องเป็นตัวเลข 0 ขึ้นไป (ร้อยละไม่เกิน 100)"),
    ({"kpis-0-metric": "happiness"}, "กรุณาเลือกจากรายการ"),
    ({"budget_2566": "ยี่สิบ"}, "กรุณากรอกจำนวนเงินเป็นตัวเลข"),
    ({"codes": "4.3.1/ก"}, "รหัส “4.3.1/ก” ไม่ถูกต้อง"),
    ({"running_no": "17"}, "ลำดับ 17 มีมาตรการอื่นใช้แล้ว"),
    ({"title": ""}, "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"),
    ({"mission": "4.1", "dimension": "3"}, "ภารกิจ 4.1 อยู่ในมิติ 4"),
    ({"kpis-1-label": "ข้อความ {x}"}, "ข้อความตัวชี้วัดต้องไม่มีวงเล็บปีกกา"),
])
def test_a_bad_measure_form_shows_a_thai_error_and_changes_nothing(client, admin, banpong, change, message):
    measure = next(m for m in banpong.measures if m.running_no == 16)
    url = f"/admin/plans/{banpong.id}/measures/{measure.id}"
    before = plan_export.to_csv(banpong)
    form = measure_form(client.get(url).get_data(as_text=True)) | change
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert plan_export.to_csv(plans.get_plan(banpong.id)) == before


def test_admin_adds_a_measure_in_a_new_mission_and_deletes_it(client, admin, banpong):
    url = f"/admin/plans/{banpong.id}/measures/new"
    form = measure_form(client.get(url).get_data(as_text=True))
    assert form["running_no"] == "18"
    form |= {"title": "มาตรการใหม่", "dimension": "4", "mission": "4.4", "mission_title": "ภารกิจทดลอง",
             "codes": "4.4.1", "kpis-0-label": "มีรายงาน", "budget_2569": "5000"}
    assert client.post(url, data=form).status_code == 303
    plan = plans.get_plan(banpong.id)
    new = next(m for m in plan.measures if m.running_no == 18)
    assert new.mission.code == "4.4" and new.mission.title == "ภารกิจทดลอง" and new.kpis[0].label == "มีรายงาน"
    assert "4.4 ภารกิจทดลอง" in client.get(f"/admin/plans/{banpong.id}").get_data(as_text=True)
    delete = f"/admin/plans/{banpong.id}/measures/{new.id}/delete"
    html = client.get(delete).get_data(as_text=True)
    assert "ลบมาตรการลำดับที่ 18" in html
    assert client.post(delete, data={"csrf_token": csrf_from(html)}).status_code == 303
    plan = plans.get_plan(banpong.id)
    assert len(plan.measures) == 17 and "4.4" not in {m.code for m in plan.missions}


def test_a_measure_of_another_plan_is_not_found(client, admin, banpong):
    other = make_plan("อื่น")
    db.session.commit()
    measure = banpong.measures[0].id
    assert client.get(f"/admin/plans/{other.id}/measures/{measure}").status_code == 404
    assert client.get("/admin/plans/999999").status_code == 404


# ---------------------------------------------------------------- seed-demo


def test_seed_demo_loads_the_ban_pong_plan_once_and_makes_it_active(runner):
    assert "admin" in runner.invoke(args=["seed-demo"]).output
    runner.invoke(args=["seed-demo"])
    assert count(Plan) == 1
    plan = plans.active_plan()
    assert plan is not None and len(plan.measures) == 17 and plan.title.startswith("แผนปฏิบัติการป้องกันการทุจริต")


def test_plans_cli_loads_a_shipped_plan_and_imports_a_file(runner, tmp_path):
    result = runner.invoke(args=["plans", "load-shipped", "takbai_2566_2570", "--activate"])
    assert result.exit_code == 0 and "49 measures" in result.output and "[active]" in result.output
    plan = plans.active_plan()
    path = tmp_path / "p.csv"
    path.write_bytes(plan_csv([HEADER, ["4", "4.3", "1", "4.3.1", "เหลือมาตรการเดียว"]]))
    result = runner.invoke(args=["plans", "import", str(path), "--plan", str(plan.id)])
    assert result.exit_code == 0 and "deleted 48" in result.output
    path.write_bytes(plan_csv([HEADER, ["4", "4.3", "1", "4.3.1", ""]]))
    result = runner.invoke(args=["plans", "import", str(path), "--plan", str(plan.id)])
    assert result.exit_code != 0 and "แถวที่ 2" in result.output
    assert runner.invoke(args=["plans", "load-shipped", "nope"]).exit_code != 0
