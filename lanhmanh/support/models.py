"""Support and harm reduction for people who sell sex (hỗ trợ, giảm hại, hòa nhập cộng đồng): the most sensitive
records of the system.

- A client is known by a generated pseudonymous code, never by name. What statistics need (age group, gender,
  province of origin, minor or not, the unit where met) is kept in clear; identifying details (name, date of birth,
  phone, ID number, address) are optional, encrypted, shown only to support workers of the owning unit with a
  second factor, and every showing is access-logged with a reason (`services.reveal_identity`).
- Consent comes first: it is recorded with the client, and every action that needs a purpose (services, referral to
  a kind of agency, contact by phone) is refused without a consent valid for it on that day (`services`).
- A referral carries an explicit, minimal snapshot of what was shared; the receiving agency sees that snapshot and
  the referral, never the client record.
- Erasure and the retention purge remove identifying and free-text data but keep the statistical rows, so the
  yearly counts do not change; an `ErasureRecord` says that it happened, without what was erased.

Every write goes through `lanhmanh.support.services`.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.fields import EncryptedTextField
from lanhmanh.core.models import Linked, UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet

# Units that keep clients: a commune or ward (its support team) or a province (its social work centre).
CLIENT_LEVELS = (1, 3)  # geo.AdminUnit.Level.PROVINCE, COMMUNE
# Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_RANDOM_LENGTH = 6


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def new_client_code(unit) -> str:
    """"HT-11311-7KQ2XM": the owning unit's code and random characters. Nothing in it comes from the person."""
    random_part = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
    return f"HT-{unit.code}-{random_part}"


class AgeGroup(models.TextChoices):
    UNDER_16 = "u16", _("Dưới 16 tuổi")
    FROM_16 = "16_17", _("Từ 16 đến dưới 18 tuổi")
    FROM_18 = "18_24", _("Từ 18 đến 24 tuổi")
    FROM_25 = "25_34", _("Từ 25 đến 34 tuổi")
    FROM_35 = "35_49", _("Từ 35 đến 49 tuổi")
    FROM_50 = "50_plus", _("Từ 50 tuổi trở lên")
    UNKNOWN = "unknown", _("Không rõ")


MINOR_AGE_GROUPS = (AgeGroup.UNDER_16, AgeGroup.FROM_16)


def age_group_for(age: int) -> str:
    for limit, group in ((16, AgeGroup.UNDER_16), (18, AgeGroup.FROM_16), (25, AgeGroup.FROM_18),
                         (35, AgeGroup.FROM_25), (50, AgeGroup.FROM_35)):
        if age < limit:
            return group
    return AgeGroup.FROM_50


