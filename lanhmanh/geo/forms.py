from lanhmanh.core.forms import ScopedModelForm
from lanhmanh.geo.models import AdminUnit, Agency, ResidentialGroup


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
