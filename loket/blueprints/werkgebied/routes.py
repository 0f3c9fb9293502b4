"""Views of the werkgebied area."""
from loket.blueprints.werkgebied import bp  # noqa: F401
