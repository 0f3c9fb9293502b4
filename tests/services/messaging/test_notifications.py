"""Who is told what (loket/notifications.py): every DESIGN event that should notify someone does, exactly
once, to exactly the right people, through the real SendGrid client (to the fake SendGrid, jobs inline).

`sent_to(fake)` counts (template, recipient) pairs SendGrid accepted, joined with the outbox rows.
"""
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import OutboxMessage, SupportRequest
from loket.services.messaging import reply_addresses
from loket.services.messaging.notifications import ESSENTIAL, OPTIONAL
from loket.services.requests import actions, service_levels, teamwork
from tests.factories import make_user
from tests.fakes.sendgrid import FakeSendGrid, mail_to_fake, sendgrid_fake  # noqa: F401  (fixtures)
from tests.support.db import reloaded
from tests.support.mails import accepted_mails, sent_to
from tests.support.requests import DESCRIPTION, TITLE, file_request

# What each template's Dutch subject says after "[reference] ".
SUBJECTS = {
    "request_received": "We hebben je vraag ontvangen",
    "new_in_queue": "Nieuwe aanvraag in de wachtrij",
    "new_in_fallback": "Aanvraag in de opvangwachtrij",
    "public_reply": "Nieuwe reactie op je vraag",
    "club_replied": "reageerde",
    "referral_proposed": "Doorverwijzing voor",
    "referral_decided": "Doorverwijzing",
    "satisfaction_question": "Hoe tevreden ben je over de hulp?",
    "sla_at_risk": "Deadline binnen 24 uur",
    "sla_overdue": "Te laat",
}


def _access(user, request):
    return teamwork.supporter_access(user, request.id)


def _reload(request) -> SupportRequest:
    return reloaded(request)


def _reply(network, request, body, who="ondersteuner"):
    user = getattr(network, who)
    teamwork.post_message(_access(user, request), actor=user, body=body, internal=False)


def _note(network, request, body, who="ondersteuner"):
    user = getattr(network, who)
    teamwork.post_message(_access(user, request), actor=user, body=body, internal=True)


def _club_reply(network, request, body, who="club_contact"):
    actions.add_message(_reload(request), actor=getattr(network, who), body=body, internal=False,
                                 as_supporter=False)


def _refer(network, request, to="loket_eemland", reason="Club is verhuisd naar Amersfoort."):
    return teamwork.propose_referral(_access(network.ondersteuner, request), actor=network.ondersteuner,
                                     to_team_id=getattr(network, to).team.id, reason=reason)


def _status(network, request, status, who="ondersteuner"):
    user = getattr(network, who)
    teamwork.change_status(_access(user, request), status, actor=user)


@pytest.fixture()
def fake(db, network, mail_to_fake):
    return mail_to_fake


@pytest.fixture()
def filed(fake, network):
    """A generic request of VV Utrechtse Boys (Sportloket Utrecht); the filing mails are cleared."""
    request = file_request(network)
    fake.calls.clear()
    return request


def _new_rows_since(count_before: int) -> list[OutboxMessage]:
    return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).offset(count_before)))


def _row_count() -> int:
    return len(list(_db.session.scalars(select(OutboxMessage.id))))


# ---------------------------------------------------------------- filing


def test_filing_tells_the_club_and_the_owning_loket_team(fake, network):
    file_request(network)
    assert sent_to(fake) == Counter({
        ("request_received", network.club_contact.email): 1,
        ("new_in_queue", network.ondersteuner.email): 1,
        ("new_in_queue", network.collega.email): 1,
    })
    assert len(fake.calls) == 3 and fake.schema_errors == []


def test_sport_specific_request_tells_the_bond_team(fake, network):
    file_request(network, category="sporttechnisch-competitie", sport="voetbal")
    assert sent_to(fake) == Counter({
        ("request_received", network.club_contact.email): 1,
        ("new_in_queue", network.bondsspecialist.email): 1,
    })


