import datetime
import json

import vietnam_provinces
from django.core.management.base import BaseCommand
from django.db import transaction

from lanhmanh.geo.models import AdminUnit

# The two-tier local government took effect on 1/7/2025 (Nghị quyết 202/2025/QH15 and the
# National Assembly Standing Committee's resolutions on commune-level arrangements).
TWO_TIER_START = datetime.date(2025, 7, 1)


class Command(BaseCommand):
    help = "Loads the nation, its 34 provinces and 3 321 communes from the vietnam-provinces package. Idempotent."

    def handle(self, *args, **options):
        data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
        existing = {u.code: u for u in AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE)}
        created = updated = 0
        with transaction.atomic():
            nation = existing.get("VN")
            if nation is None:
                nation = AdminUnit(code="VN", name="Việt Nam", level=AdminUnit.Level.NATION, kind="quốc gia")
                nation.save()
                created += 1
            new_units, changed = [], []
            for province in data:
                p_code = f"{province['code']:02d}"
                unit = existing.get(p_code)
                if unit is None:
                    unit = AdminUnit(code=p_code, name=province["name"], level=AdminUnit.Level.PROVINCE,
                                     kind=province["division_type"], parent=nation, valid_from=TWO_TIER_START)
                    unit.save()
                    created += 1
                elif unit.name != province["name"]:
                    unit.name = province["name"]
                    changed.append(unit)
                for ward in province["wards"]:
                    w_code = f"{ward['code']:05d}"
                    w = existing.get(w_code)
                    if w is None:
                        new_units.append(AdminUnit(
                            code=w_code, name=ward["name"], level=AdminUnit.Level.COMMUNE,
                            kind=ward["division_type"], parent=unit, path=f"{unit.path}{w_code}/",
                            valid_from=TWO_TIER_START,
                        ))
                    elif w.name != ward["name"]:
                        w.name = ward["name"]
                        changed.append(w)
            # bulk_create skips save(), so paths are set above; no history rows for reference data.
            AdminUnit.objects.bulk_create(new_units, batch_size=500)
            AdminUnit.objects.bulk_update(changed, ["name"], batch_size=500)
        created += len(new_units)
        updated = len(changed)
        self.stdout.write(
            f"Administrative units: {created} created, {updated} renamed, "
            f"{AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).count()} communes in total."
        )
