from django.db import migrations

# The starting catalogue of support services (seed 002: health care, HIV prevention and treatment, counselling,
# legal aid, vocational training, jobs, loans, reintegration). A province edits it in the admin.
SERVICE_TYPES = [
    ("health_checkup", "Khám, chăm sóc sức khỏe", "health"),
    ("health_insurance", "Hỗ trợ thẻ bảo hiểm y tế", "health"),
    ("hiv_testing", "Tư vấn, xét nghiệm HIV", "hiv_sti"),
    ("prep", "Điều trị dự phòng trước phơi nhiễm HIV (PrEP)", "hiv_sti"),
    ("arv", "Kết nối điều trị ARV", "hiv_sti"),
    ("sti_care", "Khám, điều trị bệnh lây truyền qua đường tình dục", "hiv_sti"),
    ("condoms", "Cấp bao cao su, chất bôi trơn", "hiv_sti"),
    ("counselling", "Tư vấn tâm lý", "mental_health"),
    ("mental_health_care", "Chăm sóc sức khỏe tâm thần", "mental_health"),
    ("legal_counselling", "Tư vấn pháp luật", "legal"),
    ("legal_aid", "Trợ giúp pháp lý (tham gia tố tụng, đại diện)", "legal"),
    ("gbv_support", "Hỗ trợ người bị bạo lực, bạo lực trên cơ sở giới", "violence"),
    ("safe_shelter", "Nơi tạm lánh an toàn", "housing"),
    ("housing_support", "Hỗ trợ chỗ ở", "housing"),
    ("vocational_training", "Đào tạo nghề", "vocational"),
    ("job_placement", "Giới thiệu, tạo việc làm", "employment"),
    ("preferential_loan", "Vay vốn ưu đãi", "financial"),
    ("cash_assistance", "Trợ cấp, hỗ trợ tiền mặt", "financial"),
    ("family_counselling", "Tư vấn, hòa giải gia đình", "family"),
    ("civil_documents", "Hỗ trợ làm giấy tờ tùy thân, hộ tịch, cư trú", "documents"),
]


def load(apps, schema_editor):
    ServiceType = apps.get_model("support", "ServiceType")
    for order, (code, name, area) in enumerate(SERVICE_TYPES):
        ServiceType.objects.update_or_create(code=code, defaults={"name": name, "area": area, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
