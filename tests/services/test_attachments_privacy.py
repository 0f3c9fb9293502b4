"""AVG and attachments (issue #14 point 2): erasing a person removes the files of their requests and the files they
attached elsewhere, the retention removes a long-closed request's files; rows are marked, bytes deleted only once
the transaction commits."""
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db
from loket.models import Attachment
from loket.models.base import utcnow
from loket.services.privacy import erasure, retention
from loket.services.requests import attachments, teamwork
from loket.services.transaction import commit
from tests.support import attachments as samples
from tests.support.requests import file_request


def _exists(app, attachment) -> bool:
    key = attachment.storage_key
    return os.path.exists(os.path.join(app.config["ATTACHMENT_STORAGE_DIR"], key[:2], key))


@pytest.fixture()
def files(network):
    """Anna's request with her file and the loket's, and a file Anna attached to another contact's request."""
    mine = file_request(network, category="overig", title="Anna's vraag")
    theirs = file_request(network, who="other_club_contact", club="club_amersfoort", category="overig")
    access = teamwork.supporter_access(network.ondersteuner, mine.id)
    return {
        "anna_own": attachments.attach_as_club(mine, attachments.check_file("a.pdf", samples.PDF),
                                               actor=network.club_contact),
        "loket_on_anna": attachments.attach_as_supporter(access, attachments.check_file("b.pdf", samples.PDF),
                                                         actor=network.ondersteuner, internal=True),
        "other": attachments.attach_as_club(theirs, attachments.check_file("c.pdf", samples.PDF),
                                            actor=network.other_club_contact),
    }


def test_erasing_a_person_removes_their_requests_files_and_keeps_others(app, network, files):
    counts = erasure.erase_person(network.club_contact.email, actor=network.beheerder,
                                  confirmation=network.club_contact.email, reason="Verzoek van 3 maart")
    assert counts["attachments"] == 2
    for name in ("anna_own", "loket_on_anna"):
        row = db.session.get(Attachment, files[name].id)
        assert row.removed_at is not None and row.name == attachments.REMOVED_NAME and not _exists(app, row)
    assert _exists(app, files["other"]) and db.session.get(Attachment, files["other"].id).removed_at is None


def test_a_refused_erasure_keeps_every_file(app, network, files):
    with pytest.raises(Exception):
        erasure.erase_person(network.club_contact.email, actor=network.beheerder, confirmation="iemand@anders.nl",
                             reason="Verzoek")
    db.session.rollback()
    assert all(_exists(app, row) for row in files.values())


def test_retention_removes_a_long_closed_requests_files(app, network, files):
    request = files["anna_own"].request
    request.status, request.closed_at = "gesloten", utcnow() - timedelta(days=7 * 365 + 1)
    commit()
    assert retention.apply_retention()["attachments"] == 2
    assert not _exists(app, files["anna_own"]) and not _exists(app, files["loket_on_anna"])
    assert attachments.visible(request, include_internal=True) == []
    assert _exists(app, files["other"])
    assert db.session.scalar(select(Attachment.removed_at).where(Attachment.id == files["other"].id)) is None
