"""Deterministic, realistic demo data over the real administrative units.

Each module adds its part by providing `lanhmanh/<app>/demo.py` with `seed(ctx)`; this command calls
them in dependency order. Names are invented and marked as demo: never a real person's name."""

import os
import random
import secrets
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lanhmanh.core.models import SeedRun

SCALES = {
    # provinces (codes) and how many communes of each get detailed data
    "demo": {"provinces": ["31", "33"], "detailed_communes": 6},
    "province": {"provinces": ["31"], "detailed_communes": 10_000},
    "national": {"provinces": None, "detailed_communes": 10_000},
}


@dataclass
class SeedContext:
    scale: str
    rng: random.Random
    provinces: list
    detailed_communes: list
    password: str
    users: dict = field(default_factory=dict)
    log: list = field(default_factory=list)


class Command(BaseCommand):
    help = "Loads demo data: --scale demo (Hải Phòng, Hưng Yên) | province | national (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--once", action="store_true", help="Do nothing if demo data was loaded before.")

    def handle(self, *args, scale, seed, once, **options):
        from lanhmanh.geo.models import AdminUnit

        if once and SeedRun.objects.exists():
            return
        # National: the small demo data (accounts to browse with), then the benchmarks' national data set.
        seeders_scale = "demo" if scale == "national" else scale
        spec = SCALES[seeders_scale]
        provinces = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by("code")
        if spec["provinces"]:
            provinces = provinces.filter(code__in=spec["provinces"])
        provinces = list(provinces)
        if not provinces:
            raise CommandError("No administrative units: run `manage.py load_admin_units` first.")
        rng = random.Random(seed)
        detailed = []
        for province in provinces:
            communes = list(AdminUnit.objects.filter(parent=province).order_by("code"))
            detailed += communes[: spec["detailed_communes"]]
        password = os.environ.get("LANHMANH_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        ctx = SeedContext(seeders_scale, rng, provinces, detailed, password)
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("lanhmanh."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
            if scale == "national":
                from lanhmanh.benchmarks.national import build

                build(seed=seed, log=self.stdout.write)
            SeedRun.objects.create(scale=scale, seed=seed)
        if scale == "national":
            from lanhmanh.benchmarks.national import settle

            settle()
        for line in ctx.log:
            self.stdout.write(line)
        if ctx.users:
            shown = "from LANHMANH_DEMO_PASSWORD" if os.environ.get("LANHMANH_DEMO_PASSWORD") else password
            self.stdout.write(self.style.WARNING(
                f"Demo accounts ({', '.join(ctx.users)}), all with password: {shown}  (shown only once)"
            ))