class Gender(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")
    TRANS_WOMAN = "trans_woman", _("Người chuyển giới nữ")
    TRANS_MAN = "trans_man", _("Người chuyển giới nam")
    OTHER = "other", _("Khác")
    UNSTATED = "unstated", _("Không muốn nêu")


class ClientStatus(models.TextChoices):
    OPEN = "open", _("Đang hỗ trợ")
    CLOSED = "closed", _("Đã kết thúc hỗ trợ")


class CloseReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Đã đạt mục tiêu hỗ trợ, hòa nhập cộng đồng")
    MOVED = "moved", _("Chuyển đi nơi khác")
    DECLINED = "declined", _("Không muốn tiếp tục nhận hỗ trợ")
    LOST_CONTACT = "lost_contact", _("Mất liên lạc")
    OTHER = "other", _("Lý do khác")


# Identifying fields of a client: encrypted, never in lists, filters, URLs, logs or exports without the role.
IDENTITY_FIELDS = ("full_name", "date_of_birth", "phone", "id_number", "address")


class SupportClientQuerySet(ScopedQuerySet):
    def open_between(self, start, end):
        """Clients whose case was open at some time in [start, end]."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start), registered_on__lte=end)


class SupportClient(UnitScoped):
    """A person who sells sex and receives support, known to the system by a pseudonymous code."""

    code = models.CharField(_("mã số"), max_length=40, unique=True, editable=False)
    registered_on = models.DateField(_("ngày tiếp nhận"), db_index=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    age_group = models.CharField(_("nhóm tuổi"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    gender = models.CharField(_("giới tính"), max_length=12, choices=Gender.choices, default=Gender.FEMALE)
    origin_province = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", limit_choices_to={"level": 1},
        verbose_name=_("tỉnh, thành phố quê quán"),
    )
    is_minor = models.BooleanField(
        _("trẻ em (dưới 18 tuổi)"), default=False,
        help_text=_("Chọn cả khi chưa rõ tuổi nhưng có dấu hiệu dưới 18 tuổi: hồ sơ sẽ theo quy trình bảo vệ trẻ em."),
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=ClientStatus.choices,
                              default=ClientStatus.OPEN)
    closed_on = models.DateField(_("ngày kết thúc hỗ trợ"), null=True, blank=True)
    close_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=CloseReason.choices, blank=True)
    # Identifying details: optional, encrypted (core.fields), shown only through services.reveal_identity.
    full_name = EncryptedTextField(_("họ và tên"), blank=True)
    date_of_birth = EncryptedTextField(_("ngày sinh"), blank=True, help_text=_("dd/mm/yyyy"))
    phone = EncryptedTextField(_("số điện thoại"), blank=True)
    id_number = EncryptedTextField(_("số định danh, CCCD"), blank=True)
    address = EncryptedTextField(_("nơi ở hiện nay"), blank=True)
    identity_purged_at = models.DateTimeField(_("đã xóa thông tin nhận dạng lúc"), null=True, blank=True,
                                              editable=False)
    anonymised_at = models.DateTimeField(_("đã ẩn danh hóa lúc"), null=True, blank=True, editable=False)

    objects = SupportClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("người được hỗ trợ")
        verbose_name_plural = _("người được hỗ trợ")
        ordering = ["-registered_on", "-pk"]
        permissions = [
            ("see_identity", _("Xem thông tin nhận dạng người được hỗ trợ")),
            ("export_supportclient", _("Xuất toàn bộ dữ liệu của một người được hỗ trợ")),
            ("erase_supportclient", _("Xóa, ẩn danh hóa dữ liệu theo yêu cầu")),
            ("review_access", _("Xem nhật ký truy cập hồ sơ hỗ trợ")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | Q(status="closed", closed_on__isnull=False),
                name="support_client_closed_has_date",
            ),
        ]

    def __str__(self):
        # Only the code: this string reaches tables, history, messages and logs.
        return self.code

    def save(self, *args, **kwargs):
        if not self.code and self.unit_id:
            self.code = new_client_code(self.unit)
        if self.age_group in MINOR_AGE_GROUPS:
            self.is_minor = True
        super().save(*args, **kwargs)

    @property
    def has_identity(self) -> bool:
        return any(getattr(self, name) for name in IDENTITY_FIELDS)

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def derive_age_group(self):
        if self.birth_year and self.registered_on:
            self.age_group = age_group_for(self.registered_on.year - self.birth_year)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.unit_id and self.unit.level not in CLIENT_LEVELS:
            errors["unit"] = _("Người được hỗ trợ thuộc một xã, phường hoặc một tỉnh, thành phố.")
        if self.registered_on and self.registered_on > today:
            errors["registered_on"] = _("Ngày không thể sau hôm nay.")
        if self.birth_year:
            if self.birth_year < 1900 or self.birth_year > today.year:
                errors["birth_year"] = _("Năm sinh không hợp lệ.")
            elif self.registered_on:
                self.derive_age_group()
        if self.age_group in MINOR_AGE_GROUPS:
            self.is_minor = True
        elif self.is_minor and self.age_group != AgeGroup.UNKNOWN:
            errors["is_minor"] = _("Nhóm tuổi đã chọn là người thành niên; nếu là trẻ em, hãy sửa nhóm tuổi.")
        if self.origin_province_id and self.origin_province.level != 1:
            errors["origin_province"] = _("Hãy chọn một tỉnh, thành phố.")
        if self.status == ClientStatus.CLOSED:
            if not self.closed_on:
                errors["closed_on"] = _("Hãy ghi ngày kết thúc hỗ trợ.")
            elif self.registered_on and self.closed_on < self.registered_on:
                errors["closed_on"] = _("Không thể trước ngày tiếp nhận (%(date)s).") % {
                    "date": dmy(self.registered_on)}
            elif self.closed_on > today:
                errors["closed_on"] = _("Ngày không thể sau hôm nay.")
        elif self.closed_on:
            errors["closed_on"] = _("Chỉ ghi ngày kết thúc khi đã kết thúc hỗ trợ.")
        if self.date_of_birth:
            from lanhmanh.support.services import parse_dmy

            if parse_dmy(self.date_of_birth) is None:
                errors["date_of_birth"] = _("Ngày sinh cần có dạng dd/mm/yyyy.")
        if errors:
            raise ValidationError(errors)


class ClientPart(UnitScoped):
    """A record about a client (consent, assessment, service, referral): it takes the client's unit."""

    unit_from = "client"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.unit_id = self.client.unit_id
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.client_id:
            self.unit_id = self.client.unit_id
        super().clean_fields(exclude=exclude)


def private_upload_to(instance, filename):
    # A random name: nothing about the person or the original file name appears in a path.
    return f"private/support/{timezone.now():%Y}/{uuid.uuid4().hex}.bin"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Ký phiếu đồng ý")
    VERBAL = "verbal", _("Đồng ý bằng lời nói, có người làm chứng")
    ELECTRONIC = "electronic", _("Đồng ý qua phương tiện điện tử")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("Người được hỗ trợ")
    SELF_AND_GUARDIAN = "self_and_guardian", _("Người được hỗ trợ và cha, mẹ hoặc người giám hộ")
    GUARDIAN = "guardian", _("Cha, mẹ hoặc người giám hộ")
    CHILD_PROTECTION = "child_protection", _("Cơ quan bảo vệ trẻ em (khi không thể hỏi người giám hộ)")


class Purpose(models.TextChoices):
    SERVICES = "services", _("Nhận dịch vụ hỗ trợ")
    REFERRAL = "referral", _("Chuyển gửi đến cơ quan khác")
    PHONE = "phone", _("Liên hệ qua điện thoại")


class ConsentQuerySet(ScopedQuerySet):
    def valid_on(self, day):
        return self.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day), given_on__lte=day)


