"""The report types every deployment starts with (administrators may change them): the programme's 6-month and annual
reports (seed 002: before 15/6 and 15/12), the police's monthly, quarterly and annual reports (seed 003), and
ad-hoc reports. All use the Nghị định 09/2019 cut-off windows; levels: 1 province, 3 commune."""

from django.db import migrations

PROGRAMME = [
    "BUS_MANAGED", "BUS_COMMITMENT_PCT", "BUS_REVIEWED_PCT", "INSP_SESSIONS", "INSP_VISITS", "INSP_COVERAGE_PCT",
    "INSP_REMINDERS", "INSP_SUSPENSIONS", "INSP_FINES_VND", "TIPS_RECEIVED", "TIPS_ON_TIME_PCT", "CASES_CRIMINAL",
    "PEOPLE_ARRESTED", "PEOPLE_PROSECUTED", "PEOPLE_FINED_ADMIN", "COMM_ACTIVITIES", "COMM_PARTICIPANTS",
    "COMM_COMMUNES_PCT", "COMM_RESGROUPS_PCT", "REACH_STUDENTS_PCT", "REACH_RISK_WORKERS_PCT", "REACH_IZ_WORKERS_PCT",
    "STAFF_TRAINED_PCT", "MODELS_ACTIVE", "SUPPORT_IN_NEED", "SUPPORT_REACHED_PCT", "BUDGET_ALLOCATED_VND",
    "BUDGET_SPENT_VND", "BUDGET_EXECUTION_PCT",
]
POLICE = ["INSP_SESSIONS", "INSP_VISITS", "INSP_SUSPENSIONS", "TIPS_RECEIVED", "TIPS_ON_TIME_PCT", "CASES_CRIMINAL",
          "PEOPLE_ARRESTED", "PEOPLE_PROSECUTED", "PEOPLE_FINED_ADMIN"]
TYPES = [
    ("programme-half", "Báo cáo 6 tháng công tác phòng, chống mại dâm", "half", 15, 0, PROGRAMME, True),
    ("programme-year", "Báo cáo năm công tác phòng, chống mại dâm", "year", 15, 0, PROGRAMME, True),
    ("police-month", "Báo cáo tháng của Công an về phòng, chống tội phạm mại dâm", "month", 17, 0, POLICE, False),
    ("police-quarter", "Báo cáo quý của Công an về phòng, chống tội phạm mại dâm", "quarter", 17, 0, POLICE, False),
    ("police-year", "Báo cáo năm của Công an về phòng, chống tội phạm mại dâm", "year", 17, 0, POLICE, False),
    ("ad-hoc", "Báo cáo đột xuất", "ad_hoc", 15, 0, PROGRAMME, False),
]


def create(apps, schema_editor):
    ReportType = apps.get_model("reporting", "ReportType")
    for code, name, rule, day, months, indicators, charts in TYPES:
        ReportType.objects.get_or_create(code=code, defaults={
            "name": name, "period_rule": rule, "cutoff": True, "deadline_day": day,
            "deadline_months_after_end": months, "submitting_levels": [1, 3], "indicators": indicators,
            "with_charts": charts,
        })


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
