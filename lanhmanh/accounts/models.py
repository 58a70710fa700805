from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lanhmanh.accounts.roles import Role, role_needs_second_factor
from lanhmanh.core.fields import EncryptedTextField
from lanhmanh.core.models import Linked
from lanhmanh.core.scoping import ScopedQuerySet, path_q


class UserQuerySet(ScopedQuerySet):
    def within(self, paths):
        """Officials with an active membership somewhere under `paths`."""
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(pk__in=Membership.objects.filter(path_q("unit__path", paths)).values("user_id"))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(Linked, AbstractUser):
    """An official using the system. Names and phone numbers of officials are personal data too:
    the phone number is encrypted; the full name is shown on the records they sign."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = EncryptedTextField(_("số điện thoại"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def unit(self):
        """The unit an official's own record belongs to (first membership), e.g. for the access log."""
        membership = self.memberships.select_related("unit").order_by("pk").first()
        return membership.unit if membership else None

    def scope_memberships(self) -> list[tuple[str, str]]:
        """(role, unit path) of active memberships, read once per request and cached on the user."""
        cached = getattr(self, "_scope_memberships", None)
        if cached is None:
            cached = list(
                self.memberships.filter(is_active=True).values_list("role", "unit__path")
            )
            self._scope_memberships = cached
        return cached

    def forget_scope(self):
        self.__dict__.pop("_scope_memberships", None)

    @property
    def needs_second_factor(self) -> bool:
        from django.conf import settings

        if self.is_superuser and settings.LANHMANH_SUPERUSER_2FA:
            return True
        return any(role_needs_second_factor(role) for role, _path in self.scope_memberships())


class Membership(Linked, models.Model):
    """A user holds a role over a unit's subtree, optionally on behalf of one of its agencies."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("người dùng"))
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=40, choices=Role.choices)
    agency = models.ForeignKey(
        "geo.Agency", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan")
    )
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()
    scope_field = "unit"

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="accounts_membership_unique")
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.unit}"
