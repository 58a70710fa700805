"""The person's right to know what is held about them (Nghị định 13/2023/NĐ-CP, Luật Bảo vệ dữ liệu cá nhân):
everything the system keeps about one client, as machine-readable JSON and as a readable DOCX document.

The export includes the identifying details, so it follows the rules of `services.reveal_identity`: only a support
worker or supervisor of the owning unit itself, with the export permission, and every export writes exactly one
access-log entry with its reason. It also lists who has read the client's data (the access log): the person has a
right to know that too."""

import datetime
import io
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lanhmanh.core.models import AccessLog
from lanhmanh.core.services import log_access
from lanhmanh.support import services
from lanhmanh.support.models import (
    IDENTITY_FIELDS,
    Consent,
    NeedArea,
    NeedsAssessment,
    Purpose,
    Referral,
    ServiceDelivery,
    SharedItem,
    SupportClient,
)

# The file name carries the pseudonymous code only, never a name.
EXPORT_FILENAME = "ho-so-{code}.{ext}"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def export_filename(client, ext: str) -> str:
    return EXPORT_FILENAME.format(code=client.code, ext=ext)


# -- the record ---------------------------------------------------------------------------------------------


def _iso(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else (
            value.isoformat(timespec="seconds"))
    return value.isoformat()


def _choice(value, choices) -> dict | None:
    if value in (None, ""):
        return None
    return {"code": value, "label": str(dict(choices).get(value, value))}


def _label(model, field: str) -> str:
    """The field's verbose name with a capital first letter ("Số định danh, CCCD")."""
    name = str(model._meta.get_field(field).verbose_name)
    return name[:1].upper() + name[1:]


def _agency(agency) -> dict | None:
    if agency is None:
        return None
    return {"name": agency.name, "type": agency.agency_type.name, "unit": agency.unit.name}


def _user(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "full_name": user.full_name}


def _consent(consent: Consent) -> dict:
    purposes = dict(Purpose.choices)
    return {
        "id": consent.pk,
        "given_on": _iso(consent.given_on),
        "method": _choice(consent.method, consent._meta.get_field("method").choices),
        "given_by": _choice(consent.given_by, consent._meta.get_field("given_by").choices),
        "purposes": [{"code": p, "label": str(purposes[p])} for p in consent.purposes()],
        "referral_agency_types": [{"code": t.code, "name": t.name}
                                  for t in sorted(consent.referral_agency_types.all(), key=lambda t: t.sort_order)],
        "withdrawn_on": _iso(consent.withdrawn_on),
        "withdrawal_note": consent.withdrawal_note,
        # Whether a scan of the signed form is kept; the scan itself (a photo with a signature) is not part of the
        # export: it can be read separately through services.read_signed_form.
        "signed_form_on_file": bool(consent.signed_form),
    }


def _assessment(assessment: NeedsAssessment) -> dict:
    labels = dict(NeedArea.choices)
    return {
        "id": assessment.pk,
        "assessed_on": _iso(assessment.assessed_on),
        "needs": [{"code": n, "label": str(labels[n])} for n in assessment.needs if n in labels],
        "note": assessment.note,
    }


def _service(service: ServiceDelivery) -> dict:
    return {
        "id": service.pk,
        "service_type": {"code": service.service_type.code, "name": service.service_type.name},
        "delivered_on": _iso(service.delivered_on),
        "provider_agency": _agency(service.provider_agency),
        "provider_name": service.provider_name,
        "outcome": _choice(service.outcome, service._meta.get_field("outcome").choices),
        "note": service.note,
        "referral_id": service.referral_id,
    }


def _referral(referral: Referral) -> dict:
    labels = dict(SharedItem.choices)
    values = services.shared_values(referral)
    return {
        "id": referral.pk,
        "to_agency": _agency(referral.to_agency),
        "is_child_protection": referral.is_child_protection,
        "sent_on": _iso(referral.sent_on),
        "status": _choice(referral.status, referral._meta.get_field("status").choices),
        "reason": referral.reason,
        "shared": [{"item": item, "label": str(labels.get(item, item)), "value": values.get(item, "")}
                   for item in referral.shared_items],
        "responded_on": _iso(referral.responded_on),
        "responded_by": _user(referral.responded_by),
        "response_note": referral.response_note,
        "completed_on": _iso(referral.completed_on),
        "feedback": referral.feedback,
    }


def client_access_log(client):
    """Access-log entries about the client: its record and every record of it (a referral's shared items, a
    consent's signed form), oldest first."""
    rows = AccessLog.objects.none()
    related = {
        SupportClient: [client.pk],
        Consent: client.consents.values_list("pk", flat=True),
        NeedsAssessment: client.assessments.values_list("pk", flat=True),
        ServiceDelivery: client.services.values_list("pk", flat=True),
        Referral: client.referrals.values_list("pk", flat=True),
    }
    for model, ids in related.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        rows |= AccessLog.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in ids])
    return rows.select_related("user", "content_type").order_by("at", "pk")


