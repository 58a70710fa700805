import datetime

from django.db import migrations

# Violations an inspection finds at a service business (DOMAIN.md §3). The administrative sanctions for
# prostitution-related acts moved from Nghị định 167/2013/NĐ-CP to Nghị định 144/2021/NĐ-CP on 31/12/2021, so
# the older entries end the day before: visits recorded under them keep showing them. The legal department
# of a province can correct or extend the catalogue in the admin (references are at article level).
D144 = datetime.date(2021, 12, 31)
D167 = datetime.date(2014, 1, 1)
D38 = datetime.date(2021, 6, 1)
VIOLATION_TYPES = [
    # code, name, legal reference, valid from, valid until, prostitution-related
    ("nd144-harbouring", "Chứa mại dâm, để cho hoạt động mua bán dâm diễn ra tại cơ sở",
     "Điều 26 Nghị định 144/2021/NĐ-CP", D144, None, True),
    ("nd144-brokering", "Môi giới mại dâm", "Điều 27 Nghị định 144/2021/NĐ-CP", D144, None, True),
    ("nd144-other", "Hành vi khác có liên quan đến mại dâm (lợi dụng kinh doanh dịch vụ để hoạt động mại dâm, "
     "quảng cáo, rao bán dâm)", "Điều 28 Nghị định 144/2021/NĐ-CP", D144, None, True),
    ("nd144-buying-selling", "Phát hiện hành vi mua, bán dâm tại cơ sở",
     "Điều 24, Điều 25 Nghị định 144/2021/NĐ-CP", D144, None, True),
    ("nd144-security-conditions", "Kinh doanh ngành nghề có điều kiện về an ninh, trật tự không có hoặc không "
     "bảo đảm điều kiện theo giấy chứng nhận", "Điều 12 Nghị định 144/2021/NĐ-CP", D144, None, False),
    ("nd144-residence", "Cơ sở lưu trú không thông báo lưu trú cho khách theo quy định",
     "Điều 9 Nghị định 144/2021/NĐ-CP", D144, None, False),
    ("nd38-karaoke-dance", "Vi phạm quy định về kinh doanh dịch vụ karaoke, vũ trường (giờ hoạt động, phòng hát, "
     "nhân viên phục vụ)", "Điều 15 Nghị định 38/2021/NĐ-CP", D38, None, False),
    ("commitment-breach", "Không thực hiện bản cam kết chấp hành pháp luật về phòng, chống mại dâm",
     "Pháp lệnh Phòng, chống mại dâm 2003; bản cam kết đã ký", datetime.date(2003, 3, 17), None, False),
    ("nd167-harbouring", "Chứa mại dâm (theo Nghị định 167/2013)", "Điều 24 Nghị định 167/2013/NĐ-CP",
     D167, datetime.date(2021, 12, 30), True),
    ("nd167-brokering", "Môi giới mại dâm (theo Nghị định 167/2013)", "Điều 25 Nghị định 167/2013/NĐ-CP",
     D167, datetime.date(2021, 12, 30), True),
]


def load(apps, schema_editor):
    ViolationType = apps.get_model("inspections", "ViolationType")
    for order, (code, name, reference, start, end, related) in enumerate(VIOLATION_TYPES):
        ViolationType.objects.update_or_create(code=code, defaults={
            "name": name, "legal_reference": reference, "valid_from": start, "valid_until": end,
            "prostitution_related": related, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
