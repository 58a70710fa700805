"""The suggested risk level: the documented rule, and the hook later modules plug into."""

from lanhmanh.businesses import services
from lanhmanh.businesses.models import Business
from lanhmanh.businesses.services import RiskSignal, suggest_risk
from lanhmanh.businesses.tests.factories import BusinessFactory


def test_small_hotel_is_low(people, types):
    level, reasons = suggest_risk(BusinessFactory(business_type=types["hotel"], workers_total=3, workers_female=1))
    assert level == "low" and reasons == ["Loại hình Khách sạn (1 điểm)"]


def test_large_massage_parlour_with_workers_from_elsewhere_is_high(people, types):
    business = BusinessFactory(business_type=types["massage"], workers_total=14, workers_female=12,
                               workers_other_province=9)
    level, reasons = suggest_risk(business)
    assert level == "high"
    assert "Có từ 10 lao động nữ trở lên" in reasons and "Từ một nửa số lao động là người ngoại tỉnh" in reasons


def test_closed_business_is_low(people, types):
    business = BusinessFactory(business_type=types["massage"], status=Business.Status.CLOSED)
    assert suggest_risk(business)[0] == "low"


def test_other_modules_add_signals_through_the_hook(people, types, monkeypatch):
    monkeypatch.setattr(services, "RISK_SIGNALS", list(services.RISK_SIGNALS))
    services.risk_signal(lambda business: [RiskSignal(2, "Vi phạm phát hiện khi kiểm tra năm 2026")])
    level, reasons = suggest_risk(BusinessFactory(business_type=types["hotel"]))
    assert level == "medium" and reasons[-1] == "Vi phạm phát hiện khi kiểm tra năm 2026"
