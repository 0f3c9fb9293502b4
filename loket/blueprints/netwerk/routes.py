"""Views of the netwerk area."""
from loket.blueprints.netwerk import bp  # noqa: F401
