"""An executive opens the 6-month measure report in a real browser and downloads its PDF."""
from __future__ import annotations

import re
import shutil
import subprocess

from playwright.sync_api import expect

from tests.e2e.test_casework_flow import DESKTOP, sign_in
from tests.factories import make_user
from tests.plan_data import build_cases, build_plan


def test_executive_opens_the_six_month_report_and_downloads_the_pdf(live_server, browser, tmp_path, shot):
    build_plan()
    build_cases()
    make_user("executive", username="boss")
    context = browser.new_context(**DESKTOP, accept_downloads=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, live_server, "boss")
        page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="รายงาน", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("รายงาน")
        page.get_by_label("ปีงบประมาณ พ.ศ.").select_option("2569")
        page.get_by_label("รอบรายงาน").select_option(label="รอบ 6 เดือน (ต.ค.–มี.ค.)")
        page.get_by_role("button", name="แสดง").click()
        page.get_by_role("link", name="แบบ 5 ช่อง").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("รายงานผลการดำเนินงานตามมาตรการ")
        table = page.locator("table.measure-report")
        expect(table.locator("thead th")).to_have_text(
            ["มาตรการ", "ขั้นตอนหรือวิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "ผลการดำเนินการ"])
        row = table.locator("tr", has_text="3.2.1 มาตรการจัดการเรื่องราวร้องทุกข์")
        expect(row).to_contain_text("ได้รับเรื่อง 12 เรื่อง แล้วเสร็จ 10 เรื่อง ภายใน 15 วัน ร้อยละ 83.3")
        shot(page, "measure-report-desktop")

        with page.expect_download() as info:
            page.get_by_role("link", name="ดาวน์โหลด PDF").click()
        download = info.value
        assert re.fullmatch(r"measures-2569-half-5col\.pdf", download.suggested_filename)
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        data = path.read_bytes()
        assert data.startswith(b"%PDF")
        text = subprocess.run([shutil.which("pdftotext"), "-raw", str(path), "-"], capture_output=True,
                              check=True).stdout.decode()
        squashed = re.sub(r"[\s\u200b]", "", text)
        assert "รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริตรอบ6เดือนปีงบประมาณพ.ศ.2569" in squashed
        assert "ได้รับเรื่อง12เรื่องแล้วเสร็จ10เรื่องภายใน15วันร้อยละ83.3" in squashed
    finally:
        context.close()
