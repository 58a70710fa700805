"""Roles and what they may do: the one table that maps the programme's roles to Django permissions.

A role grants permission patterns (shell-style, matched against "app_label.codename") over the
subtree of the unit where a user holds it. Nothing needs syncing: RoleBackend and the scoping door
read this table directly, so changing a line here changes access everywhere at once.

Reading identified personal data uses permissions named "see_…" (e.g. "support.see_identity",
"tips.see_reporter_contact"), which the broad "*.view_*" patterns deliberately do not match: only
roles listed with them get them, and those roles must use a second factor (`personal_data`).
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROGRAMME_OFFICER = "programme_officer", _("Cán bộ phụ trách chương trình")
    DATA_CLERK = "data_clerk", _("Cán bộ nhập liệu")
    INSPECTOR = "inspector", _("Thành viên đội kiểm tra liên ngành")
    POLICE = "police", _("Cán bộ công an")
    SUPPORT_WORKER = "support_worker", _("Cán bộ hỗ trợ, giảm hại")
    SUPPORT_SUPERVISOR = "support_supervisor", _("Phụ trách công tác hỗ trợ, giảm hại")
    REFERRAL_PARTNER = "referral_partner", _("Cán bộ cơ quan tiếp nhận chuyển gửi")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    VIEWER = "viewer", _("Người xem")
    AUDITOR = "auditor", _("Kiểm tra, giám sát")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


@dataclass(frozen=True)
class RoleSpec:
    grants: tuple[str, ...]
    denies: tuple[str, ...] = ()
    # May see identified personal data, so must log in with a second factor.
    personal_data: bool = False


# Domain apps whose records programme staff work on. The support app is for support workers only.
_PROGRAMME_APPS = ("businesses", "inspections", "tips", "enforcement", "outreach", "training", "community", "budget",
                   "commendations", "plans", "reporting", "indicators")
_VIEW_ALL = ("*.view_*",)
_NOT_SUPPORT = ("support.*",)
# Suspicions about a business are for police and programme officers only (issue 4).
_NOT_SUSPICIONS = ("businesses.*_suspicion",)
# Tips (their content names people and places) are for the roles that handle them: police and programme
# officers; case records for police and programme staff (issue 6).
_NOT_TIPS = ("tips.*",)
_NOT_CASES = ("enforcement.*",)
# Users are deactivated, never deleted: their names stay on the records and logs they left.
_USERS = ("accounts.view_user", "accounts.add_user", "accounts.change_user", "accounts.*_membership")
_UNITS = ("geo.*_residentialgroup", "geo.*_agency", "geo.view_adminunit", "geo.view_agencytype")


def _crud(*apps, actions=("view", "add", "change", "delete")):
    return tuple(f"{app}.{action}_*" for app in apps for action in actions)


# Support staff see the programme's aggregated figures (dashboards), which never name a person.
_SUPPORT_WORK = _crud("support", actions=("view", "add", "change")) + (
    "support.see_identity", "support.export_supportclient", "support.receive_referral", "geo.view_*",
    "indicators.view_aggregatedeclaration", "plans.view_*")


ROLES: dict[str, RoleSpec] = {
    Role.PROGRAMME_OFFICER: RoleSpec(
        # The programme officer answers for the subtree's data, so reviews who read personal data in it.
        grants=_VIEW_ALL + _crud(*_PROGRAMME_APPS) + _USERS + _UNITS
        + ("core.*_importjob", "core.view_accesslog", "inspections.approve_*"),
        denies=_NOT_SUPPORT,
    ),
    Role.DATA_CLERK: RoleSpec(
        grants=_VIEW_ALL + _crud(*_PROGRAMME_APPS, actions=("view", "add", "change"))
        + ("geo.*_residentialgroup", "geo.view_adminunit", "geo.view_agency", "core.*_importjob"),
        denies=_NOT_SUPPORT + _NOT_SUSPICIONS + _NOT_TIPS + ("accounts.*",),
    ),
    Role.INSPECTOR: RoleSpec(
        grants=_VIEW_ALL + _crud("inspections", "businesses", actions=("view", "add", "change"))
        + ("core.*_importjob",),
        denies=_NOT_SUPPORT + _NOT_SUSPICIONS + _NOT_TIPS + _NOT_CASES + ("accounts.*",),
    ),
    # Police write their unit's own periodic reports (police-month/quarter/year, submitted at commune level);
    # approving stays with the approvers.
    Role.POLICE: RoleSpec(
        grants=_VIEW_ALL + _crud("tips", "enforcement", "inspections", "businesses", "reporting",
                                 actions=("view", "add", "change"))
        + ("tips.see_*", "businesses.see_*", "core.*_importjob"),
        denies=_NOT_SUPPORT + ("accounts.*",),
        personal_data=True,
    ),
    # Support workers keep the clients of their unit; identifying details only at their own unit (support.services).
    Role.SUPPORT_WORKER: RoleSpec(
        grants=_SUPPORT_WORK,
        personal_data=True,
    ),
    # Their supervisor also reviews who read the records and carries out erasure on a lawful request.
    Role.SUPPORT_SUPERVISOR: RoleSpec(
        grants=_SUPPORT_WORK + ("support.erase_supportclient", "support.review_access"),
        personal_data=True,
    ),
    # Staff of a health station, legal aid centre, vocational school…: they see the referrals sent to their agency
    # and what was shared in them, never the client records.
    Role.REFERRAL_PARTNER: RoleSpec(
        grants=("support.receive_referral", "geo.view_adminunit", "geo.view_agency", "geo.view_agencytype"),
        personal_data=True,
    ),
    Role.APPROVER: RoleSpec(
        grants=_VIEW_ALL + ("reporting.approve_*", "plans.approve_*", "inspections.approve_*"),
        denies=_NOT_SUPPORT + _NOT_SUSPICIONS + _NOT_TIPS + _NOT_CASES + ("accounts.*",),
    ),
    Role.VIEWER: RoleSpec(grants=_VIEW_ALL, denies=_NOT_SUPPORT + _NOT_SUSPICIONS + _NOT_TIPS + _NOT_CASES
                          + ("accounts.*", "core.*")),
    Role.AUDITOR: RoleSpec(grants=_VIEW_ALL + ("core.view_accesslog",),
                           denies=_NOT_SUPPORT + _NOT_SUSPICIONS + _NOT_TIPS + _NOT_CASES),
    Role.ADMINISTRATOR: RoleSpec(
        grants=_USERS + _UNITS + ("geo.*", "core.view_accesslog", "core.*_importjob"),
    ),
}


@lru_cache(maxsize=4096)
def role_grants(role: str, perm: str) -> bool:
    spec = ROLES.get(role)
    if spec is None:
        return False
    if any(fnmatchcase(perm, pattern) for pattern in spec.denies):
        return False
    return any(fnmatchcase(perm, pattern) for pattern in spec.grants)


def role_needs_second_factor(role: str) -> bool:
    spec = ROLES.get(role)
    return bool(spec and spec.personal_data)
