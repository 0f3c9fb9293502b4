"""Views of the team area."""
from loket.blueprints.team import bp  # noqa: F401
