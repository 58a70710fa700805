import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.businesses.models import Business, BusinessType, Commitment, RiskLevel, Suspicion
from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.geo.models import AdminUnit

YES_NO = (("yes", _("Có")), ("no", _("Không")))


class BusinessFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Tên, địa chỉ, số giấy phép"))
    business_type = django_filters.ModelChoiceFilter(queryset=BusinessType.objects.all(), label=_("Loại hình"))
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Mức độ rủi ro"))
    status = django_filters.ChoiceFilter(choices=Business.Status.choices, label=_("Tình trạng"))
    subject_to_management = django_filters.BooleanFilter(label=_("Thuộc diện quản lý"))
    commitment = django_filters.ChoiceFilter(
        choices=(("valid", _("Có cam kết còn hiệu lực")), ("missing", _("Chưa có cam kết còn hiệu lực"))),
        method="filter_commitment", label=_("Cam kết"),
    )
    reviewed_this_year = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_reviewed", label=_("Đã rà soát trong năm nay")
    )
    residential_group = django_filters.ModelChoiceFilter(queryset=None, label=_("Tổ dân phố, thôn"))

    class Meta:
        model = Business
        fields = ["q", "unit", "residential_group", "business_type", "risk_level", "status",
                  "subject_to_management", "commitment", "reviewed_this_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["residential_group"].queryset = AdminUnit.objects.filter(
            level=AdminUnit.Level.RESIDENTIAL_GROUP).visible_to(user).select_related("parent")

    def filter_text(self, queryset, name, value):
        from lanhmanh.core.text import normalise_text

        value = value.strip()
        if not value:
            return queryset
        # match_key is the accent-free name and address, so "karaoke hoa hong" finds "Karaoke Hoa Hồng".
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value)
                               | Q(licence_number__iexact=value) | Q(match_key__contains=normalise_text(value)))

    def filter_commitment(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(has_valid_commitment=(value == "valid"))

    def filter_reviewed(self, queryset, name, value):
        if not value:
            return queryset
        reviewed = Q(last_reviewed_on__year=timezone.localdate().year)
        return queryset.filter(reviewed) if value == "yes" else queryset.exclude(reviewed)


class CommitmentFilterSet(ScopedFilterSet):
    business = django_filters.NumberFilter(field_name="business", label=_("Mã cơ sở"))
    valid = django_filters.ChoiceFilter(choices=YES_NO, method="filter_valid", label=_("Còn hiệu lực"))
    signed_on = django_filters.DateFromToRangeFilter(label=_("Ngày ký (từ – đến)"))

    class Meta:
        model = Commitment
        fields = ["unit", "business", "valid", "signed_on"]

    def filter_valid(self, queryset, name, value):
        if not value:
            return queryset
        valid = queryset.valid_on(timezone.localdate())
        return valid if value == "yes" else queryset.exclude(pk__in=valid.values("pk"))


class SuspicionFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=Suspicion.Kind.choices, label=_("Nội dung nghi vấn"))
    open = django_filters.BooleanFilter(field_name="cleared_on", lookup_expr="isnull", label=_("Còn nghi vấn"))

    class Meta:
        model = Suspicion
        fields = ["unit", "kind", "source", "open"]
