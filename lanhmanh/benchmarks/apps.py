from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The national data set (`seed_demo --scale national`) and `manage.py bench`; no models."""

    name = "lanhmanh.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
