"""factory_boy factories for the foundation (core + org).

Staff get a valid mobile number and an 18-character ID number whose last character is the
GB 11643 check digit, so that the services accept them as they are.
"""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from chuangkou.core.models import User
from chuangkou.core.roles import Role
from chuangkou.core.validators import id_check_digit
from chuangkou.org.models import (
    Assignment,
    BusinessCategory,
    Center,
    Department,
    Region,
    Separation,
    Staff,
    Window,
)

DEFAULT_PASSWORD = "Chuangkou#2018"


def make_id_number(n: int, *, region: str = "330103", born: dt.date | None = None) -> str:
    """A valid 居民身份证号码: region code, birth date, sequence number, check digit."""
    born = born or dt.date(1970, 1, 1) + dt.timedelta(days=n * 37 % 10000)  # 1970–1997
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


def make_phone(n: int) -> str:
    return f"139{n:08d}"


def set_roles(user: User, *roles: Role) -> User:
    """Give `user` exactly these roles (the groups the migrations create)."""
    user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in roles]))
    user._chuangkou_roles = None
    return user


class UserFactory(DjangoModelFactory):
    """`UserFactory(roles=[Role.CLERK])`; the password is DEFAULT_PASSWORD unless given."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    display_name = factory.Sequence(lambda n: f"用户{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", DEFAULT_PASSWORD)
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        return user

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            set_roles(obj, *extracted)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "330103"
    name = "下城区"
    city = "杭州市"


class CenterFactory(DjangoModelFactory):
    class Meta:
        model = Center

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"测试中心{n}")
    kind = Center.Kind.MAIN


class SubCenterFactory(CenterFactory):
    kind = Center.Kind.SUB
    name = factory.Sequence(lambda n: f"测试分中心{n}")
    parent = factory.SubFactory(CenterFactory)
    region = factory.SelfAttribute("parent.region")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")

    @factory.post_generation
    def heads(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.heads.set(extracted)


class BusinessCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"业务类别{n}")
    order = factory.Sequence(lambda n: n)


class WindowFactory(DjangoModelFactory):
    class Meta:
        model = Window

    center = factory.SubFactory(CenterFactory)
    department = factory.SubFactory(DepartmentFactory)
    number = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.LazyAttribute(lambda o: f"{o.department.name}窗口")


class StaffFactory(DjangoModelFactory):
    """A staff row as it stands (no audit, no first posting: use the services for those)."""

    class Meta:
        model = Staff

    staff_no = factory.Sequence(lambda n: f"F{n:05d}")
    name = factory.Sequence(lambda n: f"人员{n}")
    gender = Staff.Gender.FEMALE
    employment_type = Staff.EmploymentType.TEMPORARY
    department = factory.SubFactory(DepartmentFactory)
    center = factory.SubFactory(CenterFactory)
    window = None
    hire_date = dt.date(2018, 3, 1)
    phone = factory.Sequence(make_phone)
    # another district's code than make_id_number's default, so that a number a test picks by
    # hand (make_id_number(777)) never belongs to a staff member the factories made before it
    id_number = factory.Sequence(lambda n: make_id_number(n, region="330106"))
    status = Staff.Status.ACTIVE


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    staff = factory.SubFactory(StaffFactory)
    center = factory.SelfAttribute("staff.center")
    window = factory.SelfAttribute("staff.window")
    kind = Assignment.Kind.REGULAR
    start_date = factory.SelfAttribute("staff.hire_date")
    end_date = None


class SeparationFactory(DjangoModelFactory):
    """A separation row; the staff member's status is set to 离职 as the service would."""

    class Meta:
        model = Separation

    staff = factory.SubFactory(StaffFactory)
    date = dt.date(2018, 6, 30)
    reason = Separation.Reason.PAY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        separation = super()._create(model_class, *args, **kwargs)
        Staff.objects.filter(pk=separation.staff_id).update(status=Staff.Status.LEFT, window=None)
        return separation
