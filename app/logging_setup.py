"""Logging that never writes personal data: addresses, e-mails, phones, ID numbers, tracking codes."""
from __future__ import annotations

import logging
import re

from flask import Flask

_PATTERNS = [
    # IPv4 and IPv6 addresses (werkzeug and gunicorn access lines start with one).
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"), "[addr]"),
    # IPv6: the full eight-group form, or any compressed form with "::" (clock times have neither).
    (re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])"), "[addr]"),
    (re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?(?![\w:])"), "[addr]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # Thai national ID (13 digits, optionally grouped) and phone numbers.
    (re.compile(r"\b\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d\b"), "[id]"),
    (re.compile(r"(?<!\d)(?:\+66|0)\d{1,2}[- ]?\d{3}[- ]?\d{3,4}(?!\d)"), "[phone]"),
    # Tracking codes, survey tokens and receipt tokens in paths (the route's own words stay readable)...
    (re.compile(r"(/(?:api/v1/track|track|survey|receipts?)/)(?!(?:answer|survey|print|done)\b)[^\s\"?&/]+",
                re.IGNORECASE), r"\1[code]"),
    # ...and in query strings.
    (re.compile(r"([?&](?:code|token)=)[^\s\"&]+", re.IGNORECASE), r"\1[code]"),
    # PostgreSQL quotes the offending values in its error details ("Key (v)=(...)", "Failing row contains (...)").
    (re.compile(r"(Key \(.*?\)=\().*?(\) already exists|\) is not present)"), r"\1[value]\2"),
    (re.compile(r"(Failing row contains \().*(\))"), r"\1[values]\2"),
]


def redact(text: str) -> str:
    """Replace anything that could identify a person in a log line."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_TRACEBACKS = logging.Formatter()


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message, traceback and stack through redact().

    A formatter appends the traceback after the message; setting ``exc_text`` here makes every
    formatter print the redacted one instead of formatting ``exc_info`` itself.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def init_logging(app: Flask) -> None:
    """Install one redacting handler on the root logger (idempotent)."""
    root = logging.getLogger()
    if not any(getattr(h, "_sujarit", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler._sujarit = True
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    # werkzeug and gunicorn attach their own handlers; filter those too.
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
