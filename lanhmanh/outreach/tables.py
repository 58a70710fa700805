import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.outreach.models import CommunicationActivity, TargetGroup, TargetPopulation


class AudienceColumn(tables.Column):
    """Participants of one target group, from the prefetched audiences (no query per row). Export only: the page
    shows the groups in one column."""

    def __init__(self, group, **kwargs):
        self.group = group
        super().__init__(
            verbose_name=TargetGroup(group).label, empty_values=(), orderable=False, visible=False, **kwargs
        )

    def _audience(self, record):
        return next((a for a in record.audiences.all() if a.target_group == self.group), None)

    def render(self, record):
        audience = self._audience(record)
        return "" if audience is None or audience.participants is None else audience.participants

    def value(self, record):
        audience = self._audience(record)
        if audience is None:
            return ""
        # Reached but not counted (a loudspeaker broadcast): marked, so it is not read as "not reached".
        return "x" if audience.participants is None else audience.participants


class CommunicationActivityTable(tables.Table):
    held_on = tables.DateColumn(format="d/m/Y", linkify=True)
    title = tables.Column(linkify=True)
    audiences = tables.Column(
        verbose_name=_("Nhóm đối tượng"), empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = CommunicationActivity
        fields = (
            "held_on",
            "kind",
            "title",
            "unit",
            "residential_group",
            "organiser",
            "audiences",
            "participants_total",
            "materials_count",
        )

    def render_audiences(self, record):
        return "; ".join(str(a) for a in record.audiences.all())


# One export column per target group, after the others.
for _group in TargetGroup.values:
    CommunicationActivityTable.base_columns[f"participants_{_group}"] = AudienceColumn(_group)


class TargetPopulationTable(tables.Table):
    year = tables.Column(linkify=True)
    registry_risk_workers = tables.Column(
        verbose_name=_("Lao động tại cơ sở theo danh sách cơ sở"), orderable=False, default="—"
    )
    geo_residential_groups = tables.Column(
        verbose_name=_("Số tổ dân phố, thôn theo danh mục"), orderable=False, default="—"
    )

    class Meta:
        model = TargetPopulation
        fields = (
            "year",
            "unit",
            "students",
            "risk_workers",
            "registry_risk_workers",
            "iz_workers",
            "residential_groups",
            "geo_residential_groups",
        )

    def render_year(self, value):
        return str(value)  # not "2.026"

    def value_year(self, value):
        return value
