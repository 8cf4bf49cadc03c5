"""API v1: JSON, no cookies, rate-limited; errors as {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import text

from ...extensions import db, limiter
from ...models.base import utcnow
from ...security.access import public
from ...services import intake, tracking
from ...services.intake import Accused, ComplaintInput, IntakeError, Reporter, ReportInput
from ...thai import to_local
from . import bp

#: Service field names -> the contract's dotted names.
_FIELD_NAMES = {"accused_name": "accused.name", "accused_position": "accused.position",
                "accused_unit": "accused.unit", "accused_directory": "accused.directory"}


def _limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "30 per minute; 500 per day")


def _iso(dt) -> str:
    """ISO 8601 with the Bangkok offset, as the contract says."""
    return to_local(dt).isoformat(timespec="seconds")


def error(status: int, code: str, message: str, fields: dict | None = None):
    """A contract-shaped error response (messages in the request's language; lazy ones are resolved here)."""
    return jsonify({"error": {"code": code, "message": str(message),
                              "fields": {k: str(v) for k, v in (fields or {}).items()}}}), status


def _body() -> tuple[dict | None, tuple | None]:
    if not request.is_json:
        return None, error(415, "unsupported_media_type", _("ต้องส่งข้อมูลแบบ application/json"))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, error(400, "invalid_json", _("ข้อมูล JSON ไม่ถูกต้อง"))
    return data, None


def _strings(obj: dict, keys: tuple[str, ...], prefix: str, fields: dict) -> dict[str, str]:
    out = {}
    for key in keys:
        value = obj.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            fields[prefix + key] = _("ต้องเป็นข้อความ")
            value = ""
        out[key] = value
    return out


def _object(data: dict, key: str, fields: dict) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        fields[key] = _("ต้องเป็นออบเจกต์")
        return {}
    return value


def _reporter(data: dict, fields: dict) -> Reporter:
    raw = _strings(_object(data, "reporter", fields), ("name", "phone", "email", "address"), "reporter.", fields)
    return Reporter(**raw)


def _invalid(fields: dict):
    named = {_FIELD_NAMES.get(k, k): str(v) for k, v in fields.items()}  # service messages are lazy strings
    return error(422, "validation_failed", _("ข้อมูลไม่ครบถ้วนหรือไม่ถูกต้อง"), named)


@bp.route("/complaints", methods=["POST"])
@public
@limiter.limit(_limit)
def create_complaint():
    """File a general complaint."""
    data, problem = _body()
    if problem:
        return problem
    fields: dict[str, str] = {}
    top = _strings(data, ("subject", "details", "category", "location"), "", fields)
    reporter = _reporter(data, fields)
    complaint = ComplaintInput(subject=top["subject"], details=top["details"], category_code=top["category"],
                               location=top["location"], reporter=reporter)
    if fields:  # report type errors together with every other problem of the body
        return _invalid({**intake.validate_complaint(complaint), **fields})
    try:
        sub = intake.submit_complaint(complaint, now=utcnow(), source="api")
    except IntakeError as exc:
        db.session.rollback()
        return _invalid(exc.fields)
    db.session.commit()
    case = sub.case
    return jsonify({"tracking_code": sub.tracking_code, "case_number": case.case_number, "channel": "general",
                    "status": case.status, "received_at": _iso(case.received_at),
                    "due_at": _iso(case.due_at)}), 201


@bp.route("/reports", methods=["POST"])
@public
@limiter.limit(_limit)
def create_report():
    """File a corruption report; absent reporter means anonymous."""
    data, problem = _body()
    if problem:
        return problem
    fields: dict[str, str] = {}
    top = _strings(data, ("subject", "details", "category", "location", "incident_date", "evidence",
                          "witnesses"), "", fields)
    accused = _strings(_object(data, "accused", fields), ("name", "position", "unit", "directory"), "accused.", fields)
    reporter = _reporter(data, fields)
    report = ReportInput(subject=top["subject"], details=top["details"], category_code=top["category"],
                         accused=Accused(**accused), incident_date=top["incident_date"], location=top["location"],
                         evidence=top["evidence"], witnesses=top["witnesses"], reporter=reporter)
    if fields:
        return _invalid({**intake.validate_report(report, utcnow()), **fields})
    try:
        sub = intake.submit_report(report, now=utcnow(), source="api")
    except IntakeError as exc:
        db.session.rollback()
        return _invalid(exc.fields)
    db.session.commit()
    case = sub.case
    return jsonify({"tracking_code": sub.tracking_code, "channel": "corruption", "status": case.status,
                    "received_at": _iso(case.received_at), "due_at": _iso(case.due_at)}), 201


@bp.route("/directory")
@public
@limiter.limit(_limit)
def directory():
    """The organisation's positions by unit, for naming the accused of a report: structure only, never names."""
    from ...services.cases import accused

    return jsonify({"positions": [{"key": e.key, "unit": e.unit, "position": e.position}
                                  for e in accused.directory()]})


@bp.route("/track/<path:code>")
@public
@limiter.limit(lambda: current_app.config.get("TRACKING_RATE_LIMIT", "20 per minute; 300 per day"))
def track(code: str):
    """Status and public updates of a case; the same 404 for every unknown code."""
    case = tracking.find_case(code)
    if case is None:
        return error(404, "not_found", _("ไม่พบเรื่องตามรหัสติดตามที่ระบุ"))
    view = tracking.public_view(case, utcnow())
    return jsonify({
        "channel": view.channel, "status": view.status, "received_at": _iso(view.received_at),
        "due_at": _iso(view.due_at), "overdue": view.overdue,
        "updates": [{"at": _iso(u.at), "status": u.status, "message": u.message} for u in view.updates],
    })


@bp.route("/health")
@public
def health():
    """Liveness and database reachability, for load balancers and monitoring."""
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})


