"""The project's Schema (core.schema_types): a dict is validated as it is, a model instance and a
schema with resolvers still through ninja's getter, with the same results as ninja's Schema."""

import datetime as dt

import ninja
import pytest
from ninja.schema import DjangoGetter
from pydantic import ValidationError

from chuangkou.core.schema_types import DbId, Schema


class Out(Schema):
    id: DbId
    name: str
    day: dt.date | None = None


class NinjaOut(ninja.Schema):
    id: DbId
    name: str
    day: dt.date | None = None


class WithResolver(Schema):
    id: int
    label: str

    @staticmethod
    def resolve_label(obj) -> str:
        return f"#{obj['id'] if isinstance(obj, dict) else obj.id}"


class Thing:
    def __init__(self, **values):
        self.__dict__.update(values)


def _getter_calls(monkeypatch) -> list:
    calls = []
    original = DjangoGetter.__init__

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        original(self, *args, **kwargs)

    monkeypatch.setattr(DjangoGetter, "__init__", counting)
    return calls


def test_a_dict_is_validated_without_ninjas_getter_and_gives_the_same(monkeypatch):
    calls = _getter_calls(monkeypatch)
    values = {"id": 7, "name": "甲", "day": "2018-03-01"}
    assert Out(**values).model_dump() == NinjaOut(**values).model_dump()
    assert Out.model_validate(values) == Out(id=7, name="甲", day=dt.date(2018, 3, 1))
    assert len(calls) == 1  # only for the NinjaOut: ninja's own Schema
    for bad in ({"id": 0, "name": "甲"}, {"id": 2**63, "name": "甲"}, {"name": "甲"}):
        with pytest.raises(ValidationError):
            Out(**bad)
        with pytest.raises(ValidationError):
            NinjaOut(**bad)


def test_objects_and_resolvers_still_go_through_ninjas_getter(monkeypatch):
    calls = _getter_calls(monkeypatch)
    thing = Thing(id=3, name="乙", day=dt.date(2018, 6, 30), other="x")
    assert Out.model_validate(thing) == Out(id=3, name="乙", day=dt.date(2018, 6, 30))
    assert WithResolver(id=5, label="ignored").label == "#5"  # the resolver, as in ninja
    assert WithResolver.model_validate(Thing(id=6)).label == "#6"
    assert len(calls) == 3
