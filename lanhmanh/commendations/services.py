"""Figures of the commendations of a unit's subtree over a period, for the reports ("đề nghị khen thưởng 5 tập thể,
12 cá nhân; đã được khen thưởng …")."""

import datetime

from django.db.models import Count, Q, Sum

from lanhmanh.commendations.models import Commendation, RecipientKind, Status


def figures(unit, start: datetime.date, end: datetime.date, user=None) -> dict[str, int]:
    """Proposals made and commendations granted in [start, end] in `unit`'s subtree, by recipient kind, in one
    query. With a `user`, only the records they may see count."""
    records = Commendation.objects.within([unit.path])
    if user is not None:
        records = records.visible_to(user)
    proposed = Q(proposed_on__gte=start, proposed_on__lte=end)
    granted = Q(status=Status.GRANTED, decided_on__gte=start, decided_on__lte=end)
    values = records.filter(proposed | granted).aggregate(
        proposed_collective=Count("pk", filter=proposed & Q(recipient_kind=RecipientKind.COLLECTIVE)),
        proposed_individual=Count("pk", filter=proposed & Q(recipient_kind=RecipientKind.INDIVIDUAL)),
        granted_collective=Count("pk", filter=granted & Q(recipient_kind=RecipientKind.COLLECTIVE)),
        granted_individual=Count("pk", filter=granted & Q(recipient_kind=RecipientKind.INDIVIDUAL)),
        reward_total=Sum("reward_amount", filter=granted),
    )
    return {key: value or 0 for key, value in values.items()}