def client_record(client) -> dict:
    """Everything held about `client`, JSON-serialisable, identifying details included. Dates are ISO 8601."""
    client = SupportClient.objects.select_related("unit", "origin_province").get(pk=client.pk)
    meta = SupportClient._meta
    record = {
        "code": client.code,
        "unit": {"code": client.unit.code, "name": client.unit.name},
        "statistics": {
            "registered_on": _iso(client.registered_on),
            "birth_year": client.birth_year,
            "age_group": _choice(client.age_group, meta.get_field("age_group").choices),
            "gender": _choice(client.gender, meta.get_field("gender").choices),
            "origin_province": ({"code": client.origin_province.code, "name": client.origin_province.name}
                                if client.origin_province else None),
            "is_minor": client.is_minor,
        },
        "case": {
            "status": _choice(client.status, meta.get_field("status").choices),
            "closed_on": _iso(client.closed_on),
            "close_reason": _choice(client.close_reason, meta.get_field("close_reason").choices),
        },
        "identity": {name: getattr(client, name) for name in IDENTITY_FIELDS},
        "identity_purged_at": _iso(client.identity_purged_at),
        "anonymised_at": _iso(client.anonymised_at),
        "consents": [_consent(c) for c in client.consents.prefetch_related("referral_agency_types")
                     .order_by("given_on", "pk")],
        "assessments": [_assessment(a) for a in client.assessments.order_by("assessed_on", "pk")],
        "services": [_service(s) for s in client.services.select_related(
            "service_type", "provider_agency__agency_type", "provider_agency__unit").order_by("delivered_on", "pk")],
        "referrals": [_referral(r) for r in client.referrals.select_related(
            "to_agency__agency_type", "to_agency__unit", "responded_by").order_by("sent_on", "pk")],
        "erasures": [
            {"kind": _choice(e.kind, e._meta.get_field("kind").choices), "performed_at": _iso(e.performed_at),
             "request_reference": e.request_reference}
            for e in client.erasures.order_by("performed_at", "pk")
        ],
        "access_log": [
            {"at": _iso(row.at), "user": _user(row.user), "record": str(row.content_type.model_class()._meta
                                                                         .verbose_name),
             "what": row.what, "endpoint": row.endpoint, "reason": row.reason}
            for row in client_access_log(client)
        ],
    }
    return record


# -- the exports ----------------------------------------------------------------------------------------------


def _check(client, user, reason) -> str:
    if not (user.has_perm("support.export_supportclient") and services.may_see_identity(user, client)):
        raise PermissionDenied(_("Chỉ cán bộ hỗ trợ của đơn vị quản lý hồ sơ mới được xuất dữ liệu của người được "
                                 "hỗ trợ."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do xuất dữ liệu (ví dụ: yêu cầu của người được hỗ trợ ngày "
                                           "…).")})
    return reason


def _export(client, *, user, reason, endpoint, what, build) -> bytes:
    reason = _check(client, user, reason)
    # The record is built before this export is logged: the file lists the accesses before it, and this export
    # is the one access it cannot list (it shows in the next export and in the access review). Logging is still
    # done before anything is returned, so no export leaves without its log entry.
    content = build(client_record(client))
    log_access(user=user, obj=client, what=what, endpoint=endpoint, reason=reason)
    return content


def export_json(client, *, user, reason: str, endpoint: str) -> bytes:
    """Everything held about the client as UTF-8 JSON; one access-log entry."""

    def build(record):
        document = {"exported_at": _iso(timezone.now()), "client": record}
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")

    return _export(client, user=user, reason=reason, endpoint=endpoint, what=_("Xuất toàn bộ dữ liệu (JSON)"),
                   build=build)