@pytest.mark.parametrize("where", ["no_loket", "loket_in_oprichting", "bond_not_aangesloten"])
def test_fallback_tells_the_coordinatiepunt_without_title_or_description(fake, network, where):
    title, description = "Geheime titel over een conflict", "Vertrouwelijke beschrijving met namen."
    if where == "no_loket":
        contact, request = network.zeist_contact, file_request(network, who="zeist_contact", club="club_zeist",
                                                               title=title, description=description)
    else:
        network.bunnik_contact = contact = make_user("club", network.club_bunnik, name="Tim Tennis")
        _db.session.commit()
        kwargs = {"category": "sporttechnisch-competitie", "sport": "tennis"} if where == "bond_not_aangesloten" else {}
        request = file_request(network, who="bunnik_contact", club="club_bunnik", title=title,
                               description=description, **kwargs)
    assert request.owner_team.kind == "fallback"
    assert sent_to(fake) == Counter({("request_received", contact.email): 1,
                                     ("new_in_fallback", network.coordinator.email): 1})
    [notice] = [m for m in accepted_mails(fake) if m.template == "new_in_fallback"]
    for part in (notice.subject, notice.text, notice.html):
        assert request.reference in part
        assert title not in part and description not in part
    assert request.club.gemeente.name in notice.subject


# ---------------------------------------------------------------- messages


def test_supporter_public_reply_tells_the_club_once(fake, filed, network):
    _reply(network, filed, "Wij bellen je donderdag over de trainers.")
    assert sent_to(fake) == Counter({("public_reply", network.club_contact.email): 1})
    [mail] = accepted_mails(fake)
    assert "Wij bellen je donderdag over de trainers." in mail.text
    assert "Wij bellen je donderdag over de trainers." in mail.html


def test_internal_note_tells_nobody(fake, filed, network):
    before = _row_count()
    _note(network, filed, "Intern: penningmeester is lastig.")
    assert _new_rows_since(before) == []
    assert fake.calls == []


def test_club_reply_tells_the_whole_team_while_unassigned(fake, filed, network):
    _club_reply(network, filed, "Aanvulling: ook een scheidsrechter.")
    assert sent_to(fake) == Counter({("club_replied", network.ondersteuner.email): 1,
                                     ("club_replied", network.collega.email): 1})
    assert all("Aanvulling: ook een scheidsrechter." in m.text for m in accepted_mails(fake))


def test_club_reply_tells_only_the_assignee(fake, filed, network):
    teamwork.claim(_access(network.collega, filed), actor=network.collega)
    fake.calls.clear()
    _club_reply(network, filed, "Aanvulling: ook een scheidsrechter.")
    assert sent_to(fake) == Counter({("club_replied", network.collega.email): 1})


# ---------------------------------------------------------------- referrals


def test_referral_proposal_tells_the_receiving_team(fake, filed, network):
    _refer(network, filed)
    assert sent_to(fake) == Counter({("referral_proposed", network.ondersteuner_eemland.email): 1})
    [mail] = accepted_mails(fake)
    assert "Club is verhuisd naar Amersfoort." in mail.text
    assert filed.reference in mail.subject


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_referral_decision_tells_the_proposer(fake, filed, network, decision):
    referral = _refer(network, filed)
    fake.calls.clear()
    eva = network.ondersteuner_eemland
    if decision == "accept":
        teamwork.accept_referral(_access(eva, filed), actor=eva)
    else:
        teamwork.decline_referral(_access(eva, filed), actor=eva, reason="Wij doen geen jeugdkader.")
    assert sent_to(fake) == Counter({("referral_decided", network.ondersteuner.email): 1})
    [mail] = accepted_mails(fake)
    if decision == "accept":
        assert "geaccepteerd" in mail.subject
    else:
        assert "afgewezen" in mail.subject and "Wij doen geen jeugdkader." in mail.text
    assert referral.id


# ---------------------------------------------------------------- resolution and service levels


def test_resolving_asks_the_club_for_satisfaction_once(fake, filed, network):
    _status(network, filed, "opgelost")
    assert sent_to(fake) == Counter({("satisfaction_question", network.club_contact.email): 1})
    _status(network, filed, "gesloten")
    assert sent_to(fake) == Counter({("satisfaction_question", network.club_contact.email): 1})


