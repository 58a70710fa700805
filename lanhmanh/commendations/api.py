from rest_framework import serializers

from lanhmanh.commendations.filters import CommendationFilterSet
from lanhmanh.commendations.forms import LEVELS, agency_choices
from lanhmanh.commendations.models import Commendation
from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.geo.models import AdminUnit


class CommendationSerializer(ScopedSerializer):
    """A proposal for a commendation and its decision. `unit` by code; `reward_amount` in đồng."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=LEVELS))

    class Meta:
        model = Commendation
        fields = [
            "id",
            "unit",
            "year",
            "recipient_kind",
            "recipient_name",
            "recipient_position",
            "agency",
            "award_form",
            "achievement",
            "proposal_number",
            "proposed_on",
            "status",
            "decision_number",
            "decided_on",
            "decided_by",
            "reward_amount",
            "note",
            "version",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "agency" in fields:
            fields["agency"].queryset = agency_choices(request.user)
        return fields


class CommendationViewSet(ScopedViewSet):
    queryset = Commendation.objects.select_related("unit")
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilterSet
    ordering_fields = ["proposed_on", "decided_on", "year"]


register("commendations", CommendationViewSet)
