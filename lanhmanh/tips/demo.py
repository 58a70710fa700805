"""Demo tips over the last ten months for every detailed commune: hotline, mailbox and web tips about the registry's
businesses, most handled on time, a few late, some open (one or two overdue so the queue shows red), a transfer
between communes, a duplicate merged and an extension. Contents are invented; no reporter is named: demo
reporters are anonymous, or have an obviously fake contact."""

import datetime

from django.utils import timezone

from lanhmanh.accounts.models import User
from lanhmanh.businesses.models import Business
from lanhmanh.geo.models import Agency
from lanhmanh.tips import services
from lanhmanh.tips.models import Tip, TipKind, TipSubject

WINDOW_DAYS = 300
CONTENTS = [
    ("business-prostitution", TipKind.VIOLATION, "Người dân phản ánh quán {name} hoạt động quá giờ, có dấu hiệu "
     "nhân viên nữ đi khách."),
    ("harbouring", TipKind.CRIME, "Tố giác cơ sở {name} cho thuê phòng để mua bán dâm, khách ra vào nhiều về đêm."),
    ("brokering", TipKind.CRIME, "Tin báo có người môi giới mại dâm qua điện thoại gần {name}."),
    ("online", TipKind.VIOLATION, "Phản ánh tài khoản mạng xã hội rao bán dâm, hẹn gặp tại khu vực {name}."),
    ("business-conditions", TipKind.VIOLATION, "Cơ sở {name} không niêm yết giờ hoạt động, phòng hát có khóa "
     "trong."),
    ("public-soliciting", TipKind.PETITION, "Kiến nghị tăng cường tuần tra khu vực gần {name} vào buổi tối."),
    ("other", TipKind.COMPLAINT, "Khiếu nại việc xử lý phản ánh trước đây về cơ sở {name} chưa thỏa đáng."),
]
CHANNELS = [Tip.Channel.HOTLINE] * 4 + [Tip.Channel.MAILBOX] * 2 + [Tip.Channel.WEB] * 2 + [
    Tip.Channel.IN_PERSON, Tip.Channel.LETTER, Tip.Channel.MEDIA]


def seed(ctx):
    rng = ctx.rng
    now = timezone.now()
    today = timezone.localdate()
    subjects = {s.code: s for s in TipSubject.objects.all()}
    actor = User.objects.filter(is_superuser=False).order_by("pk").first()
    counts = {"tips": 0, "open": 0, "late": 0, "transfers": 0}
    communes = ctx.detailed_communes
    for index, commune in enumerate(communes):
        businesses = list(Business.objects.filter(unit=commune).order_by("pk")[:40])
        police = Agency.objects.filter(unit=commune, agency_type__code="police").first()
        for _ in range(rng.randint(5, 9)):
            code, kind, text = rng.choice(CONTENTS)
            business = rng.choice(businesses) if businesses and rng.random() < 0.8 else None
            received = now - datetime.timedelta(days=rng.randint(0, WINDOW_DAYS), hours=rng.randint(0, 12))
            channel = rng.choice(CHANNELS)
            anonymous = rng.random() < 0.7
            tip = Tip(unit=commune, channel=channel, received_at=received, kind=kind, subject=subjects.get(code),
                      business=business, address=business.address if business else "",
                      content=text.format(name=business.name if business else "trên địa bàn"),
                      reporter_anonymous=anonymous, reporter_contact="" if anonymous else "09xx xxx xxx (demo)",
                      assigned_agency=police, created_by=actor)
            tip._change_reason = "Dữ liệu mẫu"
            tip.save()
            counts["tips"] += 1
            _handle(rng, tip, today, actor, counts)
        if index + 1 < len(communes) and rng.random() < 0.5:
            # A tip received here about the neighbouring commune, transferred on.
            tip = Tip(unit=commune, channel=Tip.Channel.HOTLINE, received_at=now - datetime.timedelta(days=3),
                      kind=TipKind.VIOLATION, subject=subjects.get("business-prostitution"),
                      content="Phản ánh cơ sở lưu trú ở phường bên cạnh có dấu hiệu chứa mại dâm.")
            tip.save()
            services.transfer(tip, to_unit=communes[index + 1], reason="Sự việc xảy ra trên địa bàn đơn vị khác",
                              user=actor)
            counts["tips"] += 1
            counts["transfers"] += 1
    ctx.log.append(f"Demo: {counts['tips']} tips ({counts['open']} open, {counts['late']} handled late, "
                   f"{counts['transfers']} transferred between communes).")


def _handle(rng, tip, today, actor, counts):
    """Most tips are settled within their deadline; some late; recent ones still open."""
    if tip.deadline is None:
        return
    age = (today - tip.received_on).days
    if age < 12 or rng.random() < 0.08:
        if rng.random() < 0.6:
            services.start_verifying(tip, user=actor)
        if tip.kind == TipKind.CRIME and rng.random() < 0.3 and tip.is_open:
            services.extend(tip, days=30, reason="Vụ việc phức tạp, cần xác minh tại nhiều địa điểm",
                            decided_by="Thủ trưởng cơ quan điều tra", user=actor)
        counts["open"] += 1
        return
    services.start_verifying(tip, user=actor)
    late = rng.random() < 0.1
    span = (tip.deadline - tip.received_on).days
    day = tip.received_on + datetime.timedelta(days=span + rng.randint(1, 10) if late else rng.randint(2, span))
    day = min(day, today)
    counts["late"] += day > tip.deadline
    if rng.random() < 0.55:
        services.conclude(tip, status=Tip.Status.HANDLED, outcome=Tip.Outcome.CONFIRMED, on=day, user=actor,
                          note="Đã kiểm tra, lập biên bản nhắc nhở chủ cơ sở; Đội kiểm tra liên ngành theo dõi.")
    else:
        services.conclude(tip, status=Tip.Status.NOT_CONFIRMED, on=day, user=actor,
                          note="Đã xác minh, chưa phát hiện hoạt động mại dâm; tiếp tục nắm tình hình.")
