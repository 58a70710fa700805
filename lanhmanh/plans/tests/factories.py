import datetime

import factory

from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.plans.models import Comparison, Plan, PlanSection, Target, Task, TaskGroup, TaskStatus, TaskUpdate


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft 2026 plan of the given unit."""

    class Meta:
        model = Plan

    unit = factory.SubFactory(AdminUnitFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"Kế hoạch phòng, chống mại dâm năm 2026 (số {n})")
    legal_bases = "Quyết định số 732/QĐ-TTg ngày 24/4/2026 của Thủ tướng Chính phủ"


class _UnderPlan(factory.django.DjangoModelFactory):
    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(plan__unit=unit, **kwargs)

    plan = factory.SubFactory(PlanFactory)
    unit = factory.SelfAttribute("plan.unit")


class PlanSectionFactory(_UnderPlan):
    class Meta:
        model = PlanSection

    heading = "Kinh phí thực hiện"
    body = "Do ngân sách nhà nước bảo đảm trong dự toán hằng năm."


class TargetFactory(_UnderPlan):
    """"Tổ chức kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ" (seed 003)."""

    class Meta:
        model = Target

    text = "Tổ chức kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn xã hội trên địa bàn"
    indicator = "INSP_COVERAGE_PCT"
    comparison = Comparison.GTE
    value = 60


class TaskFactory(_UnderPlan):
    class Meta:
        model = Task

    group = TaskGroup.INSPECTION
    title = factory.Sequence(lambda n: f"Kiểm tra định kỳ, đột xuất các cơ sở kinh doanh dịch vụ (đợt {n})")
    deadline = datetime.date(2026, 12, 15)


class TaskUpdateFactory(factory.django.DjangoModelFactory):
    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(task__plan__unit=unit, **kwargs)

    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(TaskFactory)
    unit = factory.SelfAttribute("task.unit")
    on = datetime.date(2026, 3, 10)
    progress = 40
    status = TaskStatus.IN_PROGRESS
    note = "Đã kiểm tra 12 cơ sở lưu trú, karaoke; lập 3 biên bản nhắc nhở."
