from django.db import migrations

# Agencies that take part in the programme (DOMAIN.md §1; seeds 002 and 003 assign tasks to them).
AGENCY_TYPES = [
    ("peoples_committee", "Ủy ban nhân dân"),
    ("culture_society", "Phòng Văn hóa - Xã hội"),
    ("police", "Công an"),
    ("health", "Y tế (Sở Y tế, Trạm Y tế)"),
    ("culture", "Văn hóa, Thể thao và Du lịch"),
    ("science_technology", "Khoa học và Công nghệ (thông tin, truyền thông)"),
    ("education", "Giáo dục và Đào tạo, trường học"),
    ("justice", "Tư pháp"),
    ("finance", "Tài chính"),
    ("radio_tv", "Đài Phát thanh - Truyền hình"),
    ("procuracy", "Viện Kiểm sát nhân dân"),
    ("court", "Tòa án nhân dân"),
    ("fatherland_front", "Ủy ban Mặt trận Tổ quốc"),
    ("womens_union", "Hội Liên hiệp Phụ nữ"),
    ("youth_union", "Đoàn Thanh niên"),
    ("farmers_union", "Hội Nông dân"),
    ("veterans_association", "Hội Cựu chiến binh"),
    ("residential_group", "Tổ dân phố, thôn"),
    ("volunteer_team", "Đội công tác xã hội tình nguyện"),
    ("other", "Khác"),
]


def load(apps, schema_editor):
    AgencyType = apps.get_model("geo", "AgencyType")
    for order, (code, name) in enumerate(AGENCY_TYPES):
        AgencyType.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
