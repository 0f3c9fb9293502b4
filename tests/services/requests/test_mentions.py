"""Mentions in internal notes: the @-syntax, who may be named (teamwork's readers), the refusal naming who, the mail
once, the start page entry and marking it seen."""
import pytest

from loket.extensions import db as _db
from loket.models import Event, Mention, OutboxMessage
from loket.services.errors import InvalidInput
from loket.services.reporting import home
from loket.services.requests import mentions, teamwork
from tests import factories
from tests.support.db import count_queries, count_rows
from tests.support.mails import outbox_rows, rendered
from tests.support.requests import file_request


def _note(network, request, body, who="ondersteuner"):
    actor = getattr(network, who)
    return teamwork.post_message(teamwork.supporter_access(actor, request.id), actor=actor, body=body, internal=True)


def _mails(name="mentioned"):
    return [(row.payload["to"]) for row in _db.session.query(OutboxMessage).filter_by(name=name)]


@pytest.fixture()
def request_x(network):
    return file_request(network)


def test_a_full_name_with_spaces_any_case_or_an_address_part_names_a_colleague(network, request_x):
    event = _note(network, request_x, "Kun jij dit oppakken, @cees collega? Verder niemand.")
    assert [(m.user_id, m.seen_at) for m in _db.session.query(Mention)] == [(network.collega.id, None)]
    assert _mails() == [network.collega.email]
    assert event.body.startswith("Kun jij dit oppakken, @cees collega?")
    local_part = network.collega.email.partition("@")[0]
    _note(network, request_x, f"Zie ook (@{local_part}).")
    assert count_rows(Mention) == 2


def test_the_longest_name_wins_and_addresses_are_no_mentions(network, request_x):
    jan = factories.make_user("clubondersteuner", network.loket_utrecht, name="Jan")
    jan_jansen = factories.make_user("clubondersteuner", network.loket_utrecht, name="Jan Jansen")
    _db.session.commit()
    _note(network, request_x, "@Jan Jansen, mail info@uboys.example of kijk op @ 10 uur.")
    assert [m.user_id for m in _db.session.query(Mention)] == [jan_jansen.id]
    assert jan.id not in [m.user_id for m in _db.session.query(Mention)]


def test_mentioning_someone_who_cannot_read_the_request_is_refused_naming_them_and_nothing_is_stored(
        network, request_x):
    events_before = count_rows(Event)
    with pytest.raises(InvalidInput) as refused:
        _note(network, request_x, "@Eva Eemland en @Bas Bond, wat vinden jullie? @Cees Collega ook.")
    message = refused.value.errors["body"]
    assert "Eva Eemland en Bas Bond kunnen deze aanvraag niet lezen" in message
    assert "Cees" not in message
    with pytest.raises(InvalidInput) as unknown:
        _note(network, request_x, "@Niemand_Bekend help")
    assert unknown.value.errors["body"] == "Niemand die aan deze aanvraag werkt heet ‘@Niemand_Bekend’."
    with pytest.raises(InvalidInput) as club:  # the club's contact never reads a note
        _note(network, request_x, "@Anna de Vries")
    assert "‘@Anna’" in club.value.errors["body"]
    assert count_rows(Event) == events_before and count_rows(Mention) == 0 and _mails() == []


def test_an_invited_team_may_be_named_and_name_the_owners_and_the_mail_goes_once(network, request_x):
    with pytest.raises(InvalidInput):
        _note(network, request_x, "@Bas Bond")
    teamwork.invite_team(teamwork.supporter_access(network.ondersteuner, request_x.id), actor=network.ondersteuner,
                         team_id=network.knvb.team.id)
    event = _note(network, request_x, "@Bas Bond, @bas bond en nog eens @Bas Bond: kijk je mee?")
    assert [(m.event_id, m.user_id) for m in _db.session.query(Mention)] == [(event.id, network.bondsspecialist.id)]
    assert _mails() == [network.bondsspecialist.email]
    _note(network, request_x, "Dank, @Ofelia Ondersteuner", who="bondsspecialist")
    assert sorted(_mails()) == sorted([network.bondsspecialist.email, network.ondersteuner.email])


def test_naming_yourself_tells_nobody_and_a_public_reply_mentions_nobody(network, request_x):
    _note(network, request_x, "Notitie voor mezelf, @Ofelia Ondersteuner")
    teamwork.post_message(teamwork.supporter_access(network.ondersteuner, request_x.id), actor=network.ondersteuner,
                          body="Dag @Eva Eemland", internal=False)
    assert count_rows(Mention) == 0 and _mails() == []


def test_the_start_page_lists_unseen_mentions_until_the_request_is_opened(app, network, request_x):
    other = file_request(network, title="Tweede vraag")
    _note(network, request_x, "@Cees Collega eerste")
    _note(network, other, "@Cees Collega tweede")
    page = home.supporter_home(network.collega)
    assert [(m.reference, m.by) for m in page.mentions] == [(other.reference, "Ofelia Ondersteuner"),
                                                            (request_x.reference, "Ofelia Ondersteuner")]
    assert page.mentions_total == 2
    assert mentions.mark_seen(network.collega, request_x.id) == 1
    assert mentions.mark_seen(network.collega, request_x.id) == 0
    assert [m.reference for m in home.supporter_home(network.collega).mentions] == [other.reference]
    assert mentions.mark_all_seen(network.collega) == 1
    assert home.supporter_home(network.collega).mentions == []
    assert home.supporter_home(network.ondersteuner).mentions == []


def test_the_start_page_costs_the_same_queries_for_one_mention_or_many(app, network, request_x):
    _note(network, request_x, "@Cees Collega een")
    with count_queries(app) as one:
        home.supporter_home(network.collega)
    for number in range(12):
        _note(network, file_request(network, title=f"Vraag {number}"), f"@Cees Collega {number}")
    with count_queries(app) as many:
        page = home.supporter_home(network.collega)
    assert len(page.mentions) == home.LIST_SIZE and page.mentions_total == 13
    assert len(many) <= len(one) + 1  # the count, once there is more than a page


def test_a_mention_check_costs_a_constant_number_of_queries(app, network, request_x):
    teamwork.invite_team(teamwork.supporter_access(network.ondersteuner, request_x.id), actor=network.ondersteuner,
                         team_id=network.knvb.team.id)
    access = teamwork.supporter_access(network.ondersteuner, request_x.id)
    readers = teamwork.members_of_teams(sorted(access.reader_team_ids))
    with count_queries(app) as statements:
        found = mentions.mentioned_in("@Cees Collega @Bas Bond @ofelia ondersteuner " * 5, readers)
    assert len(statements) == 0 and {u.id for u in found} == {network.collega.id, network.bondsspecialist.id,
                                                              network.ondersteuner.id}
    with count_queries(app) as one:
        with pytest.raises(InvalidInput):
            mentions.mentioned_in("@Eva Eemland", readers)
    with count_queries(app) as four:
        with pytest.raises(InvalidInput):
            mentions.mentioned_in("@Eva Eemland @Onbekend @Ilse Initiatief @Nog Iemand", readers)
    assert len(four) == len(one) <= 2  # the people the typed words may name (and their memberships)


def test_the_mail_names_the_request_the_writer_and_the_note(network, request_x):
    _note(network, request_x, "@Cees Collega, bel jij de club?")
    [row] = outbox_rows("mentioned")
    mail = rendered(row)
    assert mail.subject == f"[{request_x.reference}] Ofelia Ondersteuner noemde je in een notitie"
    assert "@Cees Collega, bel jij de club?" in mail.text and f"/wachtrij/{request_x.id}" in mail.text
    assert "bel jij de club?" in mail.html
