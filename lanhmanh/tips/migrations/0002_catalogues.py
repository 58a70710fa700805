import datetime

from django.db import migrations

# Deadlines for settling tips (DOMAIN.md §3). References are at article level; a province's legal staff can
# correct or extend them in the admin. The period starts the day after receipt.
BLTTHS = datetime.date(2018, 1, 1)  # Bộ luật Tố tụng hình sự 2015 in force
LTC = datetime.date(2019, 1, 1)  # Luật Tố cáo 2018 in force
LKN = datetime.date(2012, 7, 1)  # Luật Khiếu nại 2011 in force
LTCD = datetime.date(2014, 7, 1)  # Luật Tiếp công dân 2013 in force
DEADLINE_RULES = [
    # kind, days, counting, max extension days, legal reference, extension reference, valid from
    ("crime", 20, "calendar", 100,
     "Điều 147 khoản 1 Bộ luật Tố tụng hình sự 2015 (20 ngày kể từ ngày nhận tố giác, tin báo)",
     "Điều 147 khoản 2, 3 Bộ luật Tố tụng hình sự 2015 (kéo dài không quá 02 tháng; Viện kiểm sát gia hạn "
     "một lần không quá 02 tháng)", BLTTHS),
    ("violation", 30, "calendar", 60,
     "Điều 30 khoản 1 Luật Tố cáo 2018 (30 ngày kể từ ngày thụ lý tố cáo)",
     "Điều 30 khoản 1 Luật Tố cáo 2018 (vụ việc phức tạp gia hạn một lần không quá 30 ngày, đặc biệt phức "
     "tạp hai lần, mỗi lần không quá 30 ngày)", LTC),
    ("complaint", 30, "calendar", 15,
     "Điều 28 Luật Khiếu nại 2011 (giải quyết khiếu nại lần đầu không quá 30 ngày kể từ ngày thụ lý)",
     "Điều 28 Luật Khiếu nại 2011 (vụ việc phức tạp không quá 45 ngày)", LKN),
    ("petition", 10, "working", 0,
     "Điều 28 Luật Tiếp công dân 2013 (xử lý kiến nghị, phản ánh trong 10 ngày làm việc)", "", LTCD),
]

SUBJECTS = [
    ("business-prostitution", "Hoạt động mua bán dâm tại cơ sở kinh doanh dịch vụ"),
    ("harbouring", "Chứa mại dâm"),
    ("brokering", "Môi giới mại dâm"),
    ("online", "Rao bán, môi giới mại dâm trên mạng"),
    ("minor", "Mua dâm, bóc lột tình dục người dưới 18 tuổi"),
    ("trafficking", "Mua bán người vì mục đích mại dâm"),
    ("public-soliciting", "Hoạt động mại dâm ở nơi công cộng"),
    ("business-conditions", "Cơ sở kinh doanh không bảo đảm điều kiện, vi phạm cam kết"),
    ("officials", "Cán bộ, công chức có dấu hiệu tiếp tay, bao che"),
    ("other", "Nội dung khác"),
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    TipSubject = apps.get_model("tips", "TipSubject")
    for kind, days, counting, extension, reference, extension_reference, start in DEADLINE_RULES:
        DeadlineRule.objects.update_or_create(kind=kind, valid_from=start, defaults={
            "days": days, "counting": counting, "max_extension_days": extension, "legal_reference": reference,
            "extension_reference": extension_reference, "roll_forward": True})
    for order, (code, name) in enumerate(SUBJECTS):
        TipSubject.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("tips", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
