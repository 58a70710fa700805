import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.permissions import RolePermission
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.models import AdminUnit
from lanhmanh.training import services
from lanhmanh.training.filters import StaffCountFilterSet, TrainingFilterSet
from lanhmanh.training.forms import RECORD_LEVELS, agency_choices, record_units, staff_trained_form
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup


class ParticipantGroupSerializer(serializers.ModelSerializer):
    """People from one agency at a course: the agency by id (from the register) or a typed `agency_name` with the
    `participant_unit` (code) they work in; neither means "not broken down by agency", counted in the course's
    unit. Counts only, never names."""

    participant_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=AdminUnit.objects.none(), required=False, allow_null=True
    )
    level = serializers.CharField(read_only=True)

    class Meta:
        model = TrainingParticipantGroup
        fields = ["id", "agency", "agency_name", "participant_unit", "level", "participants", "programme_staff"]
        read_only_fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["agency"].queryset = agency_choices(request.user)
            fields["participant_unit"].queryset = record_units(request.user)
        return fields


class TrainingSerializer(ScopedSerializer):
    """A course with its participant groups. On create, `participant_groups` are its groups; on update, a given
    `participant_groups` list replaces all the course's groups (omit it to keep them). The totals are computed
    from the groups."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=RECORD_LEVELS))
    participant_groups = ParticipantGroupSerializer(many=True, required=False)

    class Meta:
        model = Training
        fields = [
            "id",
            "unit",
            "title",
            "level",
            "starts_on",
            "ends_on",
            "organiser",
            "venue",
            "summary",
            "materials_count",
            "participants_total",
            "programme_staff_total",
            "participant_groups",
            "version",
        ]
        read_only_fields = ["participants_total", "programme_staff_total"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["organiser"].queryset = agency_choices(request.user, above=True)
        return fields

    def validate(self, attrs):
        groups = attrs.pop("participant_groups", None)
        if "unit" in attrs and not attrs.get("level"):
            attrs["level"] = ""  # taken from the unit (Training.clean and save)
        attrs = super().validate(attrs)  # the course's own rules (Training.clean) and the scope
        if groups is not None:
            attrs["participant_groups"] = self._groups(attrs, groups)
        elif self.instance is not None and "unit" in attrs:
            self._check_stored_groups(attrs["unit"])
        return attrs

    def _check_stored_groups(self, unit):
        """A course moved to another unit without new groups: its stored groups must still lie in that unit's
        subtree, or the staff-trained figures would count people of a unit the course no longer belongs to."""
        outside = self.instance.participant_groups.exclude(participant_unit__path__startswith=unit.path)
        if outside.exists():
            raise serializers.ValidationError({"unit": _(
                "Lớp tập huấn có người tham dự thuộc đơn vị ngoài %(unit)s. Hãy gửi kèm danh sách người tham dự "
                "(participant_groups) mới."
            ) % {"unit": unit}})

    def _groups(self, attrs, rows):
        """Unsaved groups of the course as it will be, each checked by TrainingParticipantGroup.clean()."""
        course = copy.copy(self.instance) if self.instance is not None else Training()
        for name, value in attrs.items():
            if name != "version":
                setattr(course, name, value)
        groups, errors = [], {}
        for index, row in enumerate(rows):
            group = TrainingParticipantGroup(training=course, **row)
            try:
                group.clean()
            except DjangoValidationError as exc:
                errors[str(index)] = exc.message_dict  # keyed by row, as DRF reports a nested list's errors
            groups.append(group)
        if errors:
            raise serializers.ValidationError({"participant_groups": errors})
        return groups

    def create(self, validated_data):
        validated_data.pop("version", None)
        groups = validated_data.pop("participant_groups", [])
        training = Training(**validated_data)
        return services.training_save(training=training, groups=groups, user=self.context["request"].user)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        groups = validated_data.pop("participant_groups", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        user = self.context["request"].user
        try:
            if groups is None:
                return services.training_save(training=instance, groups=[], user=user, expected_version=expected)
            return services.replace_groups(training=instance, groups=groups, user=user, expected_version=expected)
        except ConcurrentEditError as exc:
            raise Conflict() from exc


class TrainingViewSet(ScopedViewSet):
    queryset = Training.objects.select_related("unit").prefetch_related(
        Prefetch(
            "participant_groups",
            queryset=TrainingParticipantGroup.objects.select_related("participant_unit").order_by("pk"),
        )
    )
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet
    ordering_fields = ["starts_on", "updated_at", "participants_total"]


class StaffCountSerializer(ScopedSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=RECORD_LEVELS))

    class Meta:
        model = StaffCount
        fields = ["id", "unit", "year", "staff", "note", "version"]
        # StaffCount.clean() says it in Vietnamese, naming the unit and year.
        validators = []


class StaffCountViewSet(ScopedViewSet):
    queryset = StaffCount.objects.select_related("unit")
    serializer_class = StaffCountSerializer
    filterset_class = StaffCountFilterSet
    ordering_fields = ["year", "staff"]


# -- staff trained -----------------------------------------------------------------------------------


class StaffTrainedRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit_id = serializers.IntegerField(allow_null=True)
    units_total = serializers.IntegerField()
    units_recorded = serializers.IntegerField()
    staff = serializers.IntegerField(allow_null=True, help_text=_("Số cán bộ đã ghi; null: chưa có số liệu."))
    trained = serializers.IntegerField(help_text=_("Số lượt cán bộ được tập huấn ở các đơn vị đã ghi số cán bộ."))
    trained_all = serializers.IntegerField(help_text=_("Số lượt cán bộ được tập huấn ở mọi đơn vị."))
    percent = serializers.FloatField(allow_null=True, help_text=_("Tỷ lệ %; null: chưa có số liệu."))
    partial = serializers.BooleanField()
    over_100 = serializers.BooleanField()


class StaffTrainedSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    province = StaffTrainedRowSerializer()
    commune = StaffTrainedRowSerializer()
    overall = StaffTrainedRowSerializer()
    children = StaffTrainedRowSerializer(many=True)


class StaffTrainedView(APIView):
    """Programme staff trained in a year ÷ staff recorded, in a unit's subtree, by level (province, commune),
    overall and by child unit: `unit` (id; default the caller's unit), `year` (default this year). A percentage is
    null ("no data") where no staff count is recorded; where only some units recorded one, only their trained staff
    count (`units_recorded` of `units_total`). Attendances are counted, so a percentage may exceed 100."""

    permission_classes = [RolePermission]
    queryset = Training.objects.none()  # RolePermission: needs view_training

    @extend_schema(
        parameters=[OpenApiParameter("unit", int), OpenApiParameter("year", int)], responses=StaffTrainedSerializer
    )
    def get(self, request):
        form = staff_trained_form(request.query_params, request.user)
        unit = request.query_params.get("unit", "")
        if unit.isdigit() and not form.fields["unit"].queryset.filter(pk=int(unit)).exists():
            # A unit outside the caller's scope is not confirmed to exist.
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        report = services.staff_trained_report(form.cleaned_data["unit"], form.cleaned_data["year"], user=request.user)
        return Response(StaffTrainedSerializer(report).data)


register("trainings", TrainingViewSet)
register("staff-counts", StaffCountViewSet)
