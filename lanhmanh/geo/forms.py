from django.db.models import Q

from lanhmanh.core.forms import ScopedModelForm
from lanhmanh.core.scoping import path_q, permission_name, scope_paths
from lanhmanh.geo.models import AdminUnit, Agency, ResidentialGroup


def agency_choices(user, model, *, above: bool = True):
    """Active agencies of the units where `user` may see `model` records and, with `above`, of the units above
    them (a commune's case, activity or club is often run by a provincial department)."""
    agencies = Agency.objects.filter(is_active=True).select_related("unit").order_by("unit__path", "name")
    paths = scope_paths(user, permission_name(model, "view"))
    if paths is None:
        return agencies
    condition = path_q("unit__path", paths)
    if above:
        condition |= Q(unit__path__in={path[: i + 1] for path in paths for i, char in enumerate(path) if char == "/"})
    return agencies.filter(condition)


class ResidentialGroupForm(ScopedModelForm):
    class Meta:
        model = ResidentialGroup
        fields = ["parent", "name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A residential group sits directly under a commune, ward or special zone.
        self.fields["parent"].queryset = self.fields["parent"].queryset.filter(level=AdminUnit.Level.COMMUNE)
        self.fields["parent"].label = AdminUnit.Level.COMMUNE.label
        self.fields["parent"].required = True


class AgencyForm(ScopedModelForm):
    class Meta:
        model = Agency
        fields = ["unit", "name", "agency_type", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(level__lt=AdminUnit.Level.RESIDENTIAL_GROUP)
