"""`manage.py bench`: the indicator engine on the national data set, on PostgreSQL. One JSON line per figure, each
the median of `--repeat` runs after a warm-up run, with the number of SQL queries:

- database: whether the data set had to be settled first (VACUUM ANALYZE, when never vacuumed since loaded);
- nation_by_province / nation_by_commune: every registered indicator for the nation, by province or by commune;
- commune_dashboard: one commune's dashboard page, through Django's test client, as the commune's officer;
- hand_sql_5 / engine_5 / engine_vs_sql: five indicators by province by hand-written SQL and by the engine, that
  both give the same numbers, and the ratio of their times;
- engine_query_counts: the engine's queries for the same request over data of different sizes (a year, a month,
  one province), which must be the same;
- commune_report_docx: a commune's six-month report drafted from the data (figures, last year, targets, sentences)
  and rendered to DOCX; province_report_docx: its province's report consolidated over all its communes (their
  approved reports' frozen figures, completeness) and rendered to DOCX. Made in a transaction rolled back."""

import contextlib
import datetime
import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

TARGETS_MS = {"nation_by_province": 1000, "nation_by_commune": 3000, "commune_dashboard": 200,
              "commune_report_docx": 1000, "province_report_docx": 5000}
TARGET_RATIO = 1.5
BENCH_USER = "bench.xa"
BENCH_POSITION = "Benchmark"


@contextlib.contextmanager
def bench_user(commune):
    """A programme officer of `commune` for the measured requests, that leaves nothing behind: it is created in a
    transaction rolled back at the end (with its membership, its history rows and its session). A user left by an
    earlier version of this command (which kept it) is removed first."""
    from django.db.models import ProtectedError

    from lanhmanh.accounts.models import Membership, User
    from lanhmanh.accounts.roles import Role

    leftovers = User.objects.filter(username=BENCH_USER, position=BENCH_POSITION)
    Membership.objects.filter(user__in=leftovers).delete()
    try:
        leftovers.delete()
    except ProtectedError:  # referenced by an append-only log: keep the row, without access
        leftovers.update(is_active=False)
    with transaction.atomic():
        user, _created = User.objects.get_or_create(username=BENCH_USER, defaults={
            "full_name": "Cán bộ xã (benchmark)", "position": BENCH_POSITION})
        Membership.objects.get_or_create(user=user, unit=commune, role=Role.PROGRAMME_OFFICER)
        try:
            yield user
        finally:
            transaction.set_rollback(True)


def timed(fn, repeat: int):
    """(median ms, min ms, queries, last result) of `repeat` runs of fn() after one warm-up run. Queries are counted
    by an execute wrapper (a request through the test client resets connection.queries)."""
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = fn()
    times = []
    for _i in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times), min(times), len(executed), result


