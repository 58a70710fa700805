import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.tips.models import Tip, TipKind, TipSubject

DUE_SOON_DAYS = 3


class TipFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Số tin báo, nội dung, địa điểm"))
    state = django_filters.ChoiceFilter(
        method="filter_state", label=_("Tình trạng xử lý"),
        choices=(("open", _("Đang xử lý")), ("overdue", _("Quá hạn")), ("due_soon", _("Sắp đến hạn (3 ngày)")),
                 ("concluded", _("Đã kết thúc")), ("late", _("Kết thúc quá hạn"))),
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Được giao cho tôi"))
    status = django_filters.ChoiceFilter(choices=Tip.Status.choices, label=_("Trạng thái"))
    kind = django_filters.ChoiceFilter(choices=TipKind.choices, label=_("Loại tin"))
    channel = django_filters.ChoiceFilter(choices=Tip.Channel.choices, label=_("Kênh tiếp nhận"))
    subject = django_filters.ModelChoiceFilter(queryset=TipSubject.objects.all(), label=_("Nội dung"))
    received_on = django_filters.DateFromToRangeFilter(label=_("Ngày tiếp nhận (từ – đến)"))
    business = django_filters.NumberFilter(field_name="business", label=_("Mã cơ sở"))

    class Meta:
        model = Tip
        fields = ["q", "unit", "state", "mine", "status", "kind", "channel", "subject", "received_on", "business"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        number = value.upper().removeprefix("TB-").lstrip("0")
        by_number = Q(pk=int(number)) if number.isdigit() else Q(pk__in=[])
        return queryset.filter(by_number | Q(content__icontains=value) | Q(address__icontains=value)
                               | Q(business_name_given__icontains=value) | Q(business__name__icontains=value))

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "due_soon":
            return queryset.due_within(DUE_SOON_DAYS, today)
        if value == "concluded":
            return queryset.exclude(status__in=Tip.OPEN_STATUSES)
        if value == "late":
            from django.db.models import F

            return queryset.filter(concluded_on__gt=F("deadline"))
        return queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return queryset.filter(assigned_officer=user)
        return queryset
