"""Communication indicators (seed 002: 100% of communes run at least one form of communication; reach 30% of
students, 20% of workers at at-risk businesses and of industrial-zone workers; seed 003: 100% of residential
groups communicate).

Reach: participants of the group in activities of the period ÷ the group's population recorded for the year the
period ends in, where the highest unit that recorded a figure counts and those below it are ignored (it includes
them). Without a recorded population the reach is "no data"."""

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lanhmanh.geo.indicators import communes, valid_at
from lanhmanh.geo.models import AdminUnit
from lanhmanh.indicators.registry import COUNT, PERCENT, STOCK, Indicator, Measure, Source, between, records, registry
from lanhmanh.outreach.models import ActivityAudience, CommunicationActivity, TargetGroup, TargetPopulation

# Interpolated when shown, so the label follows the language of the request.
_format = lazy(lambda template, **values: str(template) % {k: str(v) for k, v in values.items()}, str)

registry.module("outreach", _("Tuyên truyền"))

ACTIVITIES = Source("outreach.activity", lambda: CommunicationActivity.objects.all(), prefilter=between("held_on"))
AUDIENCES = Source("outreach.audience", lambda: ActivityAudience.objects.all(), path="activity__unit__path",
                   prefilter=between("activity__held_on"))


GROUPS = Source("geo.residential_group", lambda: AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP),
                path="path")

_held = between("held_on")
activities = Measure("outreach.activities", _("Số hoạt động tuyên truyền"), ACTIVITIES, condition=_held,
                     module="outreach")
participants = Measure("outreach.participants", _("Số lượt người tham dự tuyên truyền"), ACTIVITIES, condition=_held,
                       module="outreach", aggregate=lambda q: Sum("participants_total", filter=q))


def _communes_active(ctx):
    """Communes with at least one activity in each window, from the number of activities per unit the engine has
    already read (records, or the entered figures of communes in aggregate mode): no query of its own."""
    out = {}
    for (path, index), count in ctx.per_unit[activities.key].items():
        node = ctx.node_of(path)
        if count and node is not None and ctx.level_of(path) == AdminUnit.Level.COMMUNE:
            out[(node, index)] = out.get((node, index), 0) + 1
    return out


communes_active = Measure("outreach.communes_active", _("Số xã, phường có hoạt động tuyên truyền"), None,
                          compute=_communes_active, reads=("outreach",), needs=(activities,))
# Read from the residential groups' side (one index probe each) rather than as COUNT(DISTINCT …) over the period's
# activities, which sorts them all.
groups_active = Measure(
    "outreach.groups_active", _("Số tổ dân phố, thôn có hoạt động tuyên truyền"), GROUPS,
    condition=lambda s, e: Q(Exists(CommunicationActivity.objects.filter(
        residential_group=OuterRef("pk"), held_on__gte=s, held_on__lte=e))),
)
groups = Measure("geo.residential_groups", _("Số tổ dân phố, thôn"), GROUPS, kind=STOCK,
                 condition=lambda s, e: valid_at(e))


def _population(field_name):
    def compute(ctx):
        years = sorted({w.year for w in ctx.windows})
        rows = ctx.restrict(TargetPopulation.objects.filter(year__in=years, **{f"{field_name}__isnull": False}),
                            "unit__path")
        recorded = {}
        for path, year, value in rows.values_list("unit__path", "year", field_name):
            recorded.setdefault(year, {})[path] = value
        out = {}
        for index, window in enumerate(ctx.windows):
            by_path = recorded.get(window.year, {})
            for path, value in by_path.items():
                node = ctx.node_of(path)
                if node is None or any(p in by_path for p in ctx.ancestors_within(path, node)):
                    continue  # a unit above it, within the node, recorded the figure that includes it
                out[(node, index)] = out.get((node, index), 0) + value
        return out

    return compute


def _reach(group: TargetGroup, code: str, name_en: str, order: int):
    reached = Measure(
        f"outreach.participants_{group.value}",
        _format(_("Số lượt %(group)s được tuyên truyền"), group=group.label), AUDIENCES, module="outreach",
        condition=lambda s, e: between("activity__held_on")(s, e) & Q(target_group=group.value),
        aggregate=lambda q: Sum("participants", filter=q),
    )
    population = Measure(f"outreach.population_{group.value}",
                         _format(_("Số %(group)s trên địa bàn"), group=group.label), None, kind=STOCK,
                         compute=_population(group.value))
    registry.indicator(Indicator(
        code, _format(_("Tỷ lệ %(group)s được tuyên truyền"), group=group.label), name_en, PERCENT, reached, population,
        module="outreach", sort_order=order,
        records_url=records("outreach:communicationactivity_list", "held_on", target_group=group.value),
    ))


_list = records("outreach:communicationactivity_list", "held_on")
registry.indicator(Indicator("COMM_ACTIVITIES", _("Số hoạt động tuyên truyền"), "Communication activities", COUNT,
                             activities, module="outreach", sort_order=50, records_url=_list))
registry.indicator(Indicator("COMM_PARTICIPANTS", _("Số lượt người tham dự tuyên truyền"),
                             "Communication participants", COUNT, participants, module="outreach", sort_order=51,
                             records_url=_list))
registry.indicator(Indicator(
    "COMM_COMMUNES_PCT", _("Tỷ lệ xã, phường có hoạt động tuyên truyền"), "Communes with communication activity (%)",
    PERCENT, communes_active, communes, module="outreach", sort_order=52, records_url=_list,
))
registry.indicator(Indicator(
    "COMM_RESGROUPS_PCT", _("Tỷ lệ tổ dân phố, thôn có hoạt động tuyên truyền"),
    "Residential groups with communication activity (%)", PERCENT, groups_active, groups, module="outreach",
    sort_order=53, records_url=_list,
))
_reach(TargetGroup.STUDENTS, "REACH_STUDENTS_PCT", "Students reached (%)", 54)
_reach(TargetGroup.RISK_WORKERS, "REACH_RISK_WORKERS_PCT", "Workers at at-risk businesses reached (%)", 55)
_reach(TargetGroup.IZ_WORKERS, "REACH_IZ_WORKERS_PCT", "Industrial-zone workers reached (%)", 56)
