"""What synchronous=FULL costs at intake on SQLite, next to NORMAL: time per submission and throughput.

    .venv/bin/python bench/run_intake_durability.py            # 200 submissions per mode and thread count
    .venv/bin/python bench/run_intake_durability.py -n 500 --threads 1 4

Each mode runs on a fresh, migrated SQLite file in bench/out/ (on the real disk: a tmpfs would make
fsync free). A submission is a corruption report through the intake service with one small photo
(stored encrypted, fsynced, its folder fsynced), then the commit, as the web form does it.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generate import make_app, migrate  # noqa: E402

OUT = ROOT / "bench" / "out" / "durability"


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def run(mode: str, count: int, threads: int) -> tuple[float, float]:
    """Median milliseconds per submission and submissions per second, for one synchronous mode."""
    import shutil

    from sqlalchemy import event

    from app.extensions import db
    from app.models.base import utcnow
    from app.services import intake

    folder = OUT / f"{mode}-{threads}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    app = make_app(f"sqlite:///{folder / 'bench.sqlite3'}")
    app.config["ATTACHMENT_DIR"] = str(folder / "attachments")
    migrate(app)
    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def set_mode(dbapi_connection, _record):  # after the app's own pragmas (FULL)
            dbapi_connection.execute(f"PRAGMA synchronous={mode}")

        db.engine.dispose()
    photo = _photo()
    timings: list[float] = []

    def submitter(n: int):
        with app.app_context():
            for i in range(count // threads):
                t = time.perf_counter()
                intake.submit_report(intake.ReportInput(subject=f"เรื่อง {n}-{i}", details="รายละเอียด",
                                                        files=[intake.Upload("p.png", photo)]), now=utcnow())
                db.session.commit()
                timings.append((time.perf_counter() - t) * 1000)
            db.session.remove()

    start = time.perf_counter()
    pool = [threading.Thread(target=submitter, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    return statistics.median(timings), len(timings) / elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions per run (default 200)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args(argv)
    print(f"{'synchronous':<12} {'threads':>7} {'median ms':>10} {'per second':>11}")
    for threads in args.threads:
        for mode in ("NORMAL", "FULL"):
            median, rate = run(mode, args.n, threads)
            print(f"{mode:<12} {threads:>7} {median:>10.1f} {rate:>11.1f}")


if __name__ == "__main__":
    main()
