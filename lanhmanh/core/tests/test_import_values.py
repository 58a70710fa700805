"""Cell values as officers type them, and the header of their own sheets, read the way they meant them."""

import datetime
import unicodedata

import pytest
from django import forms
from openpyxl import Workbook

from lanhmanh.core.imports import (
    Importer,
    ImportFileError,
    analyse_sheet,
    cell_value,
    normalise_text,
    parse_date_text,
)
from lanhmanh.core.tests.test_import_mapping import officers_group_workbook
from lanhmanh.geo.imports import AgencyImporter, ResidentialGroupImporter


class ProbeForm(forms.Form):
    """The kinds of form field a module's import form holds."""

    opened_on = forms.DateField()
    workers = forms.IntegerField()
    area = forms.DecimalField(decimal_places=2)
    status = forms.ChoiceField(choices=[("open", "Đang hoạt động"), ("closed", "Ngừng hoạt động")])
    name = forms.CharField()
    managed = forms.BooleanField(required=False)


FIELDS = ProbeForm.base_fields


def date_typed(value):
    """What the form makes of a cell in a date column."""
    form_value = cell_value(FIELDS["opened_on"], value)
    try:
        return FIELDS["opened_on"].clean(form_value)
    except forms.ValidationError:
        return form_value


@pytest.mark.parametrize("value", [
    datetime.datetime(2019, 3, 12), datetime.date(2019, 3, 12), 43536, 43536.0,
    "12/3/2019", "12-03-2019", "12.03.2019", "2019-03-12", " 12/03/2019 ", "12/03/19", "2019-03-12 00:00:00",
])
def test_dates_in_every_usual_format_are_read_as_the_same_day(value):
    assert date_typed(value) == datetime.date(2019, 3, 12)


def test_a_two_digit_year_is_never_in_the_future():
    next_year = (datetime.date.today().year + 1) % 100
    assert parse_date_text(f"1/1/{next_year:02d}").year == 1900 + next_year
    assert parse_date_text("1/1/05") == datetime.date(2005, 1, 1)


@pytest.mark.parametrize("value", ["31/02/2020", "tháng 3/2019", "chưa cấp", 2019])
def test_a_date_that_is_not_one_reaches_the_form_unchanged_for_its_usual_error(value):
    assert cell_value(FIELDS["opened_on"], value) == str(value)  # 2019: a year alone, not Excel's day 2019
    with pytest.raises(forms.ValidationError):
        FIELDS["opened_on"].clean(str(value))


@pytest.mark.parametrize(("value", "expected"), [
    ("1.200", "1200"), ("1,200", "1200"), ("1 200", "1200"), ("1.200.000", "1200000"), (12.0, "12"), (12, "12"),
    (" 7 ", "7"), ("1.5", "1.5"), ("12 người", "12 người"),
])
def test_integers_written_with_thousands_separators(value, expected):
    assert cell_value(FIELDS["workers"], value) == expected


def test_a_decimal_keeps_its_decimal_point():
    assert FIELDS["area"].clean(cell_value(FIELDS["area"], 1.5)) == 1.5
    assert cell_value(FIELDS["area"], "2.75") == "2.75"


@pytest.mark.parametrize("value", ["Đang hoạt động", "đang hoạt động", "DANG HOAT DONG", " Đang  hoạt động ", "open"])
def test_a_choice_is_found_by_its_label_or_value_written_loosely(value):
    assert cell_value(FIELDS["status"], value) == "open"


def test_an_unknown_choice_reaches_the_form_for_its_usual_error():
    assert cell_value(FIELDS["status"], "Tạm nghỉ") == "Tạm nghỉ"


def test_text_is_composed_trimmed_and_single_spaced():
    decomposed = unicodedata.normalize("NFD", "Karaoke  Hoa Hồng ")
    assert decomposed != "Karaoke  Hoa Hồng "
    assert cell_value(FIELDS["name"], decomposed) == "Karaoke Hoa Hồng"
    assert cell_value(FIELDS["name"], 912345678.0) == "912345678"
    assert cell_value(FIELDS["name"], None) == ""


@pytest.mark.parametrize(("value", "expected"), [("Có", "on"), ("x", "on"), ("co", "on"), ("Không", ""), ("", "")])
def test_yes_and_no(value, expected):
    assert cell_value(FIELDS["managed"], value) == expected


def test_normalise_text_for_comparing_vietnamese():
    assert normalise_text("Karaoke  Hoa-Hồng, số 5") == "karaoke hoa hong so 5"
    assert normalise_text("ĐƯỜNG Đê") == "duong de"
    assert normalise_text(unicodedata.normalize("NFD", "Số lao động / Nữ")) == "so lao dong nu"


# -- the header of an officer's own sheet --------------------------------------------------------------

