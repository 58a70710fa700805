"""The rules of the budget records: one allocation line per unit, year, source and purpose; no spending in the
future or of nothing; a payment linked to at most one record, of its own area, under the matching purpose."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lanhmanh.budget.forms import BudgetAllocationForm
from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source
from lanhmanh.budget.tests.factories import BudgetAllocationFactory, ExpenditureFactory
from lanhmanh.community.models import PreventionModel
from lanhmanh.core.testing import make_in_unit
from lanhmanh.inspections.models import InspectionSession
from lanhmanh.outreach.models import CommunicationActivity
from lanhmanh.training.models import Training

D = datetime.date


def errors_of(record) -> dict[str, list[str]]:
    try:
        record.clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def allocation(unit, **fields):
    values = {"year": 2026, "source": Source.STATE_BUDGET, "purpose": Purpose.COMMUNICATION, "amount": 30_000_000}
    return BudgetAllocation(unit=unit, **{**values, **fields})


def expenditure(unit, **fields):
    values = {
        "spent_on": D(2026, 3, 10),
        "source": Source.STATE_BUDGET,
        "purpose": Purpose.COMMUNICATION,
        "amount": 1_500_000,
        "description": "In tờ rơi",
    }
    return Expenditure(unit=unit, **{**values, **fields})


# -- allocations ----------------------------------------------------------------------------------


def test_a_complete_allocation_is_valid(people):
    line = allocation(people.commune_a, decision_number="125/QĐ-UBND", decision_date=D(2025, 12, 20))
    assert errors_of(line) == {}


def test_one_allocation_line_per_unit_year_source_and_purpose(people):
    BudgetAllocationFactory(unit=people.commune_a, year=2026, source=Source.STATE_BUDGET, purpose=Purpose.COMMUNICATION)
    assert errors_of(allocation(people.commune_a)) == {
        "purpose": [
            "Phường Hồng Bàng đã có dự toán năm 2026 từ nguồn “Ngân sách nhà nước của cấp” cho mục chi “Thông tin, "
            "tuyên truyền”. Nếu được giao bổ sung, hãy sửa số tiền của dự toán đó."
        ]
    }
    # Another source, purpose, year or unit is another line.
    assert errors_of(allocation(people.commune_a, source=Source.SOCIALISED)) == {}
    assert errors_of(allocation(people.commune_a, purpose=Purpose.TRAINING)) == {}
    assert errors_of(allocation(people.commune_a, year=2025)) == {}
    assert errors_of(allocation(people.commune_b)) == {}
    # The database refuses it too, whatever path skipped clean().
    with pytest.raises(IntegrityError), transaction.atomic():
        allocation(people.commune_a).save()


def test_the_form_reports_a_duplicate_line_once(people):
    BudgetAllocationFactory(unit=people.commune_a, year=2026, source=Source.STATE_BUDGET, purpose=Purpose.COMMUNICATION)
    form = BudgetAllocationForm(
        data={
            "unit": people.commune_a.pk,
            "year": "2026",
            "source": "state_budget",
            "purpose": "communication",
            "amount": "10.000.000",
        },
        user=people.officer_a,
    )
    assert not form.is_valid()
    assert len(form.errors["purpose"]) == 1 and "đã có dự toán năm 2026" in form.errors["purpose"][0]
    assert "__all__" not in form.errors


def test_an_edited_allocation_is_not_its_own_duplicate(people):
    line = BudgetAllocationFactory(unit=people.commune_a, year=2026)
    line.amount = 80_000_000
    assert errors_of(line) == {}


def test_allocation_year_unit_amount_and_decision_date(people):
    next_year = datetime.date.today().year + 1
    assert errors_of(allocation(people.commune_a, year=1999))["year"] == [
        f"Năm ngân sách phải từ 2000 đến {next_year}."
    ]
    assert errors_of(allocation(people.commune_a, year=next_year)) == {}  # allocated in December
    assert errors_of(allocation(people.commune_a, year=next_year + 1))["year"]
    assert errors_of(allocation(people.nation))["unit"] == [
        "Dự toán kinh phí được giao cho một tỉnh, thành phố hoặc một xã, phường."
    ]
    assert errors_of(allocation(people.province)) == {}
    assert errors_of(allocation(people.commune_a, amount=-1))["amount"] == ["Số tiền không thể âm."]
    assert errors_of(allocation(people.commune_a, amount=0)) == {}  # "nothing given", recorded on purpose
    assert errors_of(allocation(people.commune_a, decision_date=D(2099, 1, 1)))["decision_date"] == [
        "Ngày quyết định không thể sau hôm nay."
    ]
    assert errors_of(allocation(people.commune_a, year=2025, decision_date=D(2026, 1, 5)))["decision_date"] == [
        "Quyết định giao dự toán năm 2025 không thể ban hành sau năm đó."
    ]


def test_an_amount_is_typed_as_officers_write_it(people):
    form = BudgetAllocationForm(
        data={
            "unit": people.commune_a.pk,
            "year": "2026",
            "source": "state_budget",
            "purpose": "training",
            "amount": "1.500.000",
        },
        user=people.officer_a,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 1_500_000
    assert 'value="1.500.000"' in str(BudgetAllocationForm(instance=form.save(), user=people.officer_a)["amount"])
    negative = BudgetAllocationForm(
        data={
            "unit": people.commune_a.pk,
            "year": "2026",
            "source": "state_budget",
            "purpose": "training",
            "amount": "-5.000",
        },
        user=people.officer_a,
    )
    assert not negative.is_valid() and "amount" in negative.errors


# -- expenditures ---------------------------------------------------------------------------------


def test_a_complete_expenditure_is_valid(people):
    assert errors_of(expenditure(people.commune_a, voucher_number="PC-015")) == {}


def test_no_spending_in_the_future_or_of_nothing(people):
    assert errors_of(expenditure(people.commune_a, spent_on=D(2099, 1, 1))) == {
        "spent_on": ["Ngày chi không thể sau hôm nay."]
    }
    assert errors_of(expenditure(people.commune_a, amount=0)) == {"amount": ["Số tiền chi phải lớn hơn 0."]}
    assert errors_of(expenditure(people.nation))["unit"] == ["Khoản chi thuộc một tỉnh, thành phố hoặc một xã, phường."]


def test_the_same_voucher_entered_twice_is_refused(people):
    ExpenditureFactory(unit=people.commune_a, voucher_number="PC-015", spent_on=D(2026, 3, 10), amount=1_500_000)
    assert errors_of(expenditure(people.commune_a, voucher_number="pc-015")) == {
        "voucher_number": ["Khoản chi theo chứng từ số pc-015 ngày 10/03/2026, số tiền 1.500.000 đồng đã được ghi."]
    }
    # One voucher may pay several lines of different amounts, and another unit has its own numbering.
    assert errors_of(expenditure(people.commune_a, voucher_number="PC-015", amount=700_000)) == {}
    assert errors_of(expenditure(people.commune_b, voucher_number="PC-015")) == {}


@pytest.fixture
def linked_records(people):
    return {
        "activity": make_in_unit(CommunicationActivity, people.commune_a),
        "training": make_in_unit(Training, people.commune_a),
        "inspection_session": make_in_unit(InspectionSession, people.commune_a),
        "prevention_model": make_in_unit(PreventionModel, people.commune_a),
    }


PURPOSE_OF = {
    "activity": Purpose.COMMUNICATION,
    "training": Purpose.TRAINING,
    "inspection_session": Purpose.INSPECTION,
    "prevention_model": Purpose.MODELS,
}


@pytest.mark.parametrize("link", PURPOSE_OF)
def test_a_payment_for_a_record_is_under_its_purpose(people, linked_records, link):
    record = linked_records[link]
    assert errors_of(expenditure(people.commune_a, purpose=PURPOSE_OF[link], **{link: record})) == {}
    # The province's own budget may pay for a commune's activity; a sibling commune's may not.
    assert errors_of(expenditure(people.province, purpose=PURPOSE_OF[link], **{link: record})) == {}
    assert errors_of(expenditure(people.commune_b, purpose=PURPOSE_OF[link], **{link: record})) == {
        link: [f"{record} không thuộc địa bàn của Phường Ngô Quyền."]
    }
    wrong = Purpose.OFFICE
    label = Expenditure._meta.get_field(link).verbose_name
    assert errors_of(expenditure(people.commune_a, purpose=wrong, **{link: record})) == {
        "purpose": [f"Khoản chi cho {label} phải ghi vào mục chi “{Purpose(PURPOSE_OF[link]).label}”."]
    }


def test_every_link_is_declared_with_its_purpose():
    assert Expenditure.link_fields() == list(PURPOSE_OF.items())


def test_a_payment_is_linked_to_one_record_at_most(people, linked_records):
    payment = expenditure(people.commune_a, activity=linked_records["activity"], training=linked_records["training"])
    assert errors_of(payment) == {
        "__all__": ["Một khoản chi chỉ gắn với một việc; đã chọn: hoạt động tuyên truyền, lớp tập huấn."]
    }


def test_a_record_that_was_paid_for_cannot_be_deleted_silently(people, linked_records):
    session = linked_records["inspection_session"]
    ExpenditureFactory(unit=people.commune_a, purpose=Purpose.INSPECTION, inspection_session=session)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        session.delete()