class Command(BaseCommand):
    help = "Benchmarks the indicator engine and a dashboard on the national data set (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--commune", help="Code of the commune whose dashboard is measured (default: the "
                                              "commune with the most businesses).")

    def emit(self, **figure):
        self.stdout.write(json.dumps(figure, ensure_ascii=False))

    def handle(self, *args, repeat, year, commune, **options):
        from lanhmanh.core.models import SeedRun
        from lanhmanh.geo.models import AdminUnit
        from lanhmanh.indicators import engine, periods
        from lanhmanh.indicators.registry import registry
        from lanhmanh.inspections.models import InspectionVisit

        if connection.vendor != "postgresql":
            raise CommandError(
                f"manage.py bench measures PostgreSQL only, and this database is {connection.vendor}: set "
                "DATABASE_URL=postgres://… and load the national data set (seed_demo --scale national).")
        if not SeedRun.objects.filter(scale="national").exists() or not InspectionVisit.objects.exists():
            raise CommandError("The national data set is missing: run `manage.py seed_demo --scale national` first.")
        repeat = max(1, repeat)
        self.settle()
        nation = AdminUnit.objects.get(level=AdminUnit.Level.NATION)
        period = periods.year(year)
        codes = [indicator.code for indicator in registry.all()]

        for figure, by in (("nation_by_province", "children"), ("nation_by_commune", "communes")):
            median, fastest, queries, result = timed(lambda by=by: engine.compute(codes, nation, period, by=by), repeat)
            target = TARGETS_MS[figure]
            self.emit(figure=figure, indicators=len(codes), units=len(result.by_unit()), median_ms=round(median, 1),
                      min_ms=round(fastest, 1), queries=queries, target_ms=target, ok=median < target)

        self.dashboard(commune, repeat)
        self.hand_sql(nation, period, repeat)

        # The same request over less data: a month of the nation, a year of one province.
        province = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by("code").first()
        counts = {}
        for label, unit, window in (("nation_year", nation, period), ("nation_month", nation, periods.month(year, 1)),
                                    ("province_year", province, period)):
            with CaptureQueriesContext(connection) as captured:
                engine.compute(codes, unit, window, by="children")
            counts[label] = len(captured.captured_queries)
        self.emit(figure="engine_query_counts", indicators=len(codes), queries=counts,
                  ok=len(set(counts.values())) == 1)
        self.reports(commune, year, repeat)

    def settle(self):
        """A data set never vacuumed since it was loaded (no visibility map: no index-only reads) is settled first,
        as autovacuum would leave it; the line says whether that was done."""
        from lanhmanh.benchmarks.national import settle

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_user_tables WHERE relname = %s "
                           "AND (last_vacuum IS NOT NULL OR last_autovacuum IS NOT NULL)",
                           ["inspections_inspectionvisit"])
            settled = cursor.fetchone()[0] > 0
        if not settled:
            settle()
        self.emit(figure="database", vacuumed_now=not settled)

    def reports(self, code, year, repeat):
        """Drafting and rendering reports: a commune's, then its province's consolidated over its communes, whose
        reports are all approved (their figures frozen) for the measure. Nothing is kept."""
        from django.utils import timezone

        from lanhmanh.geo.models import AdminUnit
        from lanhmanh.indicators import periods
        from lanhmanh.reporting import documents, drafting
        from lanhmanh.reporting.models import Report, ReportStatus, ReportType, ReportVersion

        report_type = ReportType.objects.get(code="programme-half")
        period = periods.cutoff_half(year)
        commune = AdminUnit.objects.get(code=code) if code else self.busiest_commune()
        province = commune.parent
        today = min(timezone.localdate(), period.end)

        def draft_and_render(report):
            report.figures = drafting.compute_figures(report, today=today)
            drafting.start_narrative(report)
            return documents.render_docx(report)

        def consolidate_and_render(report):
            # An upper unit's figures are consolidated from its communes' approved reports (drafting).
            report.figures = drafting.compute_figures(report, today=today)
            drafting.start_narrative(report)
            return report.figures["consolidation"], documents.render_docx(report)

        with transaction.atomic():
            def make(unit):
                return Report.objects.create(
                    unit=unit, report_type=report_type, year=year, period_start=period.start, period_end=period.end,
                    period_label=period.label, deadline=period.end + datetime.timedelta(days=1))

            Report.objects.filter(report_type=report_type, period_start=period.start, period_end=period.end,
                                  unit__in=[commune, province]).delete()
            commune_report = make(commune)
            median, fastest, queries, content = timed(lambda: draft_and_render(commune_report), repeat)
            target = TARGETS_MS["commune_report_docx"]
            self.emit(figure="commune_report_docx", unit=commune.code, bytes=len(content),
                      median_ms=round(median, 1), min_ms=round(fastest, 1), queries=queries, target_ms=target,
                      ok=median < target)

            # Every commune of the province has an approved report with frozen figures (as many as the province
            # has communes), computed once outside the measure.
            communes = list(AdminUnit.objects.current().filter(parent=province, level=AdminUnit.Level.COMMUNE))
            frozen = drafting.compute_figures(commune_report, today=today)
            now = timezone.now()
            existing = set(Report.objects.filter(report_type=report_type, period_start=period.start,
                                                 period_end=period.end).values_list("unit_id", flat=True))
            created = Report.objects.bulk_create([
                Report(unit=unit, report_type=report_type, year=year, period_start=period.start,
                       period_end=period.end, period_label=period.label, deadline=period.end,
                       status=ReportStatus.APPROVED, submitted_at=now, approved_at=now, figures=frozen)
                for unit in communes if unit.pk not in existing])
            ReportVersion.objects.bulk_create([
                ReportVersion(report=report, number=1, submitted_at=now, figures=frozen) for report in created])
            province_report = make(province)
            median, fastest, queries, (consolidated, content) = timed(
                lambda: consolidate_and_render(province_report), repeat)
            target = TARGETS_MS["province_report_docx"]
            self.emit(figure="province_report_docx", unit=province.code, communes=len(communes), bytes=len(content),
                      completeness=consolidated.get("completeness_line"), median_ms=round(median, 1),
                      min_ms=round(fastest, 1), queries=queries, target_ms=target, ok=median < target)
            transaction.set_rollback(True)

    def busiest_commune(self):
        from django.db.models import Count

        from lanhmanh.businesses.models import Business
        from lanhmanh.geo.models import AdminUnit

        busiest = Business.objects.order_by().values("unit").annotate(n=Count("pk")).order_by("-n", "unit").first()
        return AdminUnit.objects.get(pk=busiest["unit"])

    def dashboard(self, code, repeat):
        from django.conf import settings
        from django.db.models import Count
        from django.test import Client, override_settings
        from django.urls import NoReverseMatch, reverse

        from lanhmanh.businesses.models import Business
        from lanhmanh.geo.models import AdminUnit

        if code:
            commune = AdminUnit.objects.get(code=code, level=AdminUnit.Level.COMMUNE)
        else:
            busiest = (Business.objects.order_by().values("unit").annotate(n=Count("pk")).order_by("-n", "unit")
                       .first())
            commune = AdminUnit.objects.get(pk=busiest["unit"])
        try:
            url = reverse("dashboards:unit", kwargs={"code": commune.code})
        except NoReverseMatch:
            self.emit(figure="commune_dashboard", skipped="dashboard page not available",
                      target_ms=TARGETS_MS["commune_dashboard"])
            return
        # Static files by name (no collectstatic manifest needed): the page's own work is what is measured.
        storages = {**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        with bench_user(commune) as user, override_settings(
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=storages):
            client = Client(raise_request_exception=False)
            client.force_login(user)
            median, fastest, queries, response = timed(lambda: client.get(url, secure=True), repeat)
        target = TARGETS_MS["commune_dashboard"]
        self.emit(figure="commune_dashboard", unit=commune.code, status=response.status_code,
                  median_ms=round(median, 1), min_ms=round(fastest, 1), queries=queries, target_ms=target,
                  ok=response.status_code == 200 and median < target)

    def hand_sql(self, nation, period, repeat):
        from lanhmanh.benchmarks import handsql
        from lanhmanh.indicators import engine
        from lanhmanh.indicators.models import AggregateDeclaration

        sql_ms, sql_min, sql_queries, sql = timed(lambda: handsql.compute(nation, period), repeat)
        eng_ms, eng_min, eng_queries, result = timed(
            lambda: engine.compute(handsql.CODES, nation, period, by="children"), repeat)
        diff = handsql.differences(handsql.from_engine(result), sql)
        equal = not diff
        self.emit(figure="hand_sql_5", indicators=len(handsql.CODES), codes=handsql.CODES, median_ms=round(sql_ms, 1),
                  min_ms=round(sql_min, 1), queries=sql_queries, values=len(sql), equal_to_engine=equal,
                  **({"differences": [list(map(str, d)) for d in diff[:5]]} if diff else {}),
                  **({"note": "units report aggregates: the hand SQL ignores them"}
                     if AggregateDeclaration.objects.exists() else {}))
        self.emit(figure="engine_5", indicators=len(handsql.CODES), median_ms=round(eng_ms, 1),
                  min_ms=round(eng_min, 1), queries=eng_queries)
        ratio = eng_ms / sql_ms if sql_ms else None
        self.emit(figure="engine_vs_sql", ratio=round(ratio, 2) if ratio else None, target_ratio=TARGET_RATIO,
                  equal=equal, ok=equal and ratio is not None and ratio <= TARGET_RATIO)
