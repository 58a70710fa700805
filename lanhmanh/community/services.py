"""Status changes of a prevention model, and the figures of a unit's models over a period.

Each status change checks its rule, writes the model with optimistic locking (two officers acting on the same
page cannot silently overwrite each other: the stale one gets ConcurrentEditError, a 409 on the API) and leaves
a history entry with its reason. The figures take a unit (its whole subtree) and run a constant number of
queries, whatever the number of units or models: issue 9's MODELS_ACTIVE is `active_models(...)["total"]` at the
period end.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.community.models import (
    ActivityKind,
    ModelActivity,
    ModelKind,
    ModelStatus,
    PreventionModel,
    active_q,
)
from lanhmanh.core.services import ConcurrentEditError, save_versioned

# -- status changes -------------------------------------------------------------------------------


def _save(model, *, user, expected_version, reason):
    model._change_reason = reason[:100]
    model.full_clean()
    return save_versioned(model, expected_version=expected_version or model.version, user=user)


def _day(on) -> datetime.date:
    return on or timezone.localdate()


def _check_version(model, expected_version):
    """A page opened before someone else changed the model is a conflict first, whatever the rule would say of
    the change it asks for (the status it shows may no longer be the model's)."""
    if expected_version is not None and expected_version != model.version:
        raise ConcurrentEditError(model)


def pause_model(model, *, on=None, reason, user, expected_version=None):
    """Active → paused from `on` (default today), with the reason (no funding, members moved away...)."""
    _check_version(model, expected_version)
    on = _day(on)
    if model.status != ModelStatus.ACTIVE:
        raise ValidationError(_("Chỉ tạm dừng được mô hình đang hoạt động."))
    if not (reason or "").strip():
        raise ValidationError(_("Hãy ghi lý do tạm dừng."))
    if model.resumed_on and on < model.resumed_on:
        raise ValidationError(
            _("Mô hình hoạt động lại từ ngày %(date)s; ngày tạm dừng không thể trước ngày đó.")
            % {"date": model.resumed_on.strftime("%d/%m/%Y")}
        )
    _check_day(model, on, _("Ngày tạm dừng"))
    model.status, model.paused_on, model.resumed_on = ModelStatus.PAUSED, on, None
    model.status_note = reason.strip()[:500]
    return _save(
        model,
        user=user,
        expected_version=expected_version,
        reason=_("Tạm dừng: %(reason)s") % {"reason": reason.strip()},
    )


def resume_model(model, *, on=None, reason="", user, expected_version=None):
    """Paused → active again from `on` (default today). The pause window stays recorded."""
    _check_version(model, expected_version)
    on = _day(on)
    if model.status != ModelStatus.PAUSED:
        raise ValidationError(_("Chỉ cho hoạt động lại mô hình đang tạm dừng."))
    if model.paused_on and on < model.paused_on:
        raise ValidationError(
            _("Ngày hoạt động lại không thể trước ngày tạm dừng (%(date)s).")
            % {"date": model.paused_on.strftime("%d/%m/%Y")}
        )
    _check_day(model, on, _("Ngày hoạt động lại"))
    model.status, model.resumed_on = ModelStatus.ACTIVE, on
    model.status_note = (reason or "").strip()[:500]
    return _save(model, user=user, expected_version=expected_version, reason=_("Hoạt động lại"))


def dissolve_model(model, *, on=None, reason, user, expected_version=None):
    """Active or paused → dissolved from `on` (default today), with the reason. Final: a dissolved model is not
    resumed; a model set up again is a new record."""
    _check_version(model, expected_version)
    on = _day(on)
    if model.status == ModelStatus.DISSOLVED:
        raise ValidationError(_("Mô hình đã giải thể."))
    if not (reason or "").strip():
        raise ValidationError(_("Hãy ghi lý do giải thể."))
    if model.paused_on and on < model.paused_on:
        raise ValidationError(
            _("Ngày giải thể không thể trước ngày tạm dừng (%(date)s).")
            % {"date": model.paused_on.strftime("%d/%m/%Y")}
        )
    _check_day(model, on, _("Ngày giải thể"))
    last = model.activities.order_by("-date").values_list("date", flat=True).first()
    if last and last > on:
        raise ValidationError(
            _("Mô hình đã có hoạt động ngày %(date)s, sau ngày giải thể này.") % {"date": last.strftime("%d/%m/%Y")}
        )
    model.status, model.dissolved_on = ModelStatus.DISSOLVED, on
    model.status_note = reason.strip()[:500]
    return _save(
        model,
        user=user,
        expected_version=expected_version,
        reason=_("Giải thể: %(reason)s") % {"reason": reason.strip()},
    )


def _check_day(model, on, label):
    if on > timezone.localdate():
        raise ValidationError(_("%(what)s không thể sau hôm nay.") % {"what": label})
    if model.established_on and on < model.established_on:
        raise ValidationError(
            _("%(what)s không thể trước ngày thành lập (%(date)s).")
            % {"what": label, "date": model.established_on.strftime("%d/%m/%Y")}
        )


# -- figures --------------------------------------------------------------------------------------


def _models(unit, user):
    models = PreventionModel.objects.within([unit.path])
    return models.visible_to(user) if user is not None else models


def _activities(unit, user):
    activities = ModelActivity.objects.within([unit.path])
    return activities.visible_to(user) if user is not None else activities


def active_models(unit, on: datetime.date, user=None) -> dict:
    """Models active on `on` in `unit`'s subtree (see PreventionModelQuerySet.active_on), in total and by kind:
    {"total": 5, "by_kind": {"community_hiv": 2, "club": 3, "volunteer_team": 0, ...}} with every kind present.
    With a `user`, only the models they may see count. One query."""
    rows = _models(unit, user).active_on(on).order_by().values("kind").annotate(n=Count("pk"))
    by_kind = dict.fromkeys(ModelKind.values, 0)
    for row in rows:
        by_kind[row["kind"]] = row["n"]
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


# (key, label) of the figures of a period, in the order reports list them.
FIGURES = [
    ("active_at_end", gettext_lazy("Số mô hình, câu lạc bộ đang hoạt động (cuối kỳ)")),
    ("new_models", gettext_lazy("Số mô hình, câu lạc bộ thành lập mới trong kỳ")),
    ("dissolved_models", gettext_lazy("Số mô hình, câu lạc bộ giải thể trong kỳ")),
    ("activities", gettext_lazy("Số hoạt động của mô hình trong kỳ")),
    ("participants", gettext_lazy("Số lượt người tham gia các hoạt động")),
    ("meetings", gettext_lazy("Trong đó, số buổi sinh hoạt định kỳ")),
    ("meeting_participants", gettext_lazy("Số lượt người tham gia sinh hoạt định kỳ")),
]


def model_figures(unit, start: datetime.date, end: datetime.date, user=None) -> dict[str, int]:
    """The figures of `unit`'s subtree for the period [start, end] (inclusive), all keys of FIGURES:
    models active at `end` (a stock), models established and dissolved in the period, activities held and
    their participants, and of those the periodic meetings ("sinh hoạt định kỳ"). Two queries."""
    in_period = Q(established_on__gte=start, established_on__lte=end)
    models = _models(unit, user).aggregate(
        active_at_end=Count("pk", filter=active_q(end)),
        new_models=Count("pk", filter=in_period),
        dissolved_models=Count("pk", filter=Q(dissolved_on__gte=start, dissolved_on__lte=end)),
    )
    meeting = Q(kind=ActivityKind.MEETING)
    activities = (
        _activities(unit, user)
        .between(start, end)
        .aggregate(
            activities=Count("pk"),
            participants=Sum("participants_count"),
            meetings=Count("pk", filter=meeting),
            meeting_participants=Sum("participants_count", filter=meeting),
        )
    )
    values = {**models, **activities}
    return {key: values[key] or 0 for key, _label in FIGURES}