KEYS = {"ten", "loai", "xa phuong dac khu"}


def officer_sheet():
    """The pre-2025 district template: two title rows, a two-row header with merged cells, column numbers."""
    return officers_group_workbook([[1, 120, "tổ dân phố", "Tổ dân phố số 1", "11311", None]]).active


def test_the_header_is_found_under_the_titles_and_its_two_rows_combined():
    layout = analyse_sheet(officer_sheet(), KEYS)
    assert layout.header_rows == (4, 5)
    assert layout.data_start_row == 7  # after the row of column numbers
    headers = {c.letter: c.header for c in layout.columns}
    assert headers == {"A": "STT", "B": "Số hộ", "C": "Tổ dân phố, thôn / Loại", "D": "Tổ dân phố, thôn / Tên",
                       "E": "Mã xã, phường, đặc khu", "F": "Ghi chú"}
    samples = {c.letter: c.sample for c in layout.columns}
    assert samples["D"] == "Tổ dân phố số 1" and samples["E"] == "11311"


def test_a_single_header_row_under_a_title_and_the_national_heading():
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["D1"] = "UBND PHƯỜNG HỒNG BÀNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("A1:B1")
    ws.merge_cells("D1:F1")
    ws["A2"], ws["D2"] = "CÔNG AN PHƯỜNG", "Độc lập - Tự do - Hạnh phúc"
    ws.merge_cells("A2:B2")
    ws.merge_cells("D2:F2")
    ws.append(["STT", "Tên", "Loại", "Xã, phường, đặc khu", "Ghi chú", "Số hộ"])
    ws.append([1, "Thôn Đông", "thôn", "11311", None, 80])
    layout = analyse_sheet(ws, KEYS)
    assert layout.header_rows == (3, 3) and layout.data_start_row == 4
    assert [c.header for c in layout.columns][:3] == ["STT", "Tên", "Loại"]


def test_a_sheet_with_no_recognisable_header_is_refused():
    wb = Workbook()
    wb.active.append(["Cột 1", "Cột 2"])
    wb.active.append(["a", "b"])
    with pytest.raises(ImportFileError, match="Không tìm thấy dòng tiêu đề"):
        analyse_sheet(wb.active, KEYS)


def test_guesses_use_labels_aliases_and_never_the_row_number_column(people, monkeypatch):
    importer = ResidentialGroupImporter(user=people.officer_a)
    guessed = importer.guess_mapping(analyse_sheet(officer_sheet(), importer._field_keys()))
    assert guessed == {"kind": 2, "name": 3, "parent": 4}

    wb = Workbook()
    wb.active.append(["TT", "Họ tên tổ trưởng", "Tên TDP", "Mã phường"])
    wb.active.append([1, "Nguyễn Văn An", "Tổ 1", "11311"])
    assert importer.guess_mapping(analyse_sheet(wb.active, importer._field_keys())) == {"name": 2}
    monkeypatch.setattr(ResidentialGroupImporter, "header_aliases", {"parent": ("ma phuong", "ma xa")})
    importer = ResidentialGroupImporter(user=people.officer_a)
    assert importer.guess_mapping(analyse_sheet(wb.active, importer._field_keys())) == {"name": 2, "parent": 3}


def test_footer_rows_are_not_records_but_a_business_called_cong_is():
    assert Importer._is_footer([None, "Tổng cộng", None])
    assert Importer._is_footer(["TỔNG CỘNG: 4 cơ sở"])
    assert Importer._is_footer(["Cộng"])
    assert Importer._is_footer([None, "Người lập biểu"])
    assert not Importer._is_footer(["Cộng cà phê", "Số 5 Lê Lợi"])
    assert not Importer._is_footer([12, "Tổng cộng"])


def test_lookups_forgive_case_and_diacritics_only_when_one_record_matches(people):
    from lanhmanh.geo.models import AgencyType

    importer = AgencyImporter(user=people.officer_a)
    assert importer.lookup_map("unit", {"11311", "11329"}) == {"11311": people.commune_a}  # B is out of scope
    found = importer.lookup_map("agency_type", {"police", "HEALTH", "cong an"})
    assert {text: t.code for text, t in found.items()} == {"police": "police", "HEALTH": "health"}

    AgencyType.objects.create(code="ban_hoa", name="Ban Hòa")
    AgencyType.objects.create(code="ban_hoa_2", name="Ban Hóa")
    importer.lookups = {**importer.lookups, "agency_type": "name"}
    found = importer.lookup_map("agency_type", {"công an", "BAN HÒA", "ban hoa", "Tu phap"})
    assert {text: t.code for text, t in found.items()} == {"công an": "police", "BAN HÒA": "ban_hoa",
                                                            "Tu phap": "justice"}  # "ban hoa" is two types
