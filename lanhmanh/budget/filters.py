import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source
from lanhmanh.core.filters import ScopedFilterSet

HIDDEN = forms.HiddenInput


class BudgetAllocationFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Năm ngân sách"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Nguồn kinh phí"))
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("Mục chi"))

    class Meta:
        model = BudgetAllocation
        fields = ["unit", "year", "source", "purpose"]


class ExpenditureFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Nội dung chi, số chứng từ"))
    spent_on = django_filters.DateFromToRangeFilter(label=_("Ngày chi (từ – đến)"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Nguồn kinh phí"))
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("Mục chi"))
    # By what a payment paid for: for links from those records ("the payments of this training") and the API; not
    # shown among the list's filters.
    activity = django_filters.NumberFilter(field_name="activity", label=_("Mã hoạt động tuyên truyền"), widget=HIDDEN)
    training = django_filters.NumberFilter(field_name="training", label=_("Mã lớp tập huấn"), widget=HIDDEN)
    inspection_session = django_filters.NumberFilter(
        field_name="inspection_session", label=_("Mã buổi kiểm tra"), widget=HIDDEN
    )
    prevention_model = django_filters.NumberFilter(
        field_name="prevention_model", label=_("Mã mô hình, câu lạc bộ"), widget=HIDDEN
    )

    class Meta:
        model = Expenditure
        fields = [
            "q",
            "unit",
            "spent_on",
            "source",
            "purpose",
            "activity",
            "training",
            "inspection_session",
            "prevention_model",
        ]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(voucher_number__icontains=value))
