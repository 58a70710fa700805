import django_tables2 as tables

from lanhmanh.commendations.models import Commendation


class CommendationTable(tables.Table):
    recipient_name = tables.Column(linkify=True)
    proposed_on = tables.DateColumn(format="d/m/Y")
    decided_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Commendation
        fields = (
            "recipient_name",
            "recipient_kind",
            "year",
            "award_form",
            "unit",
            "proposed_on",
            "status",
            "decision_number",
            "decided_on",
            "reward_amount",
        )
