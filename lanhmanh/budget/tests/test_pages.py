"""Recording allocations and expenditures through the web pages, and the execution page a leader reads."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source
from lanhmanh.budget.tests.factories import BudgetAllocationFactory, ExpenditureFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.tests.factories import AdminUnitFactory

D = datetime.date
EXECUTION = reverse("budget:execution")
ALLOCATION_ADD = reverse("budget:budgetallocation_add")
EXPENDITURE_ADD = reverse("budget:expenditure_add")


def cell(page: str, row: str, value: str) -> str:
    """The text of one cell of the execution tables: row `row`, column `value`."""
    part = page.split(f'data-row="{row}"')[1].split("</tr>")[0]
    match = re.search(rf'data-value="{value}">(.*?)</td>', part, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_officer_records_an_allocation_typed_as_in_the_decision(client, people):
    client.force_login(people.officer_a)
    form = client.get(ALLOCATION_ADD).content.decode()
    assert f'value="{people.commune_a.pk}" selected' in form  # their only commune is pre-chosen
    assert f'value="{timezone.localdate().year}"' in form
    response = client.post(
        ALLOCATION_ADD,
        {
            "unit": people.commune_a.pk,
            "year": "2026",
            "source": "state_budget",
            "purpose": "communication",
            "amount": "25.000.000 đ",
            "decision_number": "125/QĐ-UBND",
            "decision_date": "20/12/2025",
        },
    )
    line = BudgetAllocation.objects.get()
    assert response["Location"] == line.get_absolute_url()
    assert (line.amount, line.decision_date, line.created_by) == (25_000_000, D(2025, 12, 20), people.officer_a)

    page = client.get(line.get_absolute_url()).content.decode()
    assert "Dự toán 2026 · Thông tin, tuyên truyền · Ngân sách nhà nước của cấp" in page
    assert "25.000.000 đ" in page and "20/12/2025" in page and "2.026" not in page
    assert "Tạo mới" in page  # history

    again = client.post(
        ALLOCATION_ADD,
        {
            "unit": people.commune_a.pk,
            "year": "2026",
            "source": "state_budget",
            "purpose": "communication",
            "amount": "5.000.000",
        },
    ).content.decode()
    assert again.count("Phường Hồng Bàng đã có dự toán năm 2026") == 1
    assert BudgetAllocation.objects.count() == 1


def test_an_edit_from_a_stale_form_is_refused(client, people):
    line = BudgetAllocationFactory(unit=people.commune_a, year=2026, amount=10_000_000)
    client.force_login(people.officer_a)
    url = reverse("budget:budgetallocation_edit", args=[line.pk])
    data = {
        "unit": people.commune_a.pk,
        "year": "2026",
        "source": line.source,
        "purpose": line.purpose,
        "amount": "12.000.000",
        "expected_version": "1",
    }
    assert client.post(url, data).status_code == 302
    page = client.post(url, {**data, "amount": "15.000.000"}).content.decode()
    assert "Thay đổi của bạn CHƯA được lưu" in page
    line.refresh_from_db()
    assert (line.amount, line.version) == (12_000_000, 2)


def test_officer_records_a_payment_and_the_list_shows_it(client, people):
    client.force_login(people.officer_a)
    response = client.post(
        EXPENDITURE_ADD,
        {
            "unit": people.commune_a.pk,
            "spent_on": "12/03/2026",
            "source": "state_budget",
            "purpose": "office",
            "amount": "1.250.000",
            "description": "Xăng xe đi kiểm tra liên ngành tháng 3",
            "voucher_number": "PC-07",
        },
    )
    payment = Expenditure.objects.get()
    assert response["Location"] == payment.get_absolute_url()
    assert (payment.amount, payment.spent_on, payment.purpose) == (1_250_000, D(2026, 3, 12), Purpose.OFFICE)
    listing = client.get(reverse("budget:expenditure_list")).content.decode()
    assert "Xăng xe đi kiểm tra liên ngành tháng 3" in listing and "1.250.000" in listing
    assert f'href="{EXECUTION}"' in listing
    page = client.get(payment.get_absolute_url()).content.decode()
    assert "1.250.000 đ" in page and "12/03/2026" in page and "Văn phòng phẩm, xăng xe, công tác phí" in page


def test_the_form_explains_the_rules_in_vietnamese(client, people):
    client.force_login(people.officer_a)
    page = client.post(
        EXPENDITURE_ADD,
        {
            "unit": people.commune_a.pk,
            "spent_on": "12/03/2099",
            "source": "state_budget",
            "purpose": "office",
            "amount": "0",
            "description": "Văn phòng phẩm",
        },
    ).content.decode()
    assert "Ngày chi không thể sau hôm nay." in page and "Số tiền chi phải lớn hơn 0." in page
    page = client.post(
        EXPENDITURE_ADD,
        {
            "unit": people.commune_b.pk,
            "spent_on": "12/03/2026",
            "source": "state_budget",
            "purpose": "office",
            "amount": "100.000",
            "description": "Văn phòng phẩm",
        },
    ).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page  # another commune is not offered
    assert not Expenditure.objects.exists()


# -- the execution page ----------------------------------------------------------------------------


def _year(people):
    a, b, p = people.commune_a, people.commune_b, people.province
    BudgetAllocationFactory(
        unit=a, year=2026, source=Source.STATE_BUDGET, purpose=Purpose.COMMUNICATION, amount=20_000_000
    )
    BudgetAllocationFactory(unit=a, year=2026, source=Source.STATE_BUDGET, purpose=Purpose.TRAINING, amount=10_000_000)
    ExpenditureFactory(unit=a, purpose=Purpose.COMMUNICATION, amount=15_000_000, spent_on=D(2026, 4, 1))
    ExpenditureFactory(unit=a, purpose=Purpose.TRAINING, amount=12_500_000, spent_on=D(2026, 5, 1))
    ExpenditureFactory(unit=a, purpose=Purpose.INSPECTION, amount=1_500_000, spent_on=D(2026, 6, 1))
    BudgetAllocationFactory(
        unit=p, year=2026, source=Source.NATIONAL_PROGRAMME, purpose=Purpose.COMMUNICATION, amount=300_000_000
    )
    ExpenditureFactory(unit=b, purpose=Purpose.SUPPORT, amount=2_000_000, spent_on=D(2026, 7, 1))


def test_the_execution_page_of_a_commune(client, people):
    _year(people)
    client.force_login(people.officer_a)
    page = client.get(EXECUTION, {"unit": people.commune_a.pk, "year": 2026}).content.decode()
    assert "Phường Hồng Bàng — năm 2026" in page
    assert (
        cell(page, "communication", "allocated"),
        cell(page, "communication", "spent"),
        cell(page, "communication", "percent"),
    ) == ("20.000.000", "15.000.000", "75%")
    assert cell(page, "training", "percent") == "125% vượt dự toán"
    assert (
        cell(page, "inspection", "allocated"),
        cell(page, "inspection", "spent"),
        cell(page, "inspection", "percent"),
    ) == ("—", "1.500.000", "Chưa có số liệu")
    assert (cell(page, "total", "allocated"), cell(page, "total", "spent"), cell(page, "total", "percent")) == (
        "30.000.000",
        "29.000.000",
        "96,7%",
    )
    assert cell(page, "state_budget", "percent") == "96,7%"
    assert 'data-testid="by-unit"' not in page  # a commune has no child units to list


def test_the_execution_page_of_a_province_lists_its_communes(client, people):
    _year(people)
    client.force_login(people.province_officer)
    page = client.get(EXECUTION, {"unit": people.province.pk, "year": 2026}).content.decode()
    assert cell(page, f"unit-{people.province.pk}", "allocated") == "300.000.000"
    assert cell(page, f"unit-{people.commune_a.pk}", "percent") == "96,7%"
    assert (
        cell(page, f"unit-{people.commune_b.pk}", "allocated"),
        cell(page, f"unit-{people.commune_b.pk}", "percent"),
    ) == ("—", "Chưa có số liệu")
    assert f'href="?unit={people.commune_b.pk}&amp;year=2026"' in page
    assert cell(page, "total", "percent") == "9,4%"  # 31 M of 330 M


def test_the_execution_page_defaults_and_refusals(client, people):
    client.force_login(people.officer_a)
    page = client.get(EXECUTION).content.decode()
    assert f"Phường Hồng Bàng — năm {timezone.localdate().year}" in page
    assert cell(page, "total", "percent") == "Chưa có số liệu"
    page = client.get(EXECUTION, {"unit": people.commune_b.pk}).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page and 'data-testid="by-purpose"' not in page
    page = client.get(EXECUTION, {"year": 1990}).content.decode()
    assert 'data-testid="by-purpose"' not in page
    client.force_login(people.nobody)
    assert client.get(EXECUTION).status_code == 403
    client.logout()
    assert client.get(EXECUTION).status_code == 302


def test_a_viewer_reads_the_execution_page(client, people):
    _year(people)
    viewer = UserFactory(username="xem.tinh", roles=[(people.province, Role.VIEWER)])
    client.force_login(viewer)
    page = client.get(EXECUTION, {"unit": people.province.pk, "year": 2026}).content.decode()
    assert cell(page, "total", "spent") == "31.000.000"


def test_the_execution_page_query_count_does_not_grow(client, people):
    _year(people)
    client.force_login(people.province_officer)
    params = {"unit": people.province.pk, "year": 2026}
    client.get(EXECUTION, params)  # warm caches (content types, sessions)
    few = count_queries(lambda: client.get(EXECUTION, params))
    for n in range(8):
        commune = AdminUnitFactory(code=f"1150{n}", name=f"Xã Thêm {n}", parent=people.province)
        for purpose in (Purpose.COMMUNICATION, Purpose.MODELS):
            BudgetAllocationFactory(unit=commune, year=2026, source=Source.STATE_BUDGET, purpose=purpose)
            ExpenditureFactory(unit=commune, purpose=purpose, spent_on=D(2026, 2, n + 1))
    many = count_queries(lambda: client.get(EXECUTION, params))
    assert many == few


def test_a_payment_names_what_it_paid_for(client, people):
    from lanhmanh.core.testing import make_in_unit
    from lanhmanh.training.models import Training

    today = timezone.localdate()
    course = make_in_unit(Training, people.commune_a, title="Tập huấn nghiệp vụ cho cán bộ tổ dân phố", starts_on=today)
    old = make_in_unit(Training, people.commune_a, title="Lớp tập huấn cũ", starts_on=D(today.year - 2, 6, 1))
    client.force_login(people.officer_a)
    form = client.get(EXPENDITURE_ADD).content.decode()
    # This year's and last year's courses are offered, not older ones.
    assert "Tập huấn nghiệp vụ cho cán bộ tổ dân phố" in form and "Lớp tập huấn cũ" not in form
    paid_long_ago = ExpenditureFactory(
        unit=people.commune_a, purpose=Purpose.TRAINING, training=old, spent_on=D(today.year - 2, 6, 5)
    )
    assert "Lớp tập huấn cũ" in client.get(reverse("budget:expenditure_edit", args=[paid_long_ago.pk])).content.decode()
    client.post(
        EXPENDITURE_ADD,
        {
            "unit": people.commune_a.pk,
            "spent_on": today.strftime("%d/%m/%Y"),
            "source": "state_budget",
            "purpose": "training",
            "amount": "3.200.000",
            "description": "Tài liệu, nước uống lớp tập huấn",
            "training": course.pk,
        },
    )
    payment = Expenditure.objects.get(training=course)
    assert payment.training == course
    page = client.get(payment.get_absolute_url()).content.decode()
    assert f'<a href="{course.get_absolute_url()}">{course}</a>' in page
    listing = client.get(reverse("budget:expenditure_list"), {"training": course.pk}).content.decode()
    assert str(course) in listing and "3.200.000" in listing
