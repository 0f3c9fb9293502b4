"""Fixtures shared by the service tests."""
import pytest

from tests.support.quality import extend_network, quality_history


@pytest.fixture()
def quality(network):
    extend_network(network)
    quality_history(network)
    return network
