"""A saved queue view: a named filter and order of the queue, for one supporter or for a whole team."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket.extensions import db
from loket.models.base import utcnow


class SavedView(db.Model):
    """The queue's filter as the page's query string has it (services/requests/saved_views checks every value;
    the allowed views, statuses and orders are the queue's, so no CHECK repeats them here). Exactly one owner:
    a user (a personal view) or a team (made by one of its leads, seen by every member)."""

    __tablename__ = "saved_views"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL AND team_id IS NOT NULL) OR (user_id IS NOT NULL AND team_id IS NULL)",
                        name="one_owner"),
        # Also the indexes behind "the views of this user" and "of these teams".
        UniqueConstraint("user_id", "name", name="uq_saved_views_user_name"),
        UniqueConstraint("team_id", "name", name="uq_saved_views_team_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    queue_view: Mapped[str] = mapped_column(String(20), default="team")
    status: Mapped[str | None] = mapped_column(String(20))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    # "ik" (whoever opens the view), "niemand" or a user id, as the queue's behandelaar filter.
    assignee: Mapped[str | None] = mapped_column(String(12))
    search: Mapped[str | None] = mapped_column(String(100))
    sort: Mapped[str] = mapped_column(String(20), default="deadline")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_team_view(self) -> bool:
        return self.team_id is not None

    def __repr__(self):
        return f"<SavedView {self.name!r}>"
