"""Thai labels of the case page: timeline entries, actions, reasons, agencies and outcomes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ... import labels

#: What a timeline entry (CaseEvent.kind) says happened.
EVENT_LABELS = {
    "received": _l("รับเรื่อง"),
    "accept": _l("รับเรื่องไว้ดำเนินการ"),
    "assign": _l("มอบหมายผู้รับผิดชอบ"),
    "reject": _l("ไม่รับพิจารณา"),
    "forward": _l("ส่งต่อหน่วยงานอื่น"),
    "progress": _l("แจ้งความคืบหน้า"),
    "complete": _l("ดำเนินการแล้วเสร็จ"),
    "reopen": _l("เปิดเรื่องอีกครั้ง"),
    "explain": _l("ชี้แจงผู้ร้องเรียน"),
    "note": _l("บันทึกภายใน"),
    "ask": _l("ถามผู้แจ้ง"),
    "answer": _l("ผู้แจ้งตอบคำถาม"),
    "accused_set": _l("ระบุเจ้าหน้าที่ที่ถูกร้องเรียน"),
    "outcome": _l("บันทึกผลการตรวจสอบ"),
    "moved": _l("ย้ายเข้าช่องทางร้องเรียนการทุจริต"),
}

REJECTION_LABELS = {
    "outside_authority": _l("ไม่อยู่ในอำนาจหน้าที่"),
    "insufficient_detail": _l("ข้อมูลไม่เพียงพอ"),
    "duplicate": _l("เรื่องซ้ำ"),
}

AGENCY_LABELS = labels.AGENCY_LABELS

OUTCOME_LABELS = {
    "substantiated": _l("มีมูล"),
    "unsubstantiated": _l("ไม่มีมูล"),
    "insufficient_evidence": _l("หลักฐานไม่เพียงพอ"),
}

#: Per action: the form's heading, its button, the label of the public message (None = no such
#: field), whether the service requires it, and the confirmation shown after it succeeded.
ACTION_TEXT = {
    "accept": dict(title=_l("รับเรื่องไว้ดำเนินการ"), button=_l("รับเรื่อง"),
                   public=_l("ข้อความถึงผู้ร้องเรียน (ถ้ามี)"), required=False,
                   done=_l("รับเรื่องไว้ดำเนินการแล้ว")),
    "assign": dict(title=_l("มอบหมายผู้รับผิดชอบ"), button=_l("บันทึกการมอบหมาย"),
                   public=None, required=False, done=_l("บันทึกการมอบหมายแล้ว")),
    "progress": dict(title=_l("แจ้งความคืบหน้า"), button=_l("แจ้งความคืบหน้า"),
                     public=_l("ความคืบหน้าที่แจ้งผู้ร้องเรียน"), required=True,
                     done=_l("แจ้งความคืบหน้าแล้ว")),
    "complete": dict(title=_l("ดำเนินการแล้วเสร็จ"), button=_l("ปิดเรื่อง: แล้วเสร็จ"),
                     public=_l("ผลการดำเนินการที่แจ้งผู้ร้องเรียน"), required=True,
                     done=_l("ปิดเรื่องแล้ว (ดำเนินการแล้วเสร็จ)")),
    "explain": dict(title=_l("ชี้แจงผู้ร้องเรียน (เกินกำหนด)"), button=_l("โพสต์คำชี้แจง"),
                    public=_l("คำชี้แจงเหตุที่ยังไม่แล้วเสร็จและกำหนดการต่อไป"), required=True,
                    done=_l("โพสต์คำชี้แจงแล้ว ผู้ร้องเรียนเห็นได้ในหน้าติดตามเรื่อง")),
    "ask": dict(title=_l("ถามผู้แจ้งเพิ่มเติม"), button=_l("ส่งคำถาม"),
                public=_l("คำถามถึงผู้แจ้ง (ผู้แจ้งเห็นและตอบได้ในหน้าติดตามเรื่อง)"), required=True,
                done=_l("ส่งคำถามแล้ว ผู้แจ้งจะเห็นเมื่อเข้าหน้าติดตามเรื่อง")),
    "note": dict(title=_l("บันทึกภายใน"), button=_l("บันทึก"), public=None, required=False,
                 done=_l("บันทึกแล้ว")),
    "forward": dict(title=_l("ส่งต่อหน่วยงานอื่น"), button=_l("ส่งต่อ"),
                    public=_l("ข้อความถึงผู้ร้องเรียน (ถ้ามี)"), required=False,
                    done=_l("บันทึกการส่งต่อแล้ว")),
    "reject": dict(title=_l("ไม่รับพิจารณา"), button=_l("ไม่รับพิจารณา"),
                   public=_l("เหตุผลที่แจ้งผู้ร้องเรียน"), required=True,
                   done=_l("บันทึกการไม่รับพิจารณาแล้ว")),
    "reopen": dict(title=_l("เปิดเรื่องอีกครั้ง"), button=_l("เปิดเรื่องอีกครั้ง"),
                   public=_l("ข้อความถึงผู้ร้องเรียน (ถ้ามี)"), required=False,
                   done=_l("เปิดเรื่องอีกครั้งแล้ว")),
    "accused": dict(title=_l("เจ้าหน้าที่ที่ถูกร้องเรียน"), button=_l("บันทึก"), public=None, required=False,
                    done=_l("บันทึกเจ้าหน้าที่ที่ถูกร้องเรียนแล้ว")),
    "outcome": dict(title=_l("ผลการตรวจสอบข้อเท็จจริง"), button=_l("บันทึกผลการตรวจสอบ"), public=None,
                    required=False, done=_l("บันทึกผลการตรวจสอบแล้ว")),
    "move": dict(title=_l("ย้ายไปช่องทางร้องเรียนการทุจริต"), button=_l("ย้ายเรื่อง"), public=None,
                 required=False, done=_l("ย้ายเรื่องไปช่องทางร้องเรียนการทุจริตแล้ว เรื่องนี้จะไม่แสดงในรายการของท่านอีก")),
}

#: The order the action forms appear on the case page: the usual next steps first.
ACTION_ORDER = ("accept", "assign", "progress", "complete", "explain", "ask", "note", "forward", "reject",
                "reopen", "accused", "outcome", "move")

#: What a request on a protected-channel report asks for.
REQUEST_LABELS = {
    "accused": _l("ระบุหรือแก้ไขเจ้าหน้าที่ที่ถูกร้องเรียน"),
    "reject": _l("ไม่รับพิจารณา"),
    "forward": _l("ส่งต่อหน่วยงานอื่น"),
    "complete": _l("ดำเนินการแล้วเสร็จ (ปิดเรื่อง)"),
    "reveal": _l("เปิดดูข้อมูลผู้แจ้ง"),
}

#: The access log's actions, in words (anything else is shown by its code).
ACCESS_LOG_LABELS = {
    "case.view": _l("เปิดดูเรื่อง"),
    "case.reveal_identity": _l("เปิดดูข้อมูลผู้แจ้ง"),
    "case.attachment_download": _l("ดาวน์โหลดไฟล์แนบ"),
    "case.notice_print": _l("พิมพ์หนังสือแจ้งผล"),
    "case.notice_pdf": _l("ดาวน์โหลดหนังสือแจ้งผล"),
    "letter.issue": _l("ออกเลขที่หนังสือ"),
    "letter.print": _l("พิมพ์หนังสือ"),
    "letter.pdf": _l("ดาวน์โหลดหนังสือ (PDF)"),
    "letter.void": _l("ยกเลิกเลขที่หนังสือ"),
    "case.request_accused": _l("ขออนุมัติระบุผู้ถูกร้องเรียน"),
    "case.request_reject": _l("ขออนุมัติไม่รับพิจารณา"),
    "case.request_forward": _l("ขออนุมัติส่งต่อ"),
    "case.request_complete": _l("ขออนุมัติปิดเรื่อง"),
    "case.request_reveal": _l("ขออนุมัติเปิดดูข้อมูลผู้แจ้ง"),
    "case.request_approved": _l("อนุมัติคำขอ"),
    "case.request_refused": _l("ไม่อนุมัติคำขอ"),
    "case.request_cancelled": _l("ยกเลิกคำขอ"),
    "case.request_expired": _l("คำขอหมดอายุ"),
    "case.set_accused": _l("บันทึกผู้ถูกร้องเรียน"),
    "case.outcome": _l("บันทึกผลการตรวจสอบ"),
    "case.move_to_corruption": _l("ย้ายเข้าช่องทางร้องเรียนการทุจริต"),
}
