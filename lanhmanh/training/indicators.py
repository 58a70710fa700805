"""Training indicator (seed 002: train 30% of provincial and 20% of commune programme staff): programme staff
trained in the period, counted at the unit they work for, ÷ the programme staff recorded for the year."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from lanhmanh.indicators.registry import PERCENT, STOCK, Indicator, Measure, Source, between, records, registry
from lanhmanh.training.models import StaffCount, TrainingParticipantGroup

registry.module("training", _("Tập huấn"))

GROUPS = Source("training.participants", lambda: TrainingParticipantGroup.objects.all(),
                path="participant_unit__path", prefilter=between("training__starts_on"))
STAFF = Source("training.staff", lambda: StaffCount.objects.all())

trained = Measure("training.staff_trained", _("Số lượt cán bộ làm công tác phòng, chống mại dâm được tập huấn"),
                  GROUPS, condition=between("training__starts_on"), module="training",
                  aggregate=lambda q: Sum("programme_staff", filter=q))
staff = Measure("training.staff", _("Số cán bộ làm công tác phòng, chống mại dâm"), STAFF, kind=STOCK,
                condition=lambda s, e: Q(year=e.year), aggregate=lambda q: Sum("staff", filter=q))

registry.indicator(Indicator(
    "STAFF_TRAINED_PCT", _("Tỷ lệ cán bộ được tập huấn"), "Programme staff trained (%)", PERCENT, trained, staff,
    module="training", sort_order=60, records_url=records("training:training_list", "starts_on"),
))