def test_sweep_warns_at_risk_then_overdue_once_per_deadline(fake, filed, network):
    due = _reload(filed).due_at
    team = {network.ondersteuner.email, network.collega.email}

    assert service_levels.sweep(due - timedelta(hours=12)) == {"overdue": 0, "at_risk": 1, "referrals_overdue": 0}
    service_levels.sweep(due - timedelta(hours=11))  # the scheduler runs it again
    assert sent_to(fake) == Counter({("sla_at_risk", email): 1 for email in team})

    fake.calls.clear()
    assert service_levels.sweep(due + timedelta(hours=1)) == {"overdue": 1, "at_risk": 0, "referrals_overdue": 0}
    service_levels.sweep(due + timedelta(hours=2))
    assert sent_to(fake) == Counter({("sla_overdue", email): 1 for email in team})
    for mail in accepted_mails(fake):
        assert filed.reference in mail.subject and filed.reference in mail.text


def test_sweep_warns_only_the_assignee_and_skips_paused_and_resolved_requests(fake, filed, network):
    teamwork.claim(_access(network.ondersteuner, filed), actor=network.ondersteuner)
    waiting = file_request(network, title="Tweede vraag")
    _status(network, waiting, "wacht_op_club")
    done = file_request(network, title="Derde vraag")
    _status(network, done, "opgelost")
    fake.calls.clear()

    latest = max(_reload(r).due_at or _reload(filed).due_at for r in (filed, waiting, done))
    service_levels.sweep(latest + timedelta(hours=1))
    assert sent_to(fake) == Counter({("sla_overdue", network.ondersteuner.email): 1})
    [mail] = accepted_mails(fake)
    assert filed.reference in mail.subject


def test_deadline_moved_by_waiting_warns_again_for_the_new_deadline(fake, filed, network):
    """Once per deadline: a request whose deadline moved gets a warning for the new one too."""
    first_due = _reload(filed).due_at
    service_levels.sweep(first_due - timedelta(hours=12))
    _reply(network, filed, "Eerste reactie.")  # first response given: the deadline is now resolution
    second_due = _reload(filed).due_at
    assert second_due > first_due
    fake.calls.clear()
    service_levels.sweep(second_due - timedelta(hours=12))
    service_levels.sweep(second_due - timedelta(hours=6))
    assert sent_to(fake) == Counter({("sla_at_risk", network.ondersteuner.email): 1,
                                     ("sla_at_risk", network.collega.email): 1})


# ---------------------------------------------------------------- preferences and inactive users


def test_notify_optional_false_suppresses_only_optional_notices(fake, network):
    assert ESSENTIAL.isdisjoint(OPTIONAL)
    for user in (network.club_contact, network.collega):
        user.notify_optional = False
    _db.session.commit()

    request = file_request(network)
    _reply(network, request, "Een reactie.")
    _club_reply(network, request, "Dank je.")
    _status(network, request, "opgelost")
    service_levels.sweep(_reload(request).due_at or request.created_at + timedelta(days=60))

    got = sent_to(fake)
    anna, cees, ofelia = network.club_contact.email, network.collega.email, network.ondersteuner.email
    assert got[("request_received", anna)] == 1  # essential
    assert got[("public_reply", anna)] == 1  # essential
    assert got[("satisfaction_question", anna)] == 0  # optional, anna opted out
    assert got[("new_in_queue", cees)] == 0 and got[("new_in_queue", ofelia)] == 1
    assert got[("club_replied", cees)] == 0 and got[("club_replied", ofelia)] == 1


def test_optional_opt_out_still_gets_overdue_but_not_at_risk(fake, filed, network):
    network.collega.notify_optional = False
    _db.session.commit()
    due = _reload(filed).due_at
    service_levels.sweep(due - timedelta(hours=1))
    service_levels.sweep(due + timedelta(hours=1))
    got = sent_to(fake)
    assert got[("sla_at_risk", network.collega.email)] == 0
    assert got[("sla_overdue", network.collega.email)] == 1
    assert got[("sla_at_risk", network.ondersteuner.email)] == 1


def test_inactive_users_are_not_mailed(fake, network):
    network.collega.active = False
    _db.session.commit()
    file_request(network)
    assert ("new_in_queue", network.collega.email) not in sent_to(fake)
    assert sent_to(fake)[("new_in_queue", network.ondersteuner.email)] == 1