class Consent(ClientPart):
    """A client's consent: for which purposes, when, how, by whom; withdrawn from a date on."""

    client = models.ForeignKey(SupportClient, models.CASCADE, related_name="consents",
                               verbose_name=_("người được hỗ trợ"))
    given_on = models.DateField(_("ngày đồng ý"))
    method = models.CharField(_("hình thức"), max_length=12, choices=ConsentMethod.choices,
                              default=ConsentMethod.WRITTEN)
    given_by = models.CharField(_("người đồng ý"), max_length=20, choices=ConsentGiver.choices,
                                default=ConsentGiver.SELF)
    for_services = models.BooleanField(_("đồng ý nhận dịch vụ hỗ trợ"), default=True)
    for_referral = models.BooleanField(_("đồng ý được chuyển gửi"), default=False)
    referral_agency_types = models.ManyToManyField(
        "geo.AgencyType", blank=True, related_name="+", verbose_name=_("loại cơ quan được chuyển gửi đến"),
    )
    for_phone_contact = models.BooleanField(_("đồng ý được liên hệ qua điện thoại"), default=False)
    # The scan of the signed form, encrypted at rest like the identifying fields (it carries a name and signature).
    signed_form = models.FileField(_("phiếu đồng ý đã ký"), upload_to=private_upload_to, blank=True)
    signed_form_type = models.CharField(max_length=50, blank=True, editable=False)
    withdrawn_on = models.DateField(_("rút lại từ ngày"), null=True, blank=True)
    withdrawal_note = models.CharField(_("ghi chú khi rút lại"), max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()
    # Files stored as Fernet tokens: `manage.py rotate_encryption_keys` re-encrypts them with the fields.
    encrypted_file_fields = ("signed_form",)

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return _("Đồng ý ngày %(date)s") % {"date": dmy(self.given_on)}

    def is_valid_on(self, day) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    def purposes(self) -> list[str]:
        return [p for p, flag in ((Purpose.SERVICES, self.for_services), (Purpose.REFERRAL, self.for_referral),
                                  (Purpose.PHONE, self.for_phone_contact)) if flag]

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.given_on and self.given_on > today:
            errors["given_on"] = _("Ngày không thể sau hôm nay.")
        if not (self.for_services or self.for_referral or self.for_phone_contact):
            errors["for_services"] = _("Hãy chọn ít nhất một mục đích được đồng ý.")
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("Không thể trước ngày đồng ý (%(date)s).") % {"date": dmy(self.given_on)}
        if self.withdrawn_on and self.withdrawn_on > today:
            errors["withdrawn_on"] = _("Ngày không thể sau hôm nay.")
        if self.client_id and self.client.is_minor and self.given_by == ConsentGiver.SELF:
            errors["given_by"] = _("Người được hỗ trợ là trẻ em: cần sự đồng ý của cha, mẹ, người giám hộ hoặc cơ "
                                   "quan bảo vệ trẻ em.")
        if errors:
            raise ValidationError(errors)


class NeedArea(models.TextChoices):
    HEALTH = "health", _("Chăm sóc sức khỏe")
    HIV_STI = "hiv_sti", _("Dự phòng, điều trị HIV và các bệnh lây truyền qua đường tình dục")
    MENTAL_HEALTH = "mental_health", _("Sức khỏe tâm thần, tâm lý")
    LEGAL = "legal", _("Pháp lý")
    VIOLENCE = "violence", _("Phòng, chống bạo lực, bạo lực trên cơ sở giới")
    HOUSING = "housing", _("Chỗ ở")
    VOCATIONAL = "vocational", _("Học nghề")
    EMPLOYMENT = "employment", _("Việc làm")
    FINANCIAL = "financial", _("Tài chính, vay vốn")
    FAMILY = "family", _("Gia đình")
    DOCUMENTS = "documents", _("Giấy tờ tùy thân, hộ tịch, cư trú")


class NeedsAssessment(ClientPart):
    """What a client needs, as assessed with them on a day. A later assessment with no need means the needs were
    met; the figures take the needs of the latest assessment on or before the period end."""

    client = models.ForeignKey(SupportClient, models.CASCADE, related_name="assessments",
                               verbose_name=_("người được hỗ trợ"))
    assessed_on = models.DateField(_("ngày đánh giá"), db_index=True)
    # The need areas, as a list of NeedArea values; `has_needs` keeps "any need" in one column for the figures.
    needs = models.JSONField(_("nhu cầu"), default=list, blank=True)
    has_needs = models.BooleanField(_("có nhu cầu hỗ trợ"), default=False, editable=False)
    note = models.TextField(_("ghi chú"), blank=True,
                            help_text=_("Không ghi họ tên hay thông tin nhận dạng người được hỗ trợ."))

    class Meta:
        verbose_name = _("đánh giá nhu cầu")
        verbose_name_plural = _("đánh giá nhu cầu")
        ordering = ["-assessed_on", "-pk"]
        # A client's latest assessment before a day: one backward index probe (the indicators).
        indexes = [models.Index(fields=["client", "assessed_on", "id", "has_needs"], name="support_assessment_latest")]

    def __str__(self):
        return _("Đánh giá nhu cầu ngày %(date)s") % {"date": dmy(self.assessed_on)}

    def save(self, *args, **kwargs):
        self.needs = [n for n in NeedArea.values if n in (self.needs or [])]
        self.has_needs = bool(self.needs)
        super().save(*args, **kwargs)

    def need_labels(self) -> list[str]:
        labels = dict(NeedArea.choices)
        return [str(labels[n]) for n in self.needs if n in labels]

    def clean(self):
        errors = {}
        unknown = [n for n in (self.needs or []) if n not in NeedArea.values]
        if unknown:
            errors["needs"] = _("Nhu cầu không có trong danh mục: %(values)s.") % {"values": ", ".join(unknown)}
        if self.assessed_on:
            if self.assessed_on > timezone.localdate():
                errors["assessed_on"] = _("Ngày không thể sau hôm nay.")
            elif self.client_id and self.assessed_on < self.client.registered_on:
                errors["assessed_on"] = _("Không thể trước ngày tiếp nhận (%(date)s).") % {
                    "date": dmy(self.client.registered_on)}
        if errors:
            raise ValidationError(errors)


class ServiceType(models.Model):
    """The catalogue of support services, kept as data: a province adds what its partners offer."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên dịch vụ"), max_length=200)
    area = models.CharField(_("lĩnh vực"), max_length=20, choices=NeedArea.choices)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại dịch vụ hỗ trợ")
        verbose_name_plural = _("danh mục dịch vụ hỗ trợ")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ServiceOutcome(models.TextChoices):
    RECEIVED = "received", _("Đã nhận dịch vụ")
    ONGOING = "ongoing", _("Đang tiếp tục nhận")
    DECLINED = "declined", _("Người được hỗ trợ không nhận")
    UNAVAILABLE = "unavailable", _("Không cung cấp được")


# Outcomes that count a client as reached by a service.
REACHED_OUTCOMES = (ServiceOutcome.RECEIVED, ServiceOutcome.ONGOING)


class ServiceDeliveryQuerySet(ScopedQuerySet):
    def reaching(self):
        return self.filter(outcome__in=REACHED_OUTCOMES)


class ServiceDelivery(ClientPart):
    """A service a client received (or was offered): what, when, by which agency, with what outcome."""

    client = models.ForeignKey(SupportClient, models.CASCADE, related_name="services",
                               verbose_name=_("người được hỗ trợ"))
    service_type = models.ForeignKey(ServiceType, models.PROTECT, related_name="+", verbose_name=_("dịch vụ"))
    delivered_on = models.DateField(_("ngày cung cấp"), db_index=True)
    provider_agency = models.ForeignKey(
        "geo.Agency", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan cung cấp"),
    )
    provider_name = models.CharField(_("nơi cung cấp khác"), max_length=255, blank=True,
                                     help_text=_("Khi cơ quan cung cấp không có trong danh sách."))
    outcome = models.CharField(_("kết quả"), max_length=12, choices=ServiceOutcome.choices,
                               default=ServiceOutcome.RECEIVED)
    referral = models.ForeignKey(
        "Referral", models.SET_NULL, null=True, blank=True, related_name="services",
        verbose_name=_("qua chuyển gửi"),
    )
    note = models.TextField(_("ghi chú"), blank=True,
                            help_text=_("Không ghi họ tên hay thông tin nhận dạng người được hỗ trợ."))

    objects = ServiceDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("dịch vụ đã cung cấp")
        verbose_name_plural = _("dịch vụ đã cung cấp")
        ordering = ["-delivered_on", "-pk"]
        # "Served in the period": one index probe per client (the indicators).
        indexes = [models.Index(fields=["client", "delivered_on", "outcome"], name="support_service_client_day")]

    def __str__(self):
        return _("%(service)s ngày %(date)s") % {"service": self.service_type, "date": dmy(self.delivered_on)}

    def clean(self):
        errors = {}
        if self.delivered_on:
            if self.delivered_on > timezone.localdate():
                errors["delivered_on"] = _("Ngày không thể sau hôm nay.")
            elif self.client_id and self.delivered_on < self.client.registered_on:
                errors["delivered_on"] = _("Không thể trước ngày tiếp nhận (%(date)s).") % {
                    "date": dmy(self.client.registered_on)}
        if self.service_type_id and not self.service_type.is_active and self._state.adding:
            errors["service_type"] = _("Dịch vụ này không còn trong danh mục đang sử dụng.")
        if self.referral_id and self.client_id and self.referral.client_id != self.client_id:
            errors["referral"] = _("Lần chuyển gửi này là của người khác.")
        if errors:
            raise ValidationError(errors)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Đã gửi")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    DECLINED = "declined", _("Từ chối tiếp nhận")
    COMPLETED = "completed", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


# What a referral may share. The sender chooses each one explicitly; nothing is shared by default but the reason.
class SharedItem(models.TextChoices):
    AGE_GROUP = "age_group", _("Nhóm tuổi")
    GENDER = "gender", _("Giới tính")
    ORIGIN_PROVINCE = "origin_province", _("Tỉnh, thành phố quê quán")
    NEEDS = "needs", _("Nhu cầu đã đánh giá")
    FULL_NAME = "full_name", _("Họ và tên")
    DATE_OF_BIRTH = "date_of_birth", _("Ngày sinh")
    PHONE = "phone", _("Số điện thoại")
    ID_NUMBER = "id_number", _("Số định danh, CCCD")
    ADDRESS = "address", _("Nơi ở hiện nay")


IDENTIFYING_SHARED_ITEMS = (SharedItem.FULL_NAME, SharedItem.DATE_OF_BIRTH, SharedItem.PHONE, SharedItem.ID_NUMBER,
                            SharedItem.ADDRESS)


# Agencies that take a minor's child-protection referral (at a commune, the culture-society office does that work).
CHILD_PROTECTION_TYPES = ("child_protection", "culture_society", "social_work")
# Agency types through which a unit itself (rather than one of its specialised agencies) receives a referral.
UNIT_OFFICE_TYPES = ("peoples_committee", "culture_society")


class ReferralQuerySet(ScopedQuerySet):
    def incoming_for(self, user):
        """Referrals the user's agency receives: to the agency of a membership whose role may receive referrals,
        or, for a membership without an agency (a commune's support team), to its unit's own offices — the
        referral "to another commune" is addressed to that commune's committee or culture-society office. Other
        agencies of the unit (its health station, a province's legal aid centre) receive through their own staff."""
        from lanhmanh.accounts.models import Membership
        from lanhmanh.accounts.roles import role_grants

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        rows = Membership.objects.filter(user=user, is_active=True).values_list("role", "unit_id", "agency_id")
        q = Q(pk__in=[])
        for role, unit_id, agency_id in rows:
            if not role_grants(role, "support.receive_referral"):
                continue
            q |= Q(to_agency_id=agency_id) if agency_id else Q(to_agency__unit_id=unit_id,
                                                               to_agency__agency_type__code__in=UNIT_OFFICE_TYPES)
        return self.filter(q)


class Referral(ClientPart):
    """A referral of a client to another agency, with the minimum the sender chose to share."""

    client = models.ForeignKey(SupportClient, models.CASCADE, related_name="referrals",
                               verbose_name=_("người được hỗ trợ"))
    to_agency = models.ForeignKey("geo.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan nhận"))
    is_child_protection = models.BooleanField(
        _("chuyển gửi bảo vệ trẻ em"), default=False, editable=False,
        help_text=_("Theo Luật Trẻ em: không cần sự đồng ý chuyển gửi của người được hỗ trợ."),
    )
    reason = models.TextField(_("lý do, yêu cầu hỗ trợ"),
                              help_text=_("Không ghi họ tên hay thông tin nhận dạng ở đây; chọn mục chia sẻ bên dưới."))
    shared_items = models.JSONField(_("thông tin được chia sẻ"), default=list, blank=True, editable=False)
    # The values shared, as they were when sent, encrypted JSON: the receiver reads this, never the client record.
    shared_data = EncryptedTextField(_("nội dung được chia sẻ"), blank=True, editable=False)
    status = models.CharField(_("tình trạng"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT, editable=False)
    sent_on = models.DateField(_("ngày gửi"), db_index=True)
    responded_on = models.DateField(_("ngày trả lời"), null=True, blank=True, editable=False)
    response_note = models.CharField(_("ý kiến của cơ quan nhận"), max_length=500, blank=True, editable=False)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("người trả lời"))
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True, editable=False)
    feedback = models.TextField(_("phản hồi kết quả"), blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")
        ordering = ["-sent_on", "-pk"]
        permissions = [("receive_referral", _("Tiếp nhận chuyển gửi đến cơ quan mình"))]

    def __str__(self):
        return _("Chuyển gửi đến %(agency)s ngày %(date)s") % {"agency": self.to_agency, "date": dmy(self.sent_on)}

    @property
    def is_open(self) -> bool:
        return self.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)

    def shared_labels(self) -> list[str]:
        labels = dict(SharedItem.choices)
        return [str(labels[item]) for item in self.shared_items if item in labels]

    @property
    def shares_identity(self) -> bool:
        return any(item in IDENTIFYING_SHARED_ITEMS for item in self.shared_items)

    def clean(self):
        errors = {}
        if self.sent_on:
            if self.sent_on > timezone.localdate():
                errors["sent_on"] = _("Ngày không thể sau hôm nay.")
            elif self.client_id and self.sent_on < self.client.registered_on:
                errors["sent_on"] = _("Không thể trước ngày tiếp nhận (%(date)s).") % {
                    "date": dmy(self.client.registered_on)}
        if self.to_agency_id and not self.to_agency.is_active:
            errors["to_agency"] = _("Cơ quan này không còn hoạt động.")
        if errors:
            raise ValidationError(errors)


class ErasureKind(models.TextChoices):
    REQUEST_IDENTITY = "request_identity", _("Xóa thông tin nhận dạng theo yêu cầu")
    REQUEST_ANONYMISE = "request_anonymise", _("Ẩn danh hóa toàn bộ hồ sơ theo yêu cầu")
    RETENTION = "retention", _("Hết thời hạn lưu trữ: xóa thông tin nhận dạng")


class ErasureRecord(Linked, models.Model):
    """That data of a client was erased: when, by whom, on what basis. Never what was erased."""

    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    client = models.ForeignKey(SupportClient, models.SET_NULL, null=True, blank=True, related_name="erasures",
                               verbose_name=_("hồ sơ (mã mới)"))
    kind = models.CharField(_("loại"), max_length=20, choices=ErasureKind.choices)
    performed_at = models.DateTimeField(_("thực hiện lúc"), auto_now_add=True)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("người thực hiện"))
    request_reference = models.CharField(
        _("căn cứ"), max_length=255, blank=True,
        help_text=_("Ví dụ: đơn yêu cầu ngày 02/03/2026. Không ghi họ tên người yêu cầu."),
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "unit"

    class Meta:
        verbose_name = _("lần xóa dữ liệu cá nhân")
        verbose_name_plural = _("các lần xóa dữ liệu cá nhân")
        ordering = ["-performed_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.performed_at:%d/%m/%Y}"


# History of every record here is kept (UnitScoped), but identifying and free-text columns are scrubbed from it by
# erasure; these are the columns, per model, that erasure blanks in the live rows and in their history.
FREE_TEXT_FIELDS = {
    SupportClient: IDENTITY_FIELDS,
    Consent: ("withdrawal_note",),
    NeedsAssessment: ("note",),
    ServiceDelivery: ("note", "provider_name"),
    Referral: ("reason", "shared_data", "response_note", "feedback"),
}
