"""Fixtures shared by every test: the same units and people each time (see lanhmanh/core/testing.py)."""

import pytest

from lanhmanh.core.testing import People, build_people


@pytest.fixture
def people(db) -> People:
    return build_people()