def test_when_the_requester_left_the_club_every_club_contact_is_told(fake, filed, network):
    second = make_user("club", network.club_utrecht, name="Piet Penningmeester")
    requester = network.club_contact
    requester.memberships.clear()
    _db.session.commit()
    _reply(network, filed, "Hoe gaat het ermee?")
    assert sent_to(fake) == Counter({("public_reply", second.email): 1})


# ---------------------------------------------------------------- what the mails say


def _journey(network):
    """Every event that notifies someone, on one request (plus a referral that is declined)."""
    request = file_request(network)
    _note(network, request, "INTERN-1 penningmeester onbereikbaar")
    _reply(network, request, "PUBLIEK-1 we bellen je")
    _club_reply(network, request, "CLUB-1 prima")
    _refer(network, request, reason="INTERN-2 reden voor de doorverwijzing")
    eva = network.ondersteuner_eemland
    teamwork.decline_referral(_access(eva, request), actor=eva, reason="INTERN-3 reden van afwijzen")
    _status(network, request, "opgelost")
    service_levels.sweep(_reload(request).due_at - timedelta(hours=1))
    service_levels.sweep(_reload(request).due_at + timedelta(hours=1))  # opgelost: nothing more
    return request


def test_every_template_is_rendered_in_dutch_with_the_reference(fake, network):
    request = _journey(network)
    mails = accepted_mails(fake)
    assert {m.template for m in mails} == {"request_received", "new_in_queue", "public_reply", "club_replied",
                                           "referral_proposed", "referral_decided", "satisfaction_question"}
    users = {u.email: u for u in (network.club_contact, network.ondersteuner, network.collega,
                                  network.ondersteuner_eemland)}
    for mail in mails:
        assert mail.subject.startswith(f"[{request.reference}] "), mail.subject
        assert SUBJECTS[mail.template] in mail.subject
        assert request.reference in mail.text and request.reference in mail.html
        assert mail.text.startswith(f"Beste {users[mail.to].name},")
        assert '<html lang="nl">' in mail.html and f"Beste {users[mail.to].name}" in mail.html
        # The reply address with the request's reply token: the only address the inbound webhook accepts.
        assert mail.call.body["reply_to"]["email"] == reply_addresses.reply_address(request.reference)
        assert mail.call.body["reply_to"]["email"].startswith(f"loket+{request.reference}.")
    assert fake.schema_errors == []


def test_club_users_never_see_internal_text(fake, network):
    _journey(network)
    club_mails = [m for m in accepted_mails(fake) if m.to == network.club_contact.email]
    assert {m.template for m in club_mails} == {"request_received", "public_reply", "satisfaction_question"}
    for mail in club_mails:
        for part in (mail.subject, mail.text, mail.html):
            assert "INTERN-" not in part
            assert "valt onder" not in part  # the routing explanation is internal too
    assert any("PUBLIEK-1" in m.text for m in club_mails)


def test_mail_html_escapes_what_users_typed(fake, filed, network):
    _reply(network, filed, "<script>alert('x')</script> & <b>vet</b>")
    [mail] = accepted_mails(fake)
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html
    assert "<script>alert('x')</script>" in mail.text  # plain text stays as typed


# ---------------------------------------------------------------- known bugs (strict xfail)


def test_mail_bodies_are_valid_against_the_official_schema(app, db, network, monkeypatch):
    strict = FakeSendGrid(tolerate=()).start()
    try:
        for key, value in {"MAIL_PROVIDER": "sendgrid", "SENDGRID_API_KEY": "test-key",
                           "SENDGRID_API_HOST": strict.url, "JOBS_INLINE": True}.items():
            monkeypatch.setitem(app.config, key, value)
        file_request(network)
        assert len(strict.calls) == 3
        assert strict.schema_errors == []
        assert {row.status for row in _db.session.scalars(select(OutboxMessage))} == {"sent"}
    finally:
        strict.stop()


def test_club_reply_on_a_fallback_request_shows_the_coordinatiepunt_no_contents(fake, network):
    request = file_request(network, who="zeist_contact", club="club_zeist")
    _club_reply(network, request, "Nog een vertrouwelijk detail.", who="zeist_contact")
    to_coordinator = [m for m in accepted_mails(fake) if m.to == network.coordinator.email]
    assert to_coordinator, "the coördinatiepunt is told something about the fallback request"
    for mail in to_coordinator:
        for part in (mail.subject, mail.text, mail.html):
            assert TITLE not in part and DESCRIPTION not in part and "vertrouwelijk detail" not in part


