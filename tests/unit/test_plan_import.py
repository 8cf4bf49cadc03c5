"""Plan measures as data: the shipped plans, the import format, its validation, export and round trips."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.documents import plan_export
from app.extensions import db
from app.models import AuditEntry, Category, Measure, MeasureResult, Plan, Unit
from app.models.base import utcnow
from app.services import plan_import, plans
from app.services.plans import MeasureInput, PlanError, PlanImportError, TargetInput
from tests.factories import make_plan, plan_csv, seed_categories

YEARS = [2566, 2567, 2568, 2569, 2570]
HEADER = ["มิติ", "ชื่อมิติ", "ภารกิจ", "ชื่อภารกิจ", "ลำดับ", "รหัสมาตรการ", "โครงการ/กิจกรรม/มาตรการ", "ผู้รับผิดชอบ",
          "งบประมาณ 2566", "ตัวชี้วัด", "เชื่อมโยงเรื่องร้องเรียน"]


def row(no=1, dim="3", mission="3.2", codes="3.2.1", title="มาตรการจัดการเรื่องร้องเรียน", responsible="สำนักปลัด",
        budget="-", kpis="", links="") -> list[str]:
    return [dim, "", mission, "", str(no), codes, title, responsible, budget, kpis, links]


def by_no(plan: Plan) -> dict[int, Measure]:
    return {m.running_no: m for m in plan.measures}


def metrics(measure: Measure) -> dict[str, Decimal | None]:
    return {k.metric: k.target for k in measure.kpis if k.metric}


def channels(measure: Measure) -> list[str]:
    return sorted(link.channel for link in measure.links if link.channel)


def budget_totals(plan: Plan) -> dict[int, Decimal]:
    totals = {y: Decimal(0) for y in YEARS}
    for measure in plan.measures:
        for budget in measure.budgets:
            totals[budget.fiscal_year] += budget.amount or 0
    return totals


@pytest.fixture
def banpong(app):
    seed_categories()
    plan = plans.load_shipped("banpong_2566_2570", now=utcnow())
    db.session.commit()
    return plan


@pytest.fixture
def takbai(app):
    seed_categories()
    plan = plans.load_shipped("takbai_2566_2570", now=utcnow())
    db.session.commit()
    return plan


# ---------------------------------------------------------------- the shipped plans


def test_shipped_plans_are_listed_with_their_sidecar_titles():
    keys = {s.key: s for s in plans.SHIPPED}
    assert set(keys) == {"banpong_2566_2570", "takbai_2566_2570"}
    for shipped in keys.values():
        meta = json.loads((plans.PLANS_DIR / f"{shipped.key}.json").read_text(encoding="utf-8"))
        assert shipped.title == meta["title"]
        assert (meta["start_year"], meta["end_year"], meta["baseline_year"]) == (2566, 2570, 2565)


def test_ban_pong_has_17_measures_numbered_1_to_17_in_four_dimensions(banpong):
    assert [m.running_no for m in banpong.measures] == list(range(1, 18))
    assert [d.number for d in banpong.dimensions] == [1, 2, 3, 4]
    assert banpong.dimensions[3].title == "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น"
    assert sorted(m.code for m in banpong.missions) == ["1.1", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3"]
    measures = by_no(banpong)
    # Part 2's numbering and titles; codes from the Part 3 sheet each measure sits under.
    assert measures[13].title == "มาตรการจัดการเรื่องราวร้องทุกข์/ร้องเรียนขององค์การบริหารส่วนตำบลบ้านโป่ง"
    assert [c.code for c in measures[13].codes] == ["3.2.1"]
    assert measures[13].mission.code == "3.2" and measures[13].mission.dimension.number == 3
    assert [c.code for c in measures[16].codes] == ["4.3.1"]
    assert [c.code for c in measures[17].codes] == ["4.3.2"]
    assert measures[8].title == "มาตรการ NO Gift Policy" and measures[8].code_text == "2.2.2"
    assert measures[9].code_text == "2.2.2"  # the second sheet numbered "ลำดับที่ 8"
    assert measures[4].code_text == "1.1.2"
    # Part 2 still says "ระบุชื่อองค์กรปกครองส่วนท้องถิ่น" here: the organisation's name is put in and noted.
    assert measures[6].title.endswith("ขององค์การบริหารส่วนตำบลบ้านโป่ง") and "แม่แบบ" in measures[6].note
    assert "ระบุชื่อ" not in measures[16].title


def test_ban_pong_measure_without_a_detail_sheet_gets_a_fitting_code_and_says_so(banpong):
    third = by_no(banpong)[3]
    assert third.title.startswith("โครงการฝึกอบรมการส่งเสริมคุณธรรมจริยธรรมบุคลากร")
    assert third.code_text == "1.1.2" and third.mission.code == "1.1"
    assert "ไม่มีรายละเอียดโครงการในส่วนที่ 3" in third.note


def test_ban_pong_budgets_targets_and_details(banpong):
    twelve = by_no(banpong)[12]
    assert {b.fiscal_year: b.amount for b in twelve.budgets} == {y: Decimal(20000) for y in YEARS}
    assert budget_totals(banpong) == {y: Decimal(20000) for y in YEARS}  # รวมทั้งสิ้น 20,000 every year
    assert by_no(banpong)[1].budgets == []  # "-": no budget line
    targets = {t.fiscal_year: (t.reduction_percent, t.ita_score) for t in banpong.targets}
    assert targets[2568] == (Decimal(30), Decimal(75))
    assert targets == {2566: (10, 65), 2567: (20, 70), 2568: (30, 75), 2569: (40, 80), 2570: (50, 85)}
    assert banpong.baseline_year == 2565
    first = by_no(banpong)[1]
    assert first.responsible == "สำนักปลัด องค์การบริหารส่วนตำบลบ้านโป่ง"
    assert first.unit is not None and first.unit.name == "สำนักปลัด"  # matched to the organisation's unit
    assert first.due_text == "ปีงบประมาณ พ.ศ. 2566 - 2570"
    assert first.steps.splitlines()[0] == "1) จัดทำโครงการ/แผนงานและขออนุมัติดำเนินโครงการ/แผน ต่อผู้บริหาร"


def test_ban_pong_complaint_measures_carry_computed_kpis_and_links(banpong):
    measures = by_no(banpong)
    assert metrics(measures[13]) == {"on_time_rate": 100, "satisfaction_rate": 80, "received_count": None}
    assert channels(measures[13]) == ["general"]
    assert "ไม่ต่ำกว่าร้อยละ 80" in next(k.label for k in measures[13].kpis if k.metric == "satisfaction_rate")
    assert metrics(measures[16]) == {"received_count": None, "reduction_vs_baseline": None}
    assert metrics(measures[17]) == {"received_count": None, "reduction_vs_baseline": None, "on_time_rate": 100}
    assert channels(measures[16]) == channels(measures[17]) == ["corruption"]
    assert "จำนวนข้อร้องเรียน" in measures[16].kpis[0].label
    others = [m for no, m in measures.items() if no not in (13, 16, 17)]
    assert all(not m.links and not metrics(m) for m in others)
    # Free-text KPIs come from each sheet's ผลลัพธ์.
    assert [k.label for k in measures[14].kpis][2] == "การทุจริตองค์การบริหารส่วนตำบลบ้านโป่งลดลงร้อยละ 5"


def test_tak_bai_has_49_measures_and_its_own_codes(takbai):
    measures = by_no(takbai)
    assert list(measures) == list(range(1, 50))
    assert [(d.number, sum(1 for m in takbai.measures if m.mission.dimension_id == d.id)) for d in takbai.dimensions] \
        == [(1, 13), (2, 24), (3, 6), (4, 6)]
    assert [c.code for c in measures[42].codes] == ["3.2.1", "3.2.2", "3.2.3"]  # one sheet under three headings
    assert measures[47].code_text == "4.2.1, 4.2.2"
    assert measures[48].code_text == "4.3.1" and measures[49].code_text == "4.3.2"
    assert measures[45].code_text == "4.1.2"  # Tak Bai's internal control is 4.1.2, Ban Pong's 4.1.1
    assert measures[42].title == "มาตรการจัดการเรื่องราวร้องทุกข์/ร้องเรียนของเทศบาลเมืองตากใบ"
    assert metrics(measures[42]) == {"on_time_rate": 100, "satisfaction_rate": 80, "received_count": None}
    assert channels(measures[42]) == ["general"]
    assert metrics(measures[48]) == {"received_count": None, "reduction_vs_baseline": None}
    assert metrics(measures[49]) == {"received_count": None, "reduction_vs_baseline": None, "on_time_rate": 100}
    assert channels(measures[48]) == channels(measures[49]) == ["corruption"]
    assert sum(1 for m in takbai.measures if m.links) == 3


def test_tak_bai_budgets_match_the_plans_grand_totals(takbai):
    assert budget_totals(takbai) == {2566: 360000, 2567: 460000, 2568: 470000, 2569: 490000, 2570: 490000}
    thirty_eight = {b.fiscal_year: b.amount for b in by_no(takbai)[38].budgets}
    assert thirty_eight == {2567: 70000, 2568: 70000, 2569: 70000, 2570: 70000}  # "-" in 2566
    assert {b.fiscal_year: b.amount for b in by_no(takbai)[2].budgets} == {y: 0 for y in YEARS}  # "0" is kept
    targets = {t.fiscal_year: (t.reduction_percent, t.ita_score) for t in takbai.targets}
    assert targets == {2566: (5, 91), 2567: (7, 92), 2568: (8, 93), 2569: (9, 94), 2570: (10, 95)}


@pytest.mark.parametrize("key, count", [("banpong_2566_2570", 17), ("takbai_2566_2570", 49)])
def test_every_shipped_measure_has_a_title_dimension_mission_and_codes(app, key, count):
    plan = plans.load_shipped(key, now=utcnow())
    assert len(plan.measures) == count
    for measure in plan.measures:
        assert measure.title and measure.codes, measure.running_no
        assert 1 <= measure.mission.dimension.number <= 4
        assert measure.mission.code.startswith(f"{measure.mission.dimension.number}.")
        assert all(c.code.startswith(measure.mission.code + ".") for c in measure.codes)


def test_loading_the_same_shipped_plan_twice_is_refused(banpong):
    with pytest.raises(PlanError):
        plans.load_shipped("banpong_2566_2570", now=utcnow())
    db.session.rollback()
    assert db.session.scalar(select(func.count(Plan.id))) == 1


# ---------------------------------------------------------------- the format


def test_english_headers_in_any_case_are_accepted(app):
    plan = make_plan()
    data = plan_csv([["Dimension", "MISSION", "Running_No", "Title", "Codes", "Budget_2567", "KPIs", "Links"],
                     ["4", "4.3", "1", "ช่องทางร้องเรียนการทุจริต", "4.3.2", "1,500.50", "{received_count}", "corruption"]])
    summary = plans.import_file(plan, "plan.csv", data, default_links=False, now=utcnow())
    assert summary.measures == 1 and summary.created == 1
    measure = plan.measures[0]
    assert measure.code_text == "4.3.2" and measure.mission.code == "4.3" and measure.mission.dimension.number == 4
    assert [(b.fiscal_year, b.amount) for b in measure.budgets] == [(2567, Decimal("1500.50"))]
    assert measure.kpis[0].label == "จำนวนเรื่องที่ได้รับ" and measure.kpis[0].metric == "received_count"
    assert channels(measure) == ["corruption"]


def test_titles_given_once_apply_to_the_whole_dimension_and_mission(app):
    plan = make_plan()
    data = plan_csv([HEADER,
                     ["3", "การส่งเสริมบทบาทของภาคประชาชน", "3.2", "การรับเรื่องร้องเรียน", "1", "3.2.1", "ก", "", "", "", ""],
                     ["3", "", "3.2", "", "2", "3.2.2", "ข", "", "", "", ""],
                     ["3", "", "3.1", "การมีส่วนร่วม", "3", "", "ค", "", "", "", ""]])
    plans.import_file(plan, "p.csv", data, default_links=False, now=utcnow())
    assert [(d.number, d.title) for d in plan.dimensions] == [(3, "การส่งเสริมบทบาทของภาคประชาชน")]
    assert {m.code: m.title for m in plan.missions} == {"3.1": "การมีส่วนร่วม", "3.2": "การรับเรื่องร้องเรียน"}
    assert by_no(plan)[3].codes == []  # a measure may have no code


def test_budget_cells_accept_commas_thai_digits_baht_and_dash(app):
    plan = make_plan()
    header = ["มิติ", "ภารกิจ", "ลำดับ", "โครงการ/กิจกรรม/มาตรการ"] + [f"งบประมาณ {y}" for y in YEARS]
    data = plan_csv([header, ["1", "1.1", "1", "โครงการ", "20,000", "๒๐,๐๐๐", "30,000.- บาท", "-", ""]])
    plans.import_file(plan, "p.csv", data, now=utcnow())
    assert {b.fiscal_year: b.amount for b in plan.measures[0].budgets} == {2566: 20000, 2567: 20000, 2568: 30000}


def test_kpi_lines_are_words_or_end_in_a_machine_part(app):
    plan = make_plan()
    kpis = "ประชาชนพึงพอใจไม่ต่ำกว่าร้อยละ 80 {satisfaction_rate>=80}\n{received_count}\n\nมีคู่มือการร้องเรียน"
    plans.import_file(plan, "p.csv", plan_csv([HEADER, row(kpis=kpis)]), now=utcnow())
    assert [(k.label, k.metric, k.target, k.sort_order) for k in plan.measures[0].kpis] == [
        ("ประชาชนพึงพอใจไม่ต่ำกว่าร้อยละ 80", "satisfaction_rate", Decimal(80), 0),
        ("จำนวนเรื่องที่ได้รับ", "received_count", None, 1),
        ("มีคู่มือการร้องเรียน", None, None, 2)]


def test_links_column_takes_channels_categories_and_thai_words(app):
    seed_categories()
    plan = make_plan()
    data = plan_csv([HEADER, row(1, links="general, ประเภท:road"), row(2, links="เรื่องร้องเรียนการทุจริต; category:Bribery"),
                     row(3, codes="4.3.1", links="")])
    plans.import_file(plan, "p.csv", data, default_links=True, now=utcnow())
    measures = by_no(plan)
    road = db.session.scalar(select(Category).where(Category.code == "road"))
    assert channels(measures[1]) == ["general"] and [l.category_id for l in measures[1].links if l.category_id] == [road.id]
    assert channels(measures[2]) == ["corruption"] and measures[2].links[1].category.code == "bribery"
    # The file has a links column, so an empty cell means "no links", even with default links on.
    assert measures[3].links == []


def test_without_a_links_column_the_default_links_are_suggested(app):
    plan = make_plan()
    header = ["มิติ", "ภารกิจ", "ลำดับ", "รหัสมาตรการ", "โครงการ/กิจกรรม/มาตรการ"]
    rows = [header, ["3", "3.2", "1", "3.2.1, 3.2.2", "ร้องเรียนทั่วไป"], ["4", "4.3", "2", "4.3.1", "จัดการเรื่องทุจริต"],
            ["4", "4.3", "3", "4.3.2", "ช่องทางทุจริต"], ["4", "4.1", "4", "4.1.1", "ควบคุมภายใน"],
            ["4", "4.3", "5", "4.3.10", "อื่น ๆ"]]
    summary = plans.import_file(plan, "p.csv", plan_csv(rows), default_links=True, now=utcnow())
    measures = by_no(plan)
    assert [channels(measures[n]) for n in range(1, 6)] == [["general"], ["corruption"], ["corruption"], [], []]
    assert summary.default_links == [(1, ["general"]), (2, ["corruption"]), (3, ["corruption"])]
    plans.import_file(plan, "p.csv", plan_csv(rows), default_links=False, now=utcnow())
    assert all(not m.links for m in plan.measures)


def test_unit_column_names_a_unit_and_without_it_the_responsible_text_is_matched(app):
    units = seed_categories()
    plan = make_plan()
    header = ["มิติ", "ภารกิจ", "ลำดับ", "โครงการ/กิจกรรม/มาตรการ", "ผู้รับผิดชอบ"]
    plans.import_file(plan, "p.csv", plan_csv([header, ["1", "1.1", "1", "ก", "กองคลัง เทศบาลเมืองตากใบ"],
                                               ["1", "1.1", "2", "ข", "กองคลังจังหวัด"]]), now=utcnow())
    assert by_no(plan)[1].unit_id == units["กองคลัง"].id and by_no(plan)[2].unit_id is None
    plans.import_file(plan, "p.csv", plan_csv([header + ["หน่วยงาน"], ["1", "1.1", "1", "ก", "ใคร ๆ", "กองช่าง"]]),
                      now=utcnow())
    assert plan.measures[0].unit_id == units["กองช่าง"].id


# ---------------------------------------------------------------- validation: everything refused, nothing changed

BAD_FILES = [
    ("unknown column", "p.csv", [HEADER + ["สี"], row()], "แถวที่ 1: ไม่รู้จักคอลัมน์ “สี”"),
    ("missing column", "p.csv", [[h for h in HEADER if h != "ลำดับ"], row()[:4] + row()[5:]],
     "ไม่มีคอลัมน์ “ลำดับ”"),
    ("missing title", "p.csv", [HEADER, row(title="")], "แถวที่ 2: ไม่ได้กรอกชื่อโครงการ/กิจกรรม/มาตรการ"),
    ("dimension not an integer", "p.csv", [HEADER, row(dim="สาม")], "แถวที่ 2: มิติต้องเป็นจำนวนเต็ม"),
    ("running number not an integer", "p.csv", [HEADER, row(no="1ก")], "แถวที่ 2: ลำดับต้องเป็นจำนวนเต็มบวก"),
    ("running number 1.5", "p.csv", [HEADER, row(no="1.5")], "แถวที่ 2: ลำดับต้องเป็นจำนวนเต็มบวก"),
    ("duplicate running number", "p.csv", [HEADER, row(1), row(1, title="อีกมาตรการ")], "แถวที่ 3: ลำดับ 1 ซ้ำกับแถวที่ 2"),
    ("bad mission", "p.csv", [HEADER, row(mission="สาม")], "แถวที่ 2: รหัสภารกิจต้องเป็นตัวเลขคั่นด้วยจุด"),
    ("bad code", "p.csv", [HEADER, row(codes="3.2.1/ก")], "แถวที่ 2: รหัสมาตรการ “3.2.1/ก” ไม่ถูกต้อง"),
    ("mission in two dimensions", "p.csv", [HEADER, row(1), row(2, dim="4")], "แถวที่ 3: ภารกิจ 3.2 อยู่ในมิติ 3"),
    ("unknown category", "p.csv", [HEADER, row(links="ประเภท:nope")], "แถวที่ 2: ไม่พบประเภทเรื่องรหัส “nope”"),
    ("unknown link word", "p.csv", [HEADER, row(links="ทั่วไป")], "แถวที่ 2: ไม่รู้จักการเชื่อมโยง “ทั่วไป”"),
    ("unknown metric", "p.csv", [HEADER, row(kpis="ความสุข {happiness}")], "แถวที่ 2: ไม่รู้จักตัวชี้วัด “happiness”"),
    ("percentage over 100", "p.csv", [HEADER, row(kpis="พอใจ {satisfaction_rate>=120}")],
     "แถวที่ 2: ค่าเป้าหมาย “120” ของตัวชี้วัดไม่ถูกต้อง"),
    ("target not a number", "p.csv", [HEADER, row(kpis="ทันเวลา {on_time_rate>=มาก}")],
     "แถวที่ 2: ค่าเป้าหมาย “มาก” ของตัวชี้วัดไม่ถูกต้อง"),
    ("braces not at the end", "p.csv", [HEADER, row(kpis="{received_count} เรื่อง")],
     "แถวที่ 2: ตัวชี้วัด “{received_count} เรื่อง” เขียนส่วนในวงเล็บปีกกาไม่ถูกต้อง"),
    ("budget not money", "p.csv", [HEADER, row(budget="สองหมื่น")], "แถวที่ 2: งบประมาณปี 2566 “สองหมื่น” ไม่ใช่จำนวนเงิน"),
    ("unknown unit", "p.csv", [HEADER + ["หน่วยงาน"], row() + ["กองที่ไม่มี"]], "แถวที่ 2: ไม่พบหน่วยงานชื่อ “กองที่ไม่มี”"),
    ("conflicting mission titles", "p.csv",
     [HEADER, row(1)[:3] + ["ก"] + row(1)[4:], row(2)[:3] + ["ข"] + row(2)[4:]], "แถวที่ 3: ชื่อภารกิจ 3.2 ไม่ตรงกับแถวที่ 2"),
    ("header only", "p.csv", [HEADER], "ไม่มีแถวข้อมูลมาตรการ"),
]


@pytest.mark.parametrize("name, filename, rows, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_row_is_refused_with_its_row_number_and_nothing_changes(banpong, name, filename, rows, message):
    before = plan_export.to_csv(banpong)
    with pytest.raises(PlanImportError) as caught:
        plans.import_file(banpong, filename, plan_csv(rows), now=utcnow())
    assert any(message in error for error in caught.value.errors), caught.value.errors
    db.session.rollback()
    assert plan_export.to_csv(plans.get_plan(banpong.id)) == before


@pytest.mark.parametrize("filename, data, message", [
    ("p.csv", b"", "ไฟล์ว่างเปล่า"),
    ("p.csv", b"\xef\xbb\xbf\r\n,,\r\n", "ไฟล์ว่างเปล่า"),
    ("p.csv", b"x" * (plan_import.MAX_BYTES + 1), "ไฟล์มีขนาดเกิน 2 MB"),
    ("p.xls", "มิติ,ภารกิจ\n1,1.1\n".encode(), "รองรับเฉพาะไฟล์ CSV (UTF-8) หรือ XLSX"),
    ("p.pdf", b"%PDF-1.4", "รองรับเฉพาะไฟล์ CSV (UTF-8) หรือ XLSX"),
    ("p.xlsx", "มิติ,ภารกิจ\n1,1.1\n".encode(), "ไฟล์ XLSX อ่านไม่ได้"),
    ("p.xlsx", b"PK\x03\x04garbage", "ไฟล์ XLSX อ่านไม่ได้"),
    ("p.csv", b"PK\x03\x04\x14\x00", "ไฟล์นี้ไม่ใช่ไฟล์ CSV"),
    ("p.csv", "มิติ,ภารกิจ,ลำดับ,โครงการ/กิจกรรม/มาตรการ\n1,1.1,1,โครงการ\n".encode("cp874"), "UTF-8"),
])
def test_a_bad_file_is_refused_in_thai_and_nothing_changes(banpong, filename, data, message):
    before = plan_export.to_csv(banpong)
    with pytest.raises(PlanImportError) as caught:
        plans.import_file(banpong, filename, data, now=utcnow())
    assert len(caught.value.errors) == 1 and message in caught.value.errors[0]
    db.session.rollback()
    assert plan_export.to_csv(plans.get_plan(banpong.id)) == before


def test_every_error_of_the_file_is_listed_at_once(app):
    plan = make_plan()
    data = plan_csv([HEADER, row(1, title=""), row(2, dim="x", kpis="{nope}"), row(3), row(3, links="ประเภท:x")])
    with pytest.raises(PlanImportError) as caught:
        plans.import_file(plan, "p.csv", data, now=utcnow())
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == ["แถวที่ 2", "แถวที่ 3", "แถวที่ 3", "แถวที่ 5"]


# ---------------------------------------------------------------- export and round trips


def _enrich(plan: Plan) -> None:
    """Give a plan the awkward things a round trip must keep."""
    seed_categories()
    measures = by_no(plan)
    road = db.session.scalar(select(Category).where(Category.code == "road"))
    unit = db.session.scalar(select(Unit).where(Unit.name == "กองช่าง"))
    data = MeasureInput(dimension=2, mission="2.1", running_no=5, title="=HYPERLINK(\"http://x\")",
                        dimension_title="", mission_title="", codes=["2.1.1", "2.1.9"],
                        steps="- ขั้นที่หนึ่ง\n+ ขั้นที่สอง", responsible="@สำนักปลัด", unit_id=unit.id,
                        due_text="ปีงบประมาณ พ.ศ. 2566 - 2570", monitoring="รายงานรอบ 6 เดือน", note="-",
                        budgets={2566: Decimal("1500.50"), 2567: Decimal(0), 2568: None},
                        kpis=[plan_import.KpiSpec("ทันเวลา", "on_time_rate", Decimal("99.5")),
                              plan_import.KpiSpec("-คำบรรยาย", None, None)],
                        channels=["general"], category_ids=[road.id])
    plans.update_measure(measures[5], data, actor=None, now=utcnow())
    db.session.commit()


def test_export_import_round_trip_is_lossless_in_csv_and_xlsx(takbai):
    _enrich(takbai)
    exported = plan_export.to_csv(takbai)
    for fmt, data in (("csv", exported), ("xlsx", plan_export.to_xlsx(takbai))):
        copy = plans.create_plan(f"สำเนา {fmt}", 2566, 2570, 2565, {}, utcnow())
        summary = plans.import_file(copy, f"copy.{fmt}", data, default_links=True, now=utcnow())
        assert summary.measures == 49 and summary.default_links == []
        assert plan_export.to_csv(copy) == exported, fmt
        five = by_no(copy)[5]
        assert five.title == "=HYPERLINK(\"http://x\")" and five.responsible == "@สำนักปลัด" and five.note == "-"
        assert [(k.metric, k.target) for k in five.kpis] == [("on_time_rate", Decimal("99.5")), (None, None)]
        assert {b.fiscal_year: b.amount for b in five.budgets} == {2566: Decimal("1500.50"), 2567: 0}
        assert five.unit.name == "กองช่าง" and [l.category.code for l in five.links if l.category] == ["road"]
        assert [c.code for c in by_no(copy)[42].codes] == ["3.2.1", "3.2.2", "3.2.3"]


def test_reimporting_keeps_measures_by_running_number_with_their_results(banpong):
    thirteen = by_no(banpong)[13]
    db.session.add(MeasureResult(measure_id=thirteen.id, fiscal_year=2569, period="year", text="ดำเนินการแล้ว"))
    db.session.commit()
    lines = plan_export.to_csv(banpong).decode("utf-8-sig").splitlines(keepends=True)
    rows = list(csv.reader(io.StringIO("".join(lines))))
    kept = [r for r in rows if r[4] != "17"]
    summary = plans.import_file(banpong, "p.csv", plan_csv(kept), now=utcnow())
    db.session.commit()
    assert (summary.measures, summary.updated, summary.created, summary.deleted) == (16, 16, 0, 1)
    assert by_no(banpong)[13].id == thirteen.id
    assert db.session.get(MeasureResult, (thirteen.id, 2569, "year")).text == "ดำเนินการแล้ว"
    assert 17 not in by_no(banpong)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "plan.import")) == 2


def test_csv_export_has_a_bom_thai_headers_and_no_live_formula(banpong):
    _enrich(banpong)
    data = plan_export.to_csv(banpong)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:7] == ["มิติ", "ชื่อมิติ", "ภารกิจ", "ชื่อภารกิจ", "ลำดับ", "รหัสมาตรการ", "โครงการ/กิจกรรม/มาตรการ"]
    assert [h for h in rows[0] if h.startswith("งบประมาณ")] == [f"งบประมาณ {y}" for y in YEARS]
    for line in rows[1:]:
        for cell in line:
            assert not cell.startswith(("=", "+", "@")) and (cell == "-" or not cell.startswith("-")), cell


def test_xlsx_export_writes_text_as_text(banpong):
    _enrich(banpong)
    sheet = load_workbook(io.BytesIO(plan_export.to_xlsx(banpong))).worksheets[0]
    title_col = [c.value for c in sheet[1]].index("โครงการ/กิจกรรม/มาตรการ") + 1
    cell = sheet.cell(row=6, column=title_col)
    assert cell.data_type == "s" and cell.value.lstrip("'") == "=HYPERLINK(\"http://x\")"
    budget_col = [c.value for c in sheet[1]].index("งบประมาณ 2566") + 1
    assert sheet.cell(row=13, column=budget_col).value == 20000  # a number stays a number


def test_xlsx_import_reads_the_first_sheet(app):
    plan = make_plan()
    book = Workbook()
    first = book.active
    first.append(["มิติ", "ภารกิจ", "ลำดับ", "รหัสมาตรการ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ 2566", "ตัวชี้วัด"])
    first.append([4, 4.3, 1, "4.3.1", "จัดการเรื่องร้องเรียนการทุจริต", 20000, "{received_count}\nมีคู่มือ"])
    first.append([None, None, None, None, None, None, None])
    first.append([4, "4.3", 2.0, "4.3.2", "ช่องทางร้องเรียน", None, None])
    book.create_sheet("อื่น").append(["ไม่เกี่ยว"])
    out = io.BytesIO()
    book.save(out)
    summary = plans.import_file(plan, "PLAN.XLSX", out.getvalue(), default_links=True, now=utcnow())
    assert summary.measures == 2
    measures = by_no(plan)
    assert measures[1].budgets[0].amount == 20000 and [k.metric for k in measures[1].kpis] == ["received_count", None]
    assert channels(measures[1]) == channels(measures[2]) == ["corruption"]


# ---------------------------------------------------------------- plans and measures


def test_create_plan_checks_title_years_and_targets(app):
    good = {2566: TargetInput(Decimal(10), Decimal(65))}
    plan = plans.create_plan("แผน ก", 2566, 2570, 2565, good, utcnow())
    assert [(t.fiscal_year, t.reduction_percent) for t in plan.targets] == [(2566, 10)]
    for kwargs, field in [
        ({"title": " "}, "title"), ({"title": "แผน ก"}, "title"), ({"end_year": 2565}, "end_year"),
        ({"start_year": 66}, "start_year"), ({"end_year": 2580}, "end_year"), ({"baseline_year": 2571}, "baseline_year"),
        ({"targets": {2580: TargetInput(Decimal(1), None)}}, "targets"),
        ({"targets": {2566: TargetInput(Decimal(101), None)}}, "targets"),
    ]:
        args = {"title": "แผน ข", "start_year": 2566, "end_year": 2570, "baseline_year": 2565, "targets": {}, **kwargs}
        with pytest.raises(PlanError) as caught:
            plans.create_plan(args["title"], args["start_year"], args["end_year"], args["baseline_year"],
                              args["targets"], utcnow())
        assert caught.value.field == field, kwargs


def test_exactly_one_plan_is_active(banpong, takbai):
    assert plans.active_plan() is None
    plans.activate(banpong, now=utcnow())
    plans.activate(takbai, now=utcnow())
    db.session.commit()
    assert plans.active_plan().id == takbai.id
    assert db.session.scalar(select(func.count(Plan.id)).where(Plan.active.is_(True))) == 1


def test_update_measure_refuses_a_taken_running_number_and_prunes_empty_missions(banpong):
    measures = by_no(banpong)
    data = MeasureInput(dimension=4, mission="4.2", running_no=16, title="ซ้ำ")
    with pytest.raises(PlanError) as caught:
        plans.update_measure(measures[15], data, actor=None, now=utcnow())
    assert caught.value.field == "running_no"
    db.session.rollback()
    # Moving #15 (the only measure of 4.2) to a new mission 4.4 removes the now empty 4.2.
    data = MeasureInput(dimension=4, mission="4.4", running_no=15, title="กิจกรรมใหม่", mission_title="ภารกิจใหม่")
    plans.update_measure(by_no(banpong)[15], data, actor=None, now=utcnow())
    db.session.commit()
    codes = {m.code: m.title for m in banpong.missions}
    assert "4.2" not in codes and codes["4.4"] == "ภารกิจใหม่"
    plans.delete_measure(by_no(banpong)[15], actor=None, now=utcnow())
    db.session.commit()
    assert len(banpong.measures) == 16 and "4.4" not in {m.code for m in banpong.missions}
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("plan.%"))))
    assert {"plan.create", "plan.import", "plan.measure.update", "plan.measure.delete"} <= actions


def test_the_example_in_the_documentation_imports(app):
    text = (plans.PLANS_DIR.parent.parent / "docs" / "plan-import.md").read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    plan = make_plan()
    summary = plans.import_file(plan, "example.csv", example.encode("utf-8"), now=utcnow())
    assert summary.measures == 3
    measures = by_no(plan)
    assert metrics(measures[13]) == {"on_time_rate": 100, "satisfaction_rate": 80, "received_count": None}
    assert channels(measures[17]) == ["corruption"] and measures[17].code_text == "4.3.2"
    assert {b.fiscal_year: b.amount for b in measures[12].budgets} == {2566: 20000, 2567: 20000}


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read(app, monkeypatch):
    plan = make_plan()
    book = Workbook()
    book.active.append(["มิติ", "ภารกิจ", "ลำดับ", "โครงการ/กิจกรรม/มาตรการ"])
    out = io.BytesIO()
    book.save(out)
    monkeypatch.setattr(plan_import, "MAX_UNPACKED", 1000)
    with pytest.raises(PlanImportError) as caught:
        plans.import_file(plan, "p.xlsx", out.getvalue(), now=utcnow())
    assert caught.value.errors == ["ไฟล์ XLSX มีข้อมูลมากเกินไป"]
