"""Time the longest document Sujarit prints: the Tak Bai plan's annual measure report (49 measures), as PDF.

    .venv/bin/python bench/run_documents.py            # --runs N (default 5)

A throwaway SQLite database with the shipped Tak Bai plan (no cases needed: the text is the plan's own).
Prints the first render in a fresh process (browser start and dictionary load included), then the best
and median of N warm renders, and the pages and size of the file. The same script runs against the code
before issue 13 (fpdf2): it uses whichever renderer the checkout has.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generate import make_app, migrate  # noqa: E402


def _renderer():
    """(name, function(report) -> PDF bytes) of this checkout."""
    try:
        from app.documents.measure_report import to_pdf

        return "Chromium (app/documents)", to_pdf
    except ImportError:  # the fpdf2 layout before issue 13
        from app.services.measure_reports import to_pdf

        return "fpdf2 (app/services/pdf.py)", to_pdf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="sujarit-bench-docs-"))
    app = make_app(f"sqlite:///{folder / 'documents.sqlite3'}")
    from app.extensions import db
    from app.services import measure_reports, plans
    from app.services.report_periods import ReportPeriod

    now = datetime.now(timezone.utc)
    name, to_pdf = _renderer()
    with app.app_context():
        migrate(app)
        plan = plans.load_shipped("takbai_2566_2570", now=now, activate=True)
        db.session.commit()
        report = measure_reports.build(plan, ReportPeriod.of(2569, "year"), now)
        with app.test_request_context():
            start = time.perf_counter()
            pdf = to_pdf(report, 5)
            first = time.perf_counter() - start
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                to_pdf(report, 5)
                times.append(time.perf_counter() - start)
    path = folder / "takbai-annual.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    print(f"run_documents: Tak Bai annual measure report, 5 columns, {len(plan.measures)} measures, {name}")
    print(f"  first render in this process  {first * 1000:8,.0f} ms")
    print(f"  warm, best of {args.runs:<3}            {min(times) * 1000:8,.0f} ms")
    print(f"  warm, median                  {statistics.median(times) * 1000:8,.0f} ms")
    print(f"  {pages} pages, {len(pdf) / 1024:,.0f} KiB  ({path})")


if __name__ == "__main__":
    main()
