"""factory_boy factories for the catalog. A matter's search text is filled as the services would
(`refresh_search_text`) once its materials are made: `MatterFactory(materials=["身份证", ...])`."""

import factory
from factory.django import DjangoModelFactory

from chuangkou.catalog.models import Bundle, BundleItem, Material, Matter
from chuangkou.catalog.services import refresh_search_text

from ..factories import DepartmentFactory


class MatterFactory(DjangoModelFactory):
    class Meta:
        model = Matter
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    kind = Matter.Kind.LICENSE
    promised_days = 3
    max_visits = 1
    online = True

    @factory.post_generation
    def materials(obj, create, extracted, **kwargs):
        """`materials=["身份证", MaterialSpec...]`: names, or dicts of Material fields."""
        if not create:
            return
        for order, item in enumerate(extracted or []):
            data = {"name": item} if isinstance(item, str) else dict(item)
            Material.objects.create(matter=obj, order=order, **data)
        refresh_search_text(obj)


class MaterialFactory(DjangoModelFactory):
    class Meta:
        model = Material

    matter = factory.SubFactory(MatterFactory)
    name = factory.Sequence(lambda n: f"材料{n}")


class BundleFactory(DjangoModelFactory):
    class Meta:
        model = Bundle
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"B-{n:03d}")
    name = factory.Sequence(lambda n: f"测试一件事{n}")

    @factory.post_generation
    def matters(obj, create, extracted, **kwargs):
        if create and extracted:
            for order, matter in enumerate(extracted):
                BundleItem.objects.create(bundle=obj, matter=matter, order=order)
