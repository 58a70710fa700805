import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.commendations.models import AwardForm, Commendation, RecipientKind, Status
from lanhmanh.core.filters import ScopedFilterSet


class CommendationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Tên, thành tích, số quyết định"))
    year = django_filters.NumberFilter(label=_("Năm thành tích"))
    recipient_kind = django_filters.ChoiceFilter(choices=RecipientKind.choices, label=_("Đối tượng"))
    award_form = django_filters.ChoiceFilter(choices=AwardForm.choices, label=_("Hình thức"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Tình trạng"))
    decided_on = django_filters.DateFromToRangeFilter(label=_("Ngày quyết định (từ – đến)"))

    class Meta:
        model = Commendation
        fields = ["q", "unit", "year", "recipient_kind", "award_form", "status", "decided_on"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(recipient_name__icontains=value)
            | Q(achievement__icontains=value)
            | Q(decision_number__icontains=value)
            | Q(proposal_number__icontains=value)
        )
