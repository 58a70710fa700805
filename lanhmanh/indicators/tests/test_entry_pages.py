"""The pages of aggregate data sets: declaring, the data-entry grid (whole or nothing, guarded by the version),
its warnings, and who may see and change it."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.geo.tests.factories import ResidentialGroupFactory
from lanhmanh.indicators.models import AggregateDeclaration, AggregateValue
from lanhmanh.indicators.tests.factories import AggregateDeclarationFactory, AggregateValueFactory

ADD = reverse("indicators:aggregatedeclaration_add")
LIST = reverse("indicators:aggregatedeclaration_list")
INSPECTION_KEYS = ["inspections.sessions", "inspections.visits", "inspections.reminders", "inspections.suspensions",
                   "inspections.fines_vnd", "inspections.businesses_visited"]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def grid(declaration):
    return reverse("indicators:aggregatedeclaration_grid", args=[declaration.pk])


def cells(declaration, **values):
    """The POST of a grid: every cell empty but those given as measure__month="text"."""
    data = {"version": declaration.version}
    for key in INSPECTION_KEYS:
        for month in range(1, 13):
            data[f"c-{key}-{month}"] = ""
    for name, text in values.items():
        key, month = name.rsplit("__", 1)
        data[f"c-inspections.{key}-{month}"] = text
    return data


def stored(declaration):
    return {(v.measure, v.month): v.value for v in AggregateValue.objects.filter(declaration=declaration)}


# -- declaring ------------------------------------------------------------------------------------------------------


def test_a_commune_officer_declares_and_lands_on_the_grid(client, people):
    client.force_login(people.officer_a)
    form = client.get(ADD).content.decode()
    assert "Kiểm tra cơ sở kinh doanh" in form and "Phường Hồng Bàng" in form
    response = client.post(ADD, {"unit": people.commune_a.pk, "module": "inspections", "year": 2025,
                                 "note": "Số liệu từ sổ theo dõi của Công an phường"})
    declaration = AggregateDeclaration.objects.get()
    assert response.status_code == 302 and response["Location"] == grid(declaration)
    assert (declaration.unit, declaration.module, declaration.year, declaration.created_by) == (
        people.commune_a, "inspections", 2025, people.officer_a)


def test_a_province_cannot_declare_and_is_told_why(client, people):
    client.force_login(people.province_officer)
    response = client.post(ADD, {"unit": people.province.pk, "module": "inspections", "year": 2025})
    assert response.status_code == 200
    assert "Chỉ xã, phường, đặc khu đăng ký báo cáo số liệu tổng hợp." in response.content.decode()
    assert not AggregateDeclaration.objects.exists()


def test_a_residential_group_cannot_declare_and_is_told_why(client, people):
    # Its figures are its commune's: declaring them apart would count them twice.
    group = ResidentialGroupFactory(parent=people.commune_a, name="Tổ dân phố số 1")
    client.force_login(people.officer_a)
    form = client.get(ADD).content.decode()
    assert "Phường Hồng Bàng" in form and "Tổ dân phố số 1" not in form  # only communes are offered
    response = client.post(ADD, {"unit": group.pk, "module": "inspections", "year": 2025})
    assert response.status_code == 200
    assert "Chỉ xã, phường, đặc khu đăng ký báo cáo số liệu tổng hợp." in response.content.decode()
    assert not AggregateDeclaration.objects.exists()


def test_only_a_commune_passes_the_models_rule(people):
    group = ResidentialGroupFactory(parent=people.commune_a)
    for unit in (people.province, group):
        with pytest.raises(ValidationError) as refused:
            AggregateDeclaration(unit=unit, module="inspections", year=2025).clean()
        assert refused.value.message_dict == {"unit": ["Chỉ xã, phường, đặc khu đăng ký báo cáo số liệu tổng hợp."]}
    AggregateDeclaration(unit=people.commune_a, module="inspections", year=2025).clean()


def test_an_unknown_module_is_refused(client, people):
    client.force_login(people.officer_a)
    response = client.post(ADD, {"unit": people.commune_a.pk, "module": "horoscopes", "year": 2025})
    page = response.content.decode()
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in page
    assert not AggregateDeclaration.objects.exists()


def test_a_second_declaration_of_the_same_module_and_year_is_refused(client, people):
    AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    response = client.post(ADD, {"unit": people.commune_a.pk, "module": "inspections", "year": 2025})
    assert "Đơn vị này đã đăng ký báo cáo số liệu tổng hợp của lĩnh vực này cho năm 2025." in response.content.decode()
    assert AggregateDeclaration.objects.count() == 1


def test_editing_a_declaration_changes_only_its_note(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    edit = reverse("indicators:aggregatedeclaration_edit", args=[declaration.pk])
    client.post(edit, {"unit": people.commune_b.pk, "module": "budget", "year": 2024, "note": "Sổ của Công an phường",
                       "expected_version": declaration.version})
    declaration.refresh_from_db()
    assert (declaration.unit, declaration.module, declaration.year, declaration.note) == (
        people.commune_a, "inspections", 2025, "Sổ của Công an phường")


def test_the_declaration_page_lists_the_measures_it_covers_with_the_years_figures(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=1, value=1200)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=2, value=300)
    client.force_login(people.officer_a)
    page = client.get(declaration.get_absolute_url()).content.decode()
    table = page[page.index('data-testid="measures"'):]
    for label in ("Số buổi kiểm tra", "Số lượt cơ sở được kiểm tra", "Số cơ sở bị đình chỉ kinh doanh",
                  "Số tiền phạt đã quyết định (đồng)"):
        assert label in table
    assert "1.500" in table
    assert "2.025" not in page and "năm 2025" in page  # a year is not a quantity
    assert grid(declaration) in page


def test_the_list_links_each_declaration_to_its_grid(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=1, value=5)
    client.force_login(people.officer_a)
    page = client.get(LIST).content.decode()
    assert grid(declaration) in page and "Kiểm tra cơ sở kinh doanh" in page
    assert ">2025<" in page


# -- the grid -------------------------------------------------------------------------------------------------------


def test_the_grid_has_a_row_per_measure_and_a_column_per_month(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    page = client.get(grid(declaration)).content.decode()
    for key in INSPECTION_KEYS:
        assert f'name="c-{key}-1"' in page and f'name="c-{key}-12"' in page
    assert "cộng dồn các tháng" in page
    assert "Mỗi cơ sở tính một lần trong năm, vào tháng được kiểm tra lần đầu." in page  # a measure's help text
    assert "aggregate_grid.js" in page and "<script>" not in page  # CSP: no inline script


def test_a_measure_counted_once_a_year_says_on_its_grid_in_which_month_it_is_entered(client, people):
    # "Mỗi … tính một lần trong năm, vào tháng … lần đầu": entered in the month first counted, so a quarter's figure
    # counts what was first counted in that quarter. The grid shows that help text under the measure's label.
    from lanhmanh.indicators.registry import registry

    once = [m for m in registry.measures.values() if "tính một lần trong năm" in str(m.help_text)]
    assert {m.module for m in once} >= {"inspections", "support"}
    client.force_login(people.officer_a)
    for module in {m.module for m in once}:
        declaration = AggregateDeclarationFactory(unit=people.commune_a, module=module, year=2025)
        page = client.get(grid(declaration)).content.decode()
        for measure in (m for m in once if m.module == module):
            row = page[page.index(f'data-measure="{measure.key}"'):]
            label = row[:row.index("</th>")]
            assert str(measure.help_text) in label and "lần đầu" in label


def test_a_saved_grid_is_shown_again_with_totals_and_who_saved_it(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    response = client.post(grid(declaration), cells(
        declaration, sessions__1="2", sessions__2="0", visits__1="12", visits__2="7",
        fines_vnd__3="1.500.000", fines_vnd__4="2 000 000"))
    assert response.status_code == 302
    assert stored(declaration) == {
        ("inspections.sessions", 1): 2, ("inspections.sessions", 2): 0,
        ("inspections.visits", 1): 12, ("inspections.visits", 2): 7,
        ("inspections.fines_vnd", 3): 1_500_000, ("inspections.fines_vnd", 4): 2_000_000,
    }
    declaration.refresh_from_db()
    assert (declaration.version, declaration.updated_by) == (2, people.officer_a)
    assert declaration.history.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu bảng số liệu." in page
    assert 'name="c-inspections.sessions-2" value="0"' in page  # 0 is a value, kept as such
    assert 'name="c-inspections.fines_vnd-3" value="1.500.000"' in page
    assert re.search(r'data-measure="inspections.fines_vnd".*?data-total>3.500.000<', page, re.S)
    assert re.search(r'data-measure="inspections.visits".*?data-total>19<', page, re.S)
    assert str(people.officer_a) in page[page.index('data-testid="last-saved"'):][:200]


def test_a_stock_totals_to_its_latest_month(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="businesses", year=2025)
    client.force_login(people.officer_a)
    data = {"version": 1, "c-businesses.managed-1": "40", "c-businesses.managed-2": "42",
            "c-businesses.managed-6": "38"}
    client.post(grid(declaration), data)
    page = client.get(grid(declaration)).content.decode()
    assert re.search(r'data-measure="businesses.managed".*?data-total>38<', page, re.S)
    assert "số cuối kỳ" in page


def test_emptying_a_cell_deletes_its_value(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=1, value=12)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=2, value=7)
    client.force_login(people.officer_a)
    client.post(grid(declaration), cells(declaration, visits__2="9"))
    assert stored(declaration) == {("inspections.visits", 2): 9}


def test_one_bad_cell_saves_nothing_and_is_explained_next_to_it(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=1, value=12)
    client.force_login(people.officer_a)
    response = client.post(grid(declaration), cells(
        declaration, visits__1="15", visits__2="mười", sessions__3="-2", sessions__4="2,5"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu số liệu nào: có 3 lỗi" in page
    assert "“mười” không phải là số." in page and "Số liệu không được âm." in page
    assert "Chỉ nhập số nguyên" in page
    # The user's input is kept, the faulty cells marked.
    assert re.search(r'value="mười"[^>]*>\s*<div class="invalid-feedback', page)
    assert 'name="c-inspections.visits-1" value="15"' in page
    assert stored(declaration) == {("inspections.visits", 1): 12}
    declaration.refresh_from_db()
    assert declaration.version == 1


def test_a_grid_saved_meanwhile_by_someone_else_is_not_overwritten(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    clerk = UserFactory(username="nhaplieu.a", roles=[(people.commune_a, Role.DATA_CLERK)])
    client.force_login(clerk)
    opened = cells(declaration, visits__1="10")  # the officer's page was opened at version 1 …
    assert client.post(grid(declaration), cells(declaration, visits__1="11")).status_code == 302  # … the clerk saves
    client.force_login(people.officer_a)
    response = client.post(grid(declaration), opened)
    page = response.content.decode()
    assert response.status_code == 409
    assert f"{clerk} đã lưu bảng số liệu này lúc" in page and "CHƯA được lưu" in page
    declaration.refresh_from_db()
    saved_at = declaration.updated_at
    assert f"lúc {timezone.localtime(saved_at):%d/%m/%Y %H:%M}, sau khi" in page  # local time (UTC+7), not UTC
    assert f"lúc {saved_at.astimezone(datetime.UTC):%d/%m/%Y %H:%M}, sau khi" not in page
    assert 'name="c-inspections.visits-1" value="10"' in page  # the user's input is kept
    assert "Hiện tại: 11" in page
    assert 'name="version" value="2"' in page  # saving again, having seen it, is allowed
    assert stored(declaration) == {("inspections.visits", 1): 11}


def test_months_not_yet_begun_are_closed(client, people):
    next_year = timezone.localdate().year + 1
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=next_year)
    client.force_login(people.officer_a)
    page = client.get(grid(declaration)).content.decode()
    assert re.search(r'name="c-inspections.visits-1"[^>]*disabled', page)
    response = client.post(grid(declaration), {"version": 1, "c-inspections.visits-1": "3"})
    assert response.status_code == 400
    assert f"Tháng 1/{next_year} chưa đến, chưa nhập được số liệu." in response.content.decode()
    assert not AggregateValue.objects.exists()


def test_implausible_figures_are_saved_with_a_warning(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    response = client.post(grid(declaration), cells(
        declaration, sessions__3="4", visits__3="2", reminders__3="5", visits__4="9", sessions__4="1"), follow=True)
    page = response.content.decode()
    assert "Có 2 cảnh báo cần xem lại." in page
    warnings = page[page.index('data-testid="warnings"'):]
    assert "Tháng 3: Số lượt cơ sở được kiểm tra (2) nhỏ hơn Số buổi kiểm tra (4)." in warnings
    assert "Tháng 3: Số cơ sở bị lập biên bản nhắc nhở (5) lớn hơn Số lượt cơ sở được kiểm tra (2)." in warnings
    assert "Tháng 4" not in warnings
    assert stored(declaration)[("inspections.reminders", 3)] == 5


def test_a_commune_cannot_open_another_communes_grid(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_b)
    assert client.get(grid(declaration)).status_code == 404
    assert client.post(grid(declaration), cells(declaration, visits__1="3")).status_code == 404
    client.force_login(people.province_officer)
    assert client.get(grid(declaration)).status_code == 200
    assert not AggregateValue.objects.exists()


def test_a_viewer_reads_the_grid_but_cannot_save_it(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=1, value=12)
    viewer = UserFactory(username="xem.a", roles=[(people.commune_a, Role.VIEWER)])
    client.force_login(viewer)
    page = client.get(grid(declaration)).content.decode()
    assert re.search(r'name="c-inspections.visits-1" value="12"[^>]*disabled', page)
    assert 'data-testid="save-grid"' not in page
    assert client.post(grid(declaration), cells(declaration, visits__1="3")).status_code == 403
    assert stored(declaration) == {("inspections.visits", 1): 12}


def test_the_grid_page_takes_a_fixed_number_of_queries(client, people):
    from lanhmanh.core.testing import count_queries

    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    client.get(grid(declaration))
    few = count_queries(lambda: client.get(grid(declaration)))
    for month in range(1, 13):
        for key in INSPECTION_KEYS:
            AggregateValueFactory(declaration=declaration, measure=key, month=month, value=month)
    assert count_queries(lambda: client.get(grid(declaration))) == few


def test_deleting_a_declaration_says_its_figures_go_with_it(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=1, value=12)
    AggregateValueFactory(declaration=declaration, measure="inspections.visits", month=2, value=7)
    client.force_login(people.officer_a)
    delete = reverse("indicators:aggregatedeclaration_delete", args=[declaration.pk])
    page = client.get(delete).content.decode()
    assert "2 ô số liệu đã nhập sẽ bị xóa theo." in page and "được tính lại từ hồ sơ chi tiết" in page
    assert client.post(delete).status_code == 302
    assert not AggregateDeclaration.objects.exists() and not AggregateValue.objects.exists()
