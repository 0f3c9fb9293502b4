"""The API's spectree adapter looks at a view's whole answer only (validation.LoketModelAdapter): spectree's own
walked every value of every answer to find a model inside it."""
from dataclasses import dataclass

from pydantic import BaseModel

from loket.blueprints.api.openapi import spec
from loket.blueprints.api.validation import LoketModelAdapter


class _Answer(BaseModel):
    id: int


@dataclass
class _Row:
    id: int


class _Untouchable(dict):
    """A plain answer whose values may not be walked."""

    def items(self):
        raise AssertionError("walked")

    def values(self):
        raise AssertionError("walked")


def test_a_model_or_dataclass_as_the_whole_answer_is_still_serialised_by_spectree():
    adapter = LoketModelAdapter()
    assert adapter.is_partial_model_instance(_Answer(id=1))
    assert adapter.is_partial_model_instance(_Row(id=1))


def test_a_plain_answer_is_not_walked():
    adapter = LoketModelAdapter()
    assert not adapter.is_partial_model_instance(_Untouchable(items=[{"id": i} for i in range(3000)]))
    assert not adapter.is_partial_model_instance([{"id": 1}, {"id": 2}])


def test_the_api_uses_it():
    assert isinstance(spec.model_adapter, LoketModelAdapter)
