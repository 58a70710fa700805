"""Demo reports: each period's reports opened for the demo provinces and their communes (as the daily task does
for the whole country); in demo.xa1's ward, the annual report drafted from its data for the officer to finish,
and the last finished month's police report drafted, submitted and approved by the city's leader (demo.lanhdao),
so every step of the flow has something to show."""

from django.utils import timezone

from lanhmanh.accounts.models import User
from lanhmanh.reporting import drafting, services, workflow
from lanhmanh.reporting.models import Report


def seed(ctx):
    today = timezone.localdate()
    counts = services.open_due_reports(today, within=[province.path for province in ctx.provinces])
    officer = User.objects.filter(username="demo.xa1").first()
    leader = User.objects.filter(username="demo.lanhdao").first()
    done = []
    if officer is not None and leader is not None:
        ward = officer.memberships.get().unit
        reports = Report.objects.filter(unit=ward).order_by("-period_end")
        annual = reports.filter(report_type__code="programme-year").first()
        if annual is not None:
            drafting.prepare(annual, officer)
            done.append("annual report drafted")
        month = reports.filter(report_type__code="police-month", period_end__lt=today).first()
        if month is not None:
            drafting.prepare(month, officer)
            month.refresh_from_db()
            month.signer_title = "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
            month.save(update_fields=["signer_title"])
            workflow.submit(month, officer, month.version)
            workflow.approve(month, leader, "Báo cáo đầy đủ số liệu.")
            done.append("last month's police report submitted and approved")
    ctx.log.append(f"Demo: {sum(counts.values())} periodic reports opened"
                   + (f"; in {ward.name}: {', '.join(done)}." if done else "."))