def test_sweep_on_a_fallback_request_shows_the_coordinatiepunt_no_contents(fake, network):
    request = file_request(network, who="zeist_contact", club="club_zeist")
    due = _reload(request).due_at
    service_levels.sweep(due - timedelta(hours=1))
    service_levels.sweep(due + timedelta(hours=1))
    for mail in accepted_mails(fake):
        if mail.to == network.coordinator.email:
            for part in (mail.subject, mail.text, mail.html):
                assert TITLE not in part and DESCRIPTION not in part


def test_overdue_referral_escalates_to_the_sending_team_once(fake, filed, network):
    _reply(network, filed, "Eerste reactie.")  # the request's own deadline is now weeks away
    referral = _refer(network, filed)
    request_due = _reload(filed).due_at
    assert referral.due_at + timedelta(hours=25) < request_due
    fake.calls.clear()

    service_levels.sweep(referral.due_at + timedelta(hours=1))
    service_levels.sweep(referral.due_at + timedelta(hours=2))
    mails = accepted_mails(fake)
    to_proposer = [m for m in mails if m.to == network.ondersteuner.email]
    assert len(to_proposer) == 1
    assert filed.reference in to_proposer[0].subject
    assert {m.to for m in mails} <= {network.ondersteuner.email, network.collega.email}


# ---------------------------------------------------------------- a bond's and an initiative's team alike

@pytest.fixture(params=["bond", "initiatief"])
def other(request, network):
    """KNVB's or SPN procesbegeleiders' team, with a second member (so 'the whole team' is two people)."""
    from tests.support.teams import other_team
    team = other_team(network, request.param)
    return SimpleNamespace(**vars(team), member=team.member, second=team.make_member(name="Tweede Teamlid"))


def test_a_referral_to_the_team_tells_all_its_members_and_its_decision_the_proposer(fake, filed, network, other):
    teamwork.propose_referral(_access(network.ondersteuner, filed), actor=network.ondersteuner,
                              to_team_id=other.organisation.team.id, reason="Dit past bij jullie.")
    assert sent_to(fake) == Counter({("referral_proposed", other.member.email): 1,
                                     ("referral_proposed", other.second.email): 1})
    assert all("Dit past bij jullie." in m.text for m in accepted_mails(fake))
    fake.calls.clear()
    teamwork.accept_referral(_access(other.member, filed), actor=other.member)
    assert sent_to(fake) == Counter({("referral_decided", network.ondersteuner.email): 1})


def test_the_owning_team_hears_of_club_replies_and_deadlines_and_the_club_of_its_replies(fake, network, other):
    from tests.support.teams import other_team, owned_request
    request = owned_request(network, other_team(network, other.kind))
    fake.calls.clear()
    _club_reply(network, request, "Aanvulling van de club.")
    assert sent_to(fake) == Counter({("club_replied", other.member.email): 1, ("club_replied", other.second.email): 1})
    fake.calls.clear()
    teamwork.post_message(_access(other.second, request), actor=other.second, body="Ons antwoord.", internal=False)
    assert sent_to(fake) == Counter({("public_reply", network.club_contact.email): 1})
    fake.calls.clear()
    service_levels.sweep(_reload(request).due_at + timedelta(hours=1))
    assert sent_to(fake) == Counter({("sla_overdue", other.member.email): 1, ("sla_overdue", other.second.email): 1})


def test_an_overdue_referral_from_the_team_escalates_to_its_proposer(fake, network, other):
    from tests.support.teams import other_team, owned_request
    request = owned_request(network, other_team(network, other.kind))
    teamwork.post_message(_access(other.member, request), actor=other.member, body="Eerste reactie.", internal=False)
    referral = teamwork.propose_referral(_access(other.member, request), actor=other.member,
                                         to_team_id=network.loket_eemland.team.id, reason="Hoort bij Eemland.")
    fake.calls.clear()
    service_levels.sweep(referral.due_at + timedelta(hours=1))
    assert ("referral_overdue", other.member.email) in sent_to(fake)
    assert {to for _, to in sent_to(fake)} <= {other.member.email, network.ondersteuner_eemland.email}
