from django.db import migrations

# Agencies that receive referrals of the support module (issue 8): where people who sell sex get health care,
# HIV treatment, legal aid, vocational training, jobs, loans and protection.
AGENCY_TYPES = [
    ("hiv_clinic", "Cơ sở điều trị HIV, phòng khám ngoại trú", 21),
    ("social_work", "Trung tâm Công tác xã hội, cơ sở trợ giúp xã hội", 22),
    ("legal_aid", "Trung tâm Trợ giúp pháp lý nhà nước", 23),
    ("vocational", "Cơ sở giáo dục nghề nghiệp", 24),
    ("employment_service", "Trung tâm Dịch vụ việc làm", 25),
    ("social_policy_bank", "Ngân hàng Chính sách xã hội", 26),
    ("child_protection", "Cơ quan, người làm công tác bảo vệ trẻ em", 27),
]


def load(apps, schema_editor):
    AgencyType = apps.get_model("geo", "AgencyType")
    for code, name, order in AGENCY_TYPES:
        AgencyType.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    # "Khác" stays last.
    AgencyType.objects.filter(code="other").update(sort_order=99)


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_agency_types")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