@bp.route("/stats")
@public
@limiter.limit(_limit)
def statistics():
    """Published counts of one channel's fiscal year (BE), Oct..Sep; counts only, never a case.

    Small-count protection of the corruption channel: a count with 0 < count < N is ``null`` and the
    top-level ``suppressed_below`` says N (it is ``null`` when nothing is hidden by a threshold).
    """
    from ...models.case import CHANNELS
    from ...services import exports, stats, stats_settings
    from ...thai import fiscal_year as fiscal_year_of

    fields: dict[str, str] = {}
    channel = request.args.get("channel", "")
    if not channel:
        fields["channel"] = _("ต้องระบุช่องทาง: corruption หรือ general")
    elif channel not in CHANNELS:
        fields["channel"] = _("ช่องทางต้องเป็น corruption หรือ general")
    current = fiscal_year_of(utcnow())
    raw_year = request.args.get("fiscal_year", "")
    fiscal_year = None
    if not raw_year:
        fields["fiscal_year"] = _("ต้องระบุปีงบประมาณ (พ.ศ.) เช่น %(year)s", year=current)
    elif not raw_year.isascii() or not raw_year.isdigit():
        fields["fiscal_year"] = _("ปีงบประมาณต้องเป็นตัวเลขปีพุทธศักราช เช่น %(year)s", year=current)
    else:
        fiscal_year = int(raw_year)
        if not 2500 <= fiscal_year <= current + 1:
            fields["fiscal_year"] = _("ปีงบประมาณต้องอยู่ระหว่าง %(first)s ถึง %(last)s", first=2500,
                                      last=current + 1)
    if fields:
        return error(400, "invalid_parameters", _("พารามิเตอร์ไม่ถูกต้อง"), fields)
    threshold = stats_settings.get().threshold_for(channel)
    table = stats.monthly(channel, fiscal_year)

    def counts(c) -> dict:
        return {k: exports.api_value(v, threshold) for k, v in c.as_dict().items()}

    return jsonify({
        "fiscal_year": fiscal_year,
        "months": [{"month": m.key, **counts(m.counts)} for m in table.months],
        "totals": counts(table.totals),
        "suppressed_below": threshold if threshold >= 2 else None,
    })
