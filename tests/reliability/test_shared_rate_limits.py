"""Rate limits hold across gunicorn workers only with a shared store: Redis is that store, memory:// is refused."""
from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

from app.config import shared_limit_storage_problem
from tests.reliability.servers import ROOT, gunicorn_binary, production_env, request, start_gunicorn, start_redis

LIMIT, TRIES, WORKERS = 10, 40, 4


def _stats_answers(base: str) -> list[int]:
    """TRIES requests from 8 clients at once, so several workers serve them at the same time."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: request(f"{base}/api/v1/stats?channel=general&fiscal_year=2569")[0],
                             range(TRIES)))


def test_a_limit_holds_across_four_gunicorn_workers_sharing_redis(database_url, tmp_path):
    redis, redis_url = start_redis(tmp_path)
    try:
        env = production_env(tmp_path, database_url, RATELIMIT_STORAGE_URI=redis_url,
                             API_RATE_LIMIT=f"{LIMIT} per minute")
        server, base = start_gunicorn(tmp_path, env, workers=WORKERS, preload=True)
        try:
            answers = _stats_answers(base)
        finally:
            server.stop()
    finally:
        redis.stop()
    assert answers.count(200) == LIMIT and answers.count(429) == TRIES - LIMIT, answers


def test_per_process_counters_let_four_workers_through_four_times_over(database_url, tmp_path):
    """The fault the shared store fixes, measured: memory:// (allowed outside production) multiplies the limit."""
    env = {**production_env(tmp_path, database_url, API_RATE_LIMIT=f"{LIMIT} per minute"),
           "SUJARIT_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://"}
    server, base = start_gunicorn(tmp_path, env, workers=WORKERS, preload=True)
    try:
        answers = _stats_answers(base)
    finally:
        server.stop()
    assert answers.count(200) > LIMIT


def test_production_with_several_workers_and_memory_counters_refuses_to_start(database_url, tmp_path):
    env = {**production_env(tmp_path, database_url), "RATELIMIT_STORAGE_URI": "memory://",
           "GUNICORN_WORKERS": "3", "GUNICORN_BIND": "127.0.0.1:0"}
    done = subprocess.run([gunicorn_binary(), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "RATELIMIT_STORAGE_URI=redis://" in done.stderr and "3 times looser" in done.stderr


def test_the_storage_rule():
    assert shared_limit_storage_problem("production", 1, "memory://") is None
    assert shared_limit_storage_problem("production", 4, "redis://127.0.0.1:6379/0") is None
    assert shared_limit_storage_problem("development", 4, "memory://") is None
    assert shared_limit_storage_problem("production", 4, "memory://")
