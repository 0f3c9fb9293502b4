"""Canned replies (sjablonen): placeholders, refusal of unknown ones, no template injection, lead-only management,
another team's sjabloon."""
import pytest

from loket.extensions import db as _db
from loket.models import CannedReply
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.requests import canned_replies, teamwork
from tests import factories
from tests.support.db import count_rows
from tests.support.requests import file_request


def _add(lead, body="Beste {club}, we hebben je vraag {referentie} ontvangen. Groet, {ondersteuner}",
         title="Ontvangen", slug="utrecht", kind="loket"):
    return canned_replies.create(lead, kind, slug, title=title, body=body)


def test_placeholders_are_filled_in_for_the_request_and_the_supporter(network, lead):
    network.loket_utrecht.phone = "030 123 45 67"
    network.loket_utrecht.opening_hours = "ma–vr 9.00–17.00"
    canned = _add(lead, body="Beste {club}, over {referentie}:\n{ondersteuner}\n{loket_contact}")
    request = file_request(network)
    text = canned_replies.render(canned, request, network.ondersteuner)
    assert text == (f"Beste VV Utrechtse Boys, over {request.reference}:\nOfelia Ondersteuner\nSportloket Utrecht\n"
                    f"E-mail: {network.loket_utrecht.email}\nTelefoon: 030 123 45 67\nBereikbaar: ma–vr 9.00–17.00")


@pytest.mark.parametrize("body, named", [
    ("Hallo {clubnaam}", "{clubnaam}"),
    ("{{ config }}", "{ config }"),
    ("Beste {club}, {Referentie} en {}", "{Referentie}, {}"),
])
def test_unknown_placeholders_are_refused_with_a_dutch_message_and_nothing_stored(network, lead, body, named):
    with pytest.raises(InvalidInput) as refused:
        _add(lead, body=body)
    assert refused.value.errors["body"].startswith("Onbekend")
    assert named in refused.value.errors["body"]
    assert "{club}, {referentie}, {ondersteuner}, {loket_contact}" in refused.value.errors["body"]
    assert count_rows(CannedReply) == 0


def test_rendering_never_evaluates_typed_text(network, lead):
    """Stored text the rules would refuse today, and values that look like placeholders or templates, stay
    literal: one pass of plain substitution, no Jinja, no str.format."""
    canned = _add(lead, body="Dag {club}")
    canned.body = "{{ config }} {club} {0} {ondersteuner.__class__} %(x)s {{ request }} {referentie}"
    network.club_utrecht.name = "{ondersteuner} {{ config.SECRET_KEY }}"
    _db.session.commit()
    request = file_request(network)
    text = canned_replies.render(canned, request, network.ondersteuner)
    assert text == ("{{ config }} {ondersteuner} {{ config.SECRET_KEY }} {0} {ondersteuner.__class__} %(x)s "
                    "{{ request }} " + request.reference)


def test_only_a_lead_of_the_team_manages_its_sjablonen(network, lead):
    with pytest.raises(Forbidden):
        _add(network.ondersteuner)  # a member, not a lead
    with pytest.raises(Forbidden):
        _add(network.ondersteuner_eemland)  # another team
    eemland_lead = factories.make_user("clubondersteuner", network.loket_eemland, name="Eef Lead", team_lead=True)
    _db.session.commit()
    with pytest.raises(Forbidden):
        _add(eemland_lead)  # a lead of another team
    canned = _add(lead)
    with pytest.raises(Forbidden):
        canned_replies.edit(network.ondersteuner, "loket", "utrecht", canned.id, title="x", body="y")
    with pytest.raises(Forbidden):
        canned_replies.delete(network.ondersteuner, "loket", "utrecht", canned.id)
    assert count_rows(CannedReply) == 1
    page = canned_replies.team_page(network.ondersteuner, "loket", "utrecht")
    assert [c.title for c in page.canned_replies] == ["Ontvangen"] and not page.can_manage
    with pytest.raises(Forbidden):
        canned_replies.team_page(network.ondersteuner_eemland, "loket", "utrecht")


def test_another_teams_sjabloon_does_not_exist_for_a_lead_or_a_supporter(network, lead):
    canned = _add(lead)
    eemland_lead = factories.make_user("clubondersteuner", network.loket_eemland, name="Eef Lead", team_lead=True)
    _db.session.commit()
    with pytest.raises(NotFound):  # under their own team's address
        canned_replies.edit(eemland_lead, "loket", "eemland", canned.id, title="Overgenomen", body="x")
    with pytest.raises(NotFound):
        canned_replies.delete(eemland_lead, "loket", "eemland", canned.id)
    with pytest.raises(NotFound):
        canned_replies.usable(network.ondersteuner_eemland, canned.id)
    for nonsense in ("abc", "99999999999", None, 0):
        with pytest.raises(NotFound):
            canned_replies.usable(network.ondersteuner, nonsense)
    assert canned_replies.usable(network.ondersteuner, str(canned.id)) == canned
    assert _db.session.get(CannedReply, canned.id).title == "Ontvangen"


def test_titles_are_unique_per_team_and_edits_and_deletes_work(network, lead):
    canned = _add(lead)
    with pytest.raises(InvalidInput) as taken:
        _add(lead, body="Tweede")
    assert taken.value.errors == {"title": canned_replies.TITLE_TAKEN}
    knvb_lead = factories.make_user("bondsspecialist", network.knvb, name="Bea Bondslead", team_lead=True)
    _db.session.commit()
    _add(knvb_lead, slug="knvb", kind="bond")  # the same title in another team
    canned_replies.edit(lead, "loket", "utrecht", canned.id, title="Ontvangen", body="Nieuwe tekst {club}")
    assert _db.session.get(CannedReply, canned.id).body == "Nieuwe tekst {club}"
    canned_replies.delete(lead, "loket", "utrecht", canned.id)
    assert count_rows(CannedReply) == 1


@pytest.mark.parametrize("title, body, field", [
    ("", "tekst", "title"), ("x" * 101, "tekst", "title"), ("a\x00b", "tekst", "title"),
    ("Titel", "", "body"), ("Titel", "a\x1bb", "body"), ("Titel", "x" * 10001, "body"),
])
def test_bad_titles_and_texts_are_refused(network, lead, title, body, field):
    with pytest.raises(InvalidInput) as refused:
        _add(lead, title=title, body=body)
    assert field in refused.value.errors
    assert count_rows(CannedReply) == 0


def test_a_supporter_of_an_invited_team_sees_the_sjablonen_of_their_own_team(network, lead):
    own = _add(lead)
    knvb_lead = factories.make_user("bondsspecialist", network.knvb, name="Bea Bondslead", team_lead=True)
    _db.session.commit()
    bond = _add(knvb_lead, slug="knvb", kind="bond", title="Van de bond", body="Groet van {loket_contact}")
    request = file_request(network)
    teamwork.invite_team(teamwork.supporter_access(network.ondersteuner, request.id), actor=network.ondersteuner,
                         team_id=network.knvb.team.id)
    assert canned_replies.usable_by(network.bondsspecialist) == [bond]
    assert canned_replies.usable_by(network.ondersteuner) == [own]
    assert canned_replies.render(bond, request, network.bondsspecialist) == "Groet van KNVB"
