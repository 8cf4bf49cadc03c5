"""The background process: APScheduler with fixed job ids; the jobs only call services."""
