"""Changing one's email address: a link to the new address (which changes only when it is clicked) and a
notice to the old one; an address already in use changes nothing, looks the same, and mails its holder."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import AccountToken
from loket.services.errors import InvalidInput
from loket.services.messaging import mail
from loket.services.network import account, account_tokens
from tests.factories import PASSWORD
from tests.support.account import mailed_token
from tests.support.db import reloaded
from tests.support.mails import outbox_rows, rendered

NEW = "anna.nieuw@example.nl"


def test_the_new_address_gets_a_link_and_the_old_one_a_notice(network):
    user = network.club_contact
    assert account.request_email_change(user, PASSWORD, " Anna.Nieuw@Example.nl ") == NEW
    assert reloaded(user).email == "anna@uboys.example"  # nothing changes before the link is clicked
    confirm, = outbox_rows("email_change_confirm")
    notice, = outbox_rows("email_change_notice")
    assert confirm.payload["to"] == NEW and notice.payload["to"] == "anna@uboys.example"
    token = mailed_token("email_change_confirm")
    assert mail.links_in(rendered(confirm).text) == [f"http://127.0.0.1:5000/account/e-mailadres/{token}"]
    notice_text = rendered(notice).text
    assert NEW in notice_text and mail.links_in(notice_text) == ["http://127.0.0.1:5000/wachtwoord-vergeten"]

    assert account.check_email_change_link(token).new_email == NEW
    changed = account.confirm_email_change(token)
    assert changed.id == user.id and reloaded(user).email == NEW
    with pytest.raises(account.InvalidLink) as used:
        account.confirm_email_change(token)
    assert used.value.message == account_tokens.USED


def test_an_address_in_use_changes_nothing_and_mails_its_holder_instead(network, hashes):
    user = network.club_contact
    account.request_email_change(user, PASSWORD, NEW)
    free = len(hashes)
    hashes.clear()
    taken = network.ondersteuner.email
    assert account.request_email_change(user, PASSWORD, taken.upper()) == taken
    assert len(hashes) == free == 1  # the same work either way
    in_use, = outbox_rows("email_in_use")
    assert in_use.payload["to"] == taken
    sent = rendered(in_use)
    assert "niets veranderd" in sent.text and user.name not in sent.text and user.email not in sent.text
    # The one asking is told about it in the same way as for a free address: a notice to their own address.
    assert [row.payload["context"]["new_email"] for row in outbox_rows("email_change_notice")] == [NEW, taken]
    assert [row.payload["to"] for row in outbox_rows("email_change_confirm")] == [NEW]
    assert _db.session.scalar(select(func.count()).select_from(AccountToken)
                              .where(AccountToken.new_email == taken)) == 0
    assert reloaded(user).email == "anna@uboys.example"


@pytest.mark.parametrize("password, new_email, field, message", [
    ("niet mijn wachtwoord", NEW, "password", account.WRONG_CURRENT_PASSWORD),
    (PASSWORD, "", "new_email", "Vul je nieuwe e-mailadres in."),
    (PASSWORD, "geen-adres", "new_email", "Vul een geldig e-mailadres in"),
    (PASSWORD, "a\x00b@example.nl", "new_email", "Vul een geldig e-mailadres in"),
    (PASSWORD, "x" * 250 + "@example.nl", "new_email", "hooguit 254 tekens"),
    (PASSWORD, "ANNA@uboys.example", "new_email", "al het e-mailadres van je account"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_sent(network, password, new_email, field, message):
    with pytest.raises(InvalidInput) as refused:
        account.request_email_change(network.club_contact, password, new_email)
    assert message in refused.value.errors[field]
    _db.session.rollback()
    assert outbox_rows() == []
    assert _db.session.scalar(select(func.count()).select_from(AccountToken)) == 0


def test_an_address_taken_after_the_request_is_not_moved_onto(network):
    account.request_email_change(network.club_contact, PASSWORD, NEW)
    token = mailed_token("email_change_confirm")
    network.collega.email = NEW
    _db.session.commit()
    with pytest.raises(account.InvalidLink) as refused:
        account.confirm_email_change(token)
    assert "hoort inmiddels bij een ander account" in refused.value.message
    assert reloaded(network.club_contact).email == "anna@uboys.example"


def test_a_wrong_link_is_refused(network):
    for wrong in (None, "", "nope", "x" * 500):
        with pytest.raises(account.InvalidLink) as refused:
            account.confirm_email_change(wrong)
        assert refused.value.message == account_tokens.INVALID
    reset = account_tokens.issue(network.club_contact, "reset_password")
    _db.session.commit()
    with pytest.raises(account.InvalidLink):
        account.confirm_email_change(reset)


@pytest.mark.parametrize("end", [
    lambda user: account.sign_out_everywhere(user),
    lambda user: account.change_password(user, PASSWORD, "een heel nieuw wachtwoord"),
])
def test_an_asked_change_is_cancelled_when_every_session_ends(network, end):
    """Someone with a stolen session asks to move the account to their address; the owner, warned by the
    notice, signs out everywhere or picks a new password: the link no longer works."""
    account.request_email_change(network.club_contact, PASSWORD, NEW)
    token = mailed_token("email_change_confirm")
    end(network.club_contact)
    with pytest.raises(account.InvalidLink):
        account.confirm_email_change(token)
    assert reloaded(network.club_contact).email == "anna@uboys.example"