def export_docx(client, *, user, reason: str, endpoint: str) -> bytes:
    """Everything held about the client as a readable Vietnamese document; one access-log entry."""
    # The document is in Vietnamese whatever the interface language: it is handed to the person and the unit.
    with translation.override("vi"):
        return _export(client, user=user, reason=reason, endpoint=endpoint, what=_("Xuất toàn bộ dữ liệu (DOCX)"),
                       build=_docx)


# -- the DOCX document ------------------------------------------------------------------------------------------


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    if "T" in iso:
        return datetime.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        return value.get("label") or value.get("name") or ""
    return str(value)


def _set_font(style_or_run, size=None, bold=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style_or_run.font
    font.name = "Times New Roman"
    font.color.rgb = RGBColor(0, 0, 0)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    # Word takes the font of Vietnamese text from the East Asian and complex-script slots too.
    r_pr = style_or_run.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), "Times New Roman")


class _Document:
    def __init__(self):
        from docx import Document
        from docx.shared import Mm

        self.doc = Document()
        section = self.doc.sections[0]
        # Nghị định 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt.
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        _set_font(self.doc.styles["Normal"], size=13)
        for name, size in (("Title", 14), ("Heading 1", 13), ("Heading 2", 13)):
            _set_font(self.doc.styles[name], size=size, bold=True)

    def paragraph(self, text="", *, bold=False, italic=False, center=False, size=None):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def heading(self, text):
        return self.doc.add_heading(text, level=1)

    def table(self, header: list[str], rows: list[list[str]]):
        if not rows:
            self.paragraph(_("Không có."), italic=True)
            return
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text or ""
        self.doc.add_paragraph()

    def pairs(self, rows: list[tuple[str, str]]):
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = ""
            cells[0].paragraphs[0].add_run(label).bold = True
            cells[1].text = value or ""
        self.doc.add_paragraph()

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _masthead(doc: _Document, unit):
    """Top left the issuing body (the unit above in capitals, the unit in bold capitals), top right the national
    motto (Nghị định 30/2020/NĐ-CP)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = right.text = ""
    lines = [(unit.parent.name.upper(), False)] if unit.parent_id and unit.parent.level > 0 else []
    lines.append((unit.name.upper(), True))
    for index, (text, bold) in enumerate(lines):
        paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold
    paragraph = right.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    paragraph = right.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("Độc lập - Tự do - Hạnh phúc")
    run.bold = run.underline = True


def _docx(record: dict) -> bytes:
    from lanhmanh.geo.models import AdminUnit

    unit = AdminUnit.objects.select_related("parent").get(code=record["unit"]["code"])
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = _Document()
    _masthead(doc, unit)
    doc.paragraph()
    title = doc.doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_("THÔNG TIN CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ"))
    doc.paragraph(_("Mã hồ sơ: %(code)s") % {"code": record["code"]}, bold=True, center=True)
    doc.paragraph(_("Đơn vị lưu giữ: %(unit)s") % {"unit": record["unit"]["name"]}, center=True)
    doc.paragraph(_("Ngày xuất: %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}, italic=True,
                  center=True)
    doc.paragraph(_("Văn bản này liệt kê toàn bộ dữ liệu cá nhân mà %(unit)s đang lưu giữ về người được hỗ trợ có "
                    "mã hồ sơ trên, theo quyền được biết, được truy cập dữ liệu cá nhân của chủ thể dữ liệu (Nghị "
                    "định 13/2023/NĐ-CP, Luật Bảo vệ dữ liệu cá nhân). Người được hỗ trợ có quyền yêu cầu chỉnh "
                    "sửa, xóa hoặc ẩn danh hóa dữ liệu này.") % {"unit": record["unit"]["name"]})

    stats, case = record["statistics"], record["case"]
    doc.heading(_("1. Thông tin chung"))
    doc.pairs([
        (_label(SupportClient, "code"), record["code"]),
        (_("Đơn vị quản lý"), record["unit"]["name"]),
        (_label(SupportClient, "registered_on"), _dmy(stats["registered_on"])),
        (_label(SupportClient, "birth_year"), _text(stats["birth_year"])),
        (_label(SupportClient, "age_group"), _text(stats["age_group"])),
        (_label(SupportClient, "gender"), _text(stats["gender"])),
        (_label(SupportClient, "origin_province"), _text(stats["origin_province"])),
        (_label(SupportClient, "is_minor"), _("Có") if stats["is_minor"] else _("Không")),
        (_label(SupportClient, "status"), _text(case["status"])),
        (_label(SupportClient, "closed_on"), _dmy(case["closed_on"])),
        (_label(SupportClient, "close_reason"), _text(case["close_reason"])),
    ])

    doc.heading(_("2. Thông tin nhận dạng"))
    not_kept = _("(không lưu giữ)")
    doc.pairs([(_label(SupportClient, name), record["identity"][name] or not_kept)
               for name in IDENTITY_FIELDS])
    if record["identity_purged_at"]:
        doc.paragraph(_("Thông tin nhận dạng đã được xóa lúc %(at)s.") % {"at": _dmy(record["identity_purged_at"])})
    if record["anonymised_at"]:
        doc.paragraph(_("Hồ sơ đã được ẩn danh hóa lúc %(at)s.") % {"at": _dmy(record["anonymised_at"])})

    doc.heading(_("3. Sự đồng ý"))
    doc.table(
        [_("Ngày đồng ý"), _("Hình thức"), _("Người đồng ý"), _("Mục đích"), _("Được chuyển gửi đến"),
         _("Rút lại từ ngày"), _("Phiếu đã ký")],
        [[_dmy(c["given_on"]), _text(c["method"]), _text(c["given_by"]),
          "; ".join(p["label"] for p in c["purposes"]), "; ".join(t["name"] for t in c["referral_agency_types"]),
          " ".join(filter(None, [_dmy(c["withdrawn_on"]), c["withdrawal_note"]])),
          _("Có lưu bản quét") if c["signed_form_on_file"] else _("Không")]
         for c in record["consents"]],
    )

    doc.heading(_("4. Đánh giá nhu cầu"))
    doc.table([_("Ngày đánh giá"), _("Nhu cầu"), _("Ghi chú")],
              [[_dmy(a["assessed_on"]), "; ".join(n["label"] for n in a["needs"]) or _("Không có nhu cầu"),
                a["note"]] for a in record["assessments"]])

    doc.heading(_("5. Dịch vụ đã cung cấp"))
    doc.table([_("Ngày"), _("Dịch vụ"), _("Nơi cung cấp"), _("Kết quả"), _("Ghi chú")],
              [[_dmy(s["delivered_on"]), s["service_type"]["name"],
                _text(s["provider_agency"]) or s["provider_name"], _text(s["outcome"]),
                " ".join(filter(None, [s["note"], _("(qua chuyển gửi)") if s["referral_id"] else ""]))]
               for s in record["services"]])

    doc.heading(_("6. Chuyển gửi"))
    doc.table(
        [_("Ngày gửi"), _("Cơ quan nhận"), _("Tình trạng"), _("Lý do"), _("Thông tin đã chia sẻ"),
         _("Trả lời, kết quả")],
        [[_dmy(r["sent_on"]),
          _text(r["to_agency"]) + (" — " + _("bảo vệ trẻ em") if r["is_child_protection"] else ""),
          _text(r["status"]), r["reason"],
          "\n".join(f"{s['label']}: {s['value']}" if s["value"] else s["label"] for s in r["shared"]),
          "\n".join(filter(None, [
              _("Trả lời ngày %(date)s") % {"date": _dmy(r["responded_on"])} if r["responded_on"] else "",
              r["response_note"],
              _("Hoàn thành ngày %(date)s") % {"date": _dmy(r["completed_on"])} if r["completed_on"] else "",
              r["feedback"]]))]
         for r in record["referrals"]],
    )

    doc.heading(_("7. Các lần xóa dữ liệu"))
    doc.table([_("Loại"), _("Thời điểm"), _("Căn cứ")],
              [[_text(e["kind"]), _dmy(e["performed_at"]), e["request_reference"]] for e in record["erasures"]])

    doc.heading(_("8. Nhật ký truy cập dữ liệu"))
    doc.paragraph(_("Những lần thông tin nhận dạng hoặc toàn bộ dữ liệu của hồ sơ được xem, xuất ra (trước lần xuất "
                    "này)."), italic=True)
    doc.table([_("Thời điểm"), _("Người truy cập"), _("Dữ liệu được xem"), _("Lý do")],
              [[_dmy(a["at"]), a["user"]["full_name"] or a["user"]["username"], a["what"], a["reason"]]
               for a in record["access_log"]])
    return doc.save()
