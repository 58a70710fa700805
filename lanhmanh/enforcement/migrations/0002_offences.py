import datetime

from django.db import migrations

# Offences a prostitution-related case is about (DOMAIN.md §3), at article level. The Penal Code 2015 (Bộ luật
# Hình sự số 100/2015/QH13, amended by Luật số 12/2017/QH14) took effect on 1/1/2018, replacing the Penal Code
# 1999 (in force from 1/7/2000). The administrative sanctions moved from Nghị định 167/2013/NĐ-CP (from 1/1/2014)
# to Nghị định 144/2021/NĐ-CP on 31/12/2021 — the same articles as the inspection catalogue
# (inspections/migrations/0002_violation_types.py). A case names the entries in force on the day it was
# detected; cases recorded under an older entry keep showing it. The legal department of a province can correct
# or extend the catalogue in the admin.
BLHS2015 = datetime.date(2018, 1, 1)
BLHS1999 = datetime.date(2000, 7, 1)
BLHS1999_END = datetime.date(2017, 12, 31)
D144 = datetime.date(2021, 12, 31)
D167 = datetime.date(2014, 1, 1)
D167_END = datetime.date(2021, 12, 30)
CRIMINAL, ADMINISTRATIVE = "criminal", "administrative"

OFFENCES = [
    # code, name, case type, legal reference, valid from, valid until
    ("blhs2015-327", "Tội chứa mại dâm", CRIMINAL, "Điều 327 Bộ luật Hình sự 2015", BLHS2015, None),
    ("blhs2015-328", "Tội môi giới mại dâm", CRIMINAL, "Điều 328 Bộ luật Hình sự 2015", BLHS2015, None),
    ("blhs2015-329", "Tội mua dâm người dưới 18 tuổi", CRIMINAL, "Điều 329 Bộ luật Hình sự 2015", BLHS2015, None),
    ("blhs2015-150", "Tội mua bán người", CRIMINAL, "Điều 150 Bộ luật Hình sự 2015", BLHS2015, None),
    ("blhs2015-151", "Tội mua bán người dưới 16 tuổi", CRIMINAL, "Điều 151 Bộ luật Hình sự 2015", BLHS2015, None),
    ("nd144-buying", "Mua dâm", ADMINISTRATIVE, "Điều 24 Nghị định 144/2021/NĐ-CP", D144, None),
    ("nd144-selling", "Bán dâm", ADMINISTRATIVE, "Điều 25 Nghị định 144/2021/NĐ-CP", D144, None),
    ("nd144-harbouring", "Chứa mại dâm", ADMINISTRATIVE, "Điều 26 Nghị định 144/2021/NĐ-CP", D144, None),
    ("nd144-brokering", "Môi giới mại dâm", ADMINISTRATIVE, "Điều 27 Nghị định 144/2021/NĐ-CP", D144, None),
    ("nd144-other", "Hành vi khác có liên quan đến mại dâm", ADMINISTRATIVE, "Điều 28 Nghị định 144/2021/NĐ-CP",
     D144, None),
    ("blhs1999-254", "Tội chứa mại dâm", CRIMINAL, "Điều 254 Bộ luật Hình sự 1999", BLHS1999, BLHS1999_END),
    ("blhs1999-255", "Tội môi giới mại dâm", CRIMINAL, "Điều 255 Bộ luật Hình sự 1999", BLHS1999, BLHS1999_END),
    ("blhs1999-256", "Tội mua dâm người chưa thành niên", CRIMINAL, "Điều 256 Bộ luật Hình sự 1999", BLHS1999,
     BLHS1999_END),
    ("nd167-buying", "Mua dâm", ADMINISTRATIVE, "Điều 22 Nghị định 167/2013/NĐ-CP", D167, D167_END),
    ("nd167-selling", "Bán dâm", ADMINISTRATIVE, "Điều 23 Nghị định 167/2013/NĐ-CP", D167, D167_END),
    ("nd167-harbouring", "Chứa mại dâm", ADMINISTRATIVE, "Điều 24 Nghị định 167/2013/NĐ-CP", D167, D167_END),
    ("nd167-brokering", "Môi giới mại dâm", ADMINISTRATIVE, "Điều 25 Nghị định 167/2013/NĐ-CP", D167, D167_END),
    ("nd167-other", "Hành vi khác có liên quan đến mại dâm", ADMINISTRATIVE, "Điều 26 Nghị định 167/2013/NĐ-CP",
     D167, D167_END),
]


def load(apps, schema_editor):
    Offence = apps.get_model("enforcement", "Offence")
    for order, (code, name, case_type, reference, start, end) in enumerate(OFFENCES):
        Offence.objects.update_or_create(code=code, defaults={
            "name": name, "case_type": case_type, "legal_reference": reference, "valid_from": start,
            "valid_until": end, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
