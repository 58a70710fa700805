"""Ad-hoc reports (báo cáo đột xuất): a province asks its communes for a report on a period of its choosing — the
service, the page and the API."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.indicators import periods
from lanhmanh.reporting import services
from lanhmanh.reporting.models import Report, ReportType

TITLE = "Báo cáo đột xuất tình hình tụ điểm mại dâm trên địa bàn"


@pytest.fixture
def ad_hoc(db):
    return ReportType.objects.get(code="ad-hoc")


def dates():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today - datetime.timedelta(days=1), today + datetime.timedelta(days=7)


def dmy(day):
    return day.strftime("%d/%m/%Y")


def test_a_province_opens_a_report_for_each_of_its_communes(people, ad_hoc):
    start, end, deadline = dates()
    assert services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.province_officer) == 2
    reports = Report.objects.filter(report_type=ad_hoc).order_by("unit__code")
    assert [r.unit.code for r in reports] == ["11311", "11329"]  # the province itself asks, it does not report
    label = periods.custom(start, end).label
    for report in reports:
        assert (report.period_start, report.period_end, report.period_label) == (start, end, label)
        assert (report.deadline, report.title, report.status) == (deadline, TITLE, "draft")
        assert report.created_by == people.province_officer
    assert label == f"Từ {dmy(start)} đến {dmy(end)}"


def test_opening_twice_opens_nothing_more(people, ad_hoc):
    start, end, deadline = dates()
    services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.province_officer)
    assert services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.province_officer) == 0
    AdminUnitFactory(code="11330", name="Phường Mới", level=3, parent=people.province)
    assert services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.province_officer) == 1
    assert Report.objects.filter(report_type=ad_hoc).count() == 3
    # Another period is another report.
    assert services.open_ad_hoc(ad_hoc, people.province, start, end - datetime.timedelta(days=1), deadline, TITLE,
                                people.province_officer) == 3


def test_queries_do_not_grow_with_the_units(people, ad_hoc):
    start, end, deadline = dates()

    def open_ending(days_before):
        return lambda: services.open_ad_hoc(ad_hoc, people.province, start, end - datetime.timedelta(days=days_before),
                                            deadline, TITLE, people.province_officer)

    open_ending(0)()  # the user's memberships are read once
    few = count_queries(open_ending(1))
    for n in range(5):
        AdminUnitFactory(code=f"1140{n}", level=3, parent=people.province)
    assert count_queries(open_ending(2)) == few
    assert Report.objects.filter(report_type=ad_hoc).count() == 2 + 2 + 7


def test_a_commune_officer_may_not_ask(people, ad_hoc):
    start, end, deadline = dates()
    with pytest.raises(PermissionDenied):
        services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.officer_a)
    # At their own commune they may add reports, but a commune asks no one.
    with pytest.raises(ValidationError) as exc:
        services.open_ad_hoc(ad_hoc, people.commune_a, start, end, deadline, TITLE, people.officer_a)
    assert "unit" in exc.value.message_dict
    assert not Report.objects.filter(report_type=ad_hoc).exists()


def test_bad_dates_and_types_are_refused_in_vietnamese(people, ad_hoc):
    start, end, deadline = dates()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.open_ad_hoc(ad_hoc, people.province, end, start, deadline, TITLE, people.province_officer)
    assert exc.value.message_dict["end"] == ["Ngày cuối kỳ báo cáo phải từ ngày đầu kỳ trở đi."]
    with pytest.raises(ValidationError) as exc:
        services.open_ad_hoc(ad_hoc, people.province, start, end, today - datetime.timedelta(days=1), TITLE,
                             people.province_officer)
    assert exc.value.message_dict["deadline"] == ["Hạn nộp không được trước ngày hôm nay."]
    with pytest.raises(ValidationError) as exc:
        services.open_ad_hoc(ad_hoc, people.province, today, today, today, TITLE, people.province_officer)
    assert exc.value.message_dict["deadline"] == ["Hạn nộp phải sau ngày cuối kỳ báo cáo."]
    half = ReportType.objects.get(code="programme-half")
    with pytest.raises(ValidationError) as exc:
        services.open_ad_hoc(half, people.province, start, end, deadline, " ", people.province_officer)
    assert set(exc.value.message_dict) == {"report_type", "title"}
    assert not Report.objects.exists()


class TestPage:
    def test_the_province_asks_from_the_form(self, client, people, ad_hoc):
        login_verified(client, people.province_officer)
        completeness = client.get(reverse("reporting:completeness")).content.decode()
        assert reverse("reporting:report_adhoc") in completeness
        page = client.get(reverse("reporting:report_adhoc"))
        assert page.status_code == 200
        form = page.context["form"]
        assert list(form.fields["report_type"].queryset) == [ad_hoc]
        assert list(form.fields["unit"].queryset) == [people.province]
        start, end, deadline = dates()
        response = client.post(reverse("reporting:report_adhoc"), {
            "report_type": "ad-hoc", "unit": people.province.code, "start": dmy(start), "end": dmy(end),
            "deadline": dmy(deadline), "title": TITLE}, follow=True)
        assert response.redirect_chain[-1][0].startswith(f"{reverse('reporting:completeness')}?type=ad-hoc&")
        body = response.content.decode()
        assert "Đã mở 2 báo cáo đột xuất" in body
        assert Report.objects.filter(report_type=ad_hoc, title=TITLE, deadline=deadline).count() == 2
        # The completeness page follows the request: both communes asked, none submitted yet.
        assert (response.context["period"].start, response.context["period"].end) == (start, end)
        assert [row["unit"].code for row in response.context["rows"]] == ["11311", "11329"]
        assert response.context["summary"]["total"] == 2 and response.context["summary"]["submitted"] == 0
        assert TITLE in body.split('data-testid="adhoc-requests"')[1]

    def test_the_completeness_page_lists_the_years_requests(self, client, people, ad_hoc):
        start, end, deadline = dates()
        services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.province_officer)
        login_verified(client, people.province_officer)
        listed = client.get(reverse("reporting:completeness"), {"type": "ad-hoc", "year": start.year,
                                                               "unit": people.province.code})
        assert listed.status_code == 200 and "rows" not in listed.context  # a request is chosen from the list
        assert [(r["start"], r["end"], r["title"], r["reports"]) for r in listed.context["requests"]] == [
            (start, end, TITLE, 2)]
        # The link to the request (years are not grouped like amounts: "2026", not "2.026") shows its table.
        link = re.search(r'href="(\?type=ad-hoc[^"]*)"', listed.content.decode()).group(1).replace("&amp;", "&")
        assert f"year={start.year}&" in link and f"năm {start.year} " in listed.content.decode()
        followed = client.get(reverse("reporting:completeness") + link)
        assert [row["unit"].code for row in followed.context["rows"]] == ["11311", "11329"]
        # A commune that retitles its own report does not rename the request.
        Report.objects.filter(report_type=ad_hoc, unit=people.commune_a).update(title="Báo cáo của xã",
                                                                                updated_by=people.officer_a)
        again = client.get(reverse("reporting:completeness"), {"type": "ad-hoc", "year": start.year,
                                                              "unit": people.province.code})
        assert [(r["title"], r["reports"]) for r in again.context["requests"]] == [(TITLE, 2)]
        other_year = client.get(reverse("reporting:completeness"), {"type": "ad-hoc", "year": start.year - 1,
                                                                   "unit": people.province.code})
        assert other_year.context["requests"] == []
        assert "Chưa có yêu cầu báo cáo đột xuất nào trong năm." in other_year.content.decode()
        # A period nobody asked for shows no table.
        unknown = client.get(reverse("reporting:completeness"), {
            "type": "ad-hoc", "year": start.year, "unit": people.province.code, "start": start.isoformat(),
            "end": (end + datetime.timedelta(days=1)).isoformat()})
        assert "rows" not in unknown.context

    def test_errors_stay_on_the_form(self, client, people, ad_hoc):
        login_verified(client, people.province_officer)
        start, end, _deadline = dates()
        response = client.post(reverse("reporting:report_adhoc"), {
            "report_type": "ad-hoc", "unit": people.province.code, "start": dmy(end), "end": dmy(start),
            "deadline": dmy(start), "title": TITLE})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["end"] == ["Ngày cuối kỳ báo cáo phải từ ngày đầu kỳ trở đi."]
        assert errors["deadline"] == ["Hạn nộp không được trước ngày hôm nay."]
        assert not Report.objects.filter(report_type=ad_hoc).exists()

    def test_a_commune_officer_is_refused(self, client, people, ad_hoc):
        login_verified(client, people.officer_a)
        assert client.get(reverse("reporting:report_adhoc")).status_code == 403
        assert reverse("reporting:report_adhoc") not in client.get(reverse("reporting:completeness")).content.decode()
        start, end, deadline = dates()
        response = client.post(reverse("reporting:report_adhoc"), {
            "report_type": "ad-hoc", "unit": people.province.code, "start": dmy(start), "end": dmy(end),
            "deadline": dmy(deadline), "title": TITLE})
        assert response.status_code == 403
        assert not Report.objects.filter(report_type=ad_hoc).exists()


class TestApi:
    URL = "/api/reports/ad-hoc/"

    def body(self, unit, **changes):
        start, end, deadline = dates()
        return {"report_type": "ad-hoc", "unit": unit.code, "start": start.isoformat(), "end": end.isoformat(),
                "deadline": deadline.isoformat(), "title": TITLE, **changes}

    def test_opens_and_counts(self, client, people, ad_hoc):
        login_verified(client, people.province_officer)
        response = client.post(self.URL, self.body(people.province), content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json() == {"opened": 2}
        again = client.post(self.URL, self.body(people.province), content_type="application/json")
        assert again.status_code == 201 and again.json() == {"opened": 0}

    def test_refuses_a_commune_officer_and_bad_dates(self, client, people, ad_hoc):
        login_verified(client, people.officer_a)
        assert client.post(self.URL, self.body(people.province), content_type="application/json").status_code == 403
        login_verified(client, people.province_officer)
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        response = client.post(self.URL, self.body(people.province, deadline=yesterday),
                               content_type="application/json")
        assert response.status_code == 400
        assert response.json()["deadline"] == ["Hạn nộp không được trước ngày hôm nay."]
        assert not Report.objects.filter(report_type=ad_hoc).exists()

    def test_completeness_of_a_request(self, client, people, ad_hoc):
        start, end, deadline = dates()
        services.open_ad_hoc(ad_hoc, people.province, start, end, deadline, TITLE, people.province_officer)
        login_verified(client, people.province_officer)
        url = "/api/report-completeness/"
        query = {"type": "ad-hoc", "year": start.year, "unit": people.province.code}
        listed = client.get(url, query).json()
        assert listed["requests"] == [{"start": start.isoformat(), "end": end.isoformat(), "title": TITLE,
                                       "reports": 2}]
        found = client.get(url, {**query, "start": start.isoformat(), "end": end.isoformat()}).json()
        assert found["period"]["label"] == TITLE and found["summary"]["total"] == 2
        assert [(row["unit"], row["status"]) for row in found["rows"]] == [("11311", "draft"), ("11329", "draft")]
        unknown = client.get(url, {**query, "start": end.isoformat(), "end": end.isoformat()})
        assert unknown.status_code == 400 and "start" in unknown.json()
