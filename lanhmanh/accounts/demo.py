from lanhmanh.accounts.models import Membership, User
from lanhmanh.accounts.roles import Role
from lanhmanh.geo.models import Agency


def seed(ctx):
    """A province officer and two commune officers of sibling communes, to see scoping at work."""
    if ctx.scale != "demo":
        return
    province = ctx.provinces[0]
    communes = [c for c in ctx.detailed_communes if c.parent_id == province.pk][:2]
    people = [
        ("demo.tinh", "Cán bộ tỉnh (demo)", province, Role.PROGRAMME_OFFICER, None),
        ("demo.xa1", "Cán bộ xã 1 (demo)", communes[0], Role.PROGRAMME_OFFICER, "culture_society"),
        ("demo.xa2", "Cán bộ xã 2 (demo)", communes[1], Role.PROGRAMME_OFFICER, "culture_society"),
        ("demo.lanhdao", "Lãnh đạo tỉnh (demo)", province, Role.APPROVER, None),
    ]
    for username, full_name, unit, role, agency_type in people:
        user = User(username=username, full_name=full_name, position="Demo")
        user.set_password(ctx.password)
        user.save()
        agency = Agency.objects.filter(unit=unit, agency_type__code=agency_type).first() if agency_type else None
        Membership.objects.create(user=user, unit=unit, role=role, agency=agency)
        ctx.users[username] = f"{role.label} — {unit.name}"
