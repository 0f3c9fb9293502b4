"""Issue #13 point 1: the authorization matrix. TABLE declares, for every route of the URL map (HTML and API) and
every actor, what the answer is — with objects addressed by id, one of the actor's own team or club and one of
another's, so a guessed id is covered (another team's request: 404, never its data). The walk calls every route
as every actor against real objects (tests/support/matrix.py builds them) and also checks on every answer the
security headers (point 4), that no marker word of club A's request reaches an actor who may not read it, and
that GETs and refused writes change nothing in the database. A route without an entry fails the suite.

The outcomes here are written down, not derived from the views' @allow declarations: the table is the second
opinion. Writes are POSTs (PATCH/PUT/DELETE for the API) with an empty form (with its CSRF token) or an empty
JSON object: for an actor who may not, the refusal; for an actor who may, the validation answer (400/422) —
or, for a button that needs no input (claim, approve, log out), the action itself.

Outcomes: a status code, LOGIN (302 to the login page) or REDIRECT (302 elsewhere).
Targets (tests/support/matrix.py `_targets`): req_x club A's request at loket X (Sportloket Utrecht), req_y club
B's at loket Y (Eemland), req_p one bond P (KNVB) owns, req_ref one X refers to the initiative (SPN), req_yref one Y
refers to X, req_fallback one in the coördinatiepunt's fallback queue (Zeist), req_missing an id nobody has (a
guessed id of another team's request answers like it); reg_x / reg_y a new club at X / Y, reg_join someone joining
club A, reg_cp a new club in Zeist (the coördinatiepunt's); req_x2, req_y2, ref_x / ref_y (referrals X → the
initiative, Y → X), reg_x2 and reg_cp2 are the API's own objects for its writes (a page's write and the API's on
one object would see each other's effect); bond_p / bond_q KNVB / KNLTB; the rest name their object (offer_x,
team_x, loket_x, club_a, audit_x, …).
"""
import pytest

from loket.blueprints.api.openapi import spec
from loket.extensions import limiter
from tests.support import matrix
from tests.support.matrix import ACTORS, LOGIN, REDIRECT, SIGNED_IN

CLUBS = ("club_a", "club_b")
LOKET = ("supporter_x", "supporter_y", "lead_x")  # clubondersteuners (lead_x: team lead of X)
BONDS = ("bond_p", "bond_q")  # bondsspecialisten
SUPPORTERS = LOKET + BONDS + ("initiative",)  # every team member (loket, bond, initiative)
READERS = ("gemeente", "adviseur")  # the read-only roles


def _actors(who) -> set[str]:
    found = set()
    for item in who:
        found |= {item} if isinstance(item, str) else set(item)
    assert found <= set(SIGNED_IN), found - set(SIGNED_IN)
    return found


def only(*who, ok=200, others=403, anonymous=LOGIN, **exceptions) -> dict:
    """An HTML route: the actors `who` (names or groups) get `ok`, every other signed-in actor `others`, the
    anonymous visitor `anonymous` (the login page), and `exceptions` name single actors."""
    assert set(exceptions) <= set(ACTORS), set(exceptions) - set(ACTORS)
    chosen = _actors(who)
    spec_ = {actor: ok if actor in chosen else others for actor in SIGNED_IN}
    return {"anonymous": anonymous, **spec_, **exceptions}


def api(*who, ok=200, others=403, anonymous=401, **exceptions) -> dict:
    """An API route: as `only`, with 401 for a call without a (valid) token."""
    return only(*who, ok=ok, others=others, anonymous=anonymous, **exceptions)


def theirs(*who, among, ok=200, anonymous=LOGIN, **exceptions) -> dict:
    """A route about one object: `who` get `ok`; the rest of `among` (the actors whose role the route admits) get
    404 — for them the object does not exist —; every other signed-in actor 403."""
    admitted = _actors(among)
    return only(*who, ok=ok, others=403, anonymous=anonymous,
                **{**{actor: 404 for actor in admitted - _actors(who)}, **exceptions})


def api_theirs(*who, among, ok=200, anonymous=401, **exceptions) -> dict:
    return theirs(*who, among=among, ok=ok, anonymous=anonymous, **exceptions)


def everyone(outcome) -> dict:
    return dict.fromkeys(ACTORS, outcome)


TABLE = {
    "aanbod.activate": {
        "offer_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=REDIRECT),
        "offer_y": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT),
    },
    "aanbod.catalogue": only(SIGNED_IN),
    "aanbod.create": {
        "team_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "team_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "aanbod.deactivate": {
        "offer_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=REDIRECT),
        "offer_y": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT),
    },
    "aanbod.edit": {
        "offer_x": theirs("supporter_x", "lead_x", among=SUPPORTERS),
        "offer_y": theirs("supporter_y", among=SUPPORTERS),
    },
    "aanbod.my_teams": only(SUPPORTERS, ok=REDIRECT),
    "aanbod.team": {
        "team_x": theirs("supporter_x", "lead_x", among=SUPPORTERS),
        "team_y": theirs("supporter_y", among=SUPPORTERS),
    },
    "aanbod.update": {
        "offer_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "offer_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "aanmelden.approve": {
        "reg_x": theirs("supporter_x", "lead_x", among=(CLUBS, LOKET, "coordinatiepunt"), ok=REDIRECT),
        "reg_y": theirs("supporter_y", among=(CLUBS, LOKET, "coordinatiepunt"), ok=REDIRECT),
        "reg_join": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET, "coordinatiepunt"), ok=REDIRECT),
        "reg_cp": theirs("coordinatiepunt", among=(CLUBS, LOKET, "coordinatiepunt"), ok=REDIRECT),
    },
    "aanmelden.confirm": everyone(400),
    "aanmelden.confirm_submit": everyone(400),
    "aanmelden.detail": {
        "reg_x": theirs("supporter_x", "lead_x", among=(CLUBS, LOKET, "coordinatiepunt")),
        "reg_y": theirs("supporter_y", among=(CLUBS, LOKET, "coordinatiepunt")),
        "reg_join": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET, "coordinatiepunt")),
        "reg_cp": theirs("coordinatiepunt", among=(CLUBS, LOKET, "coordinatiepunt")),
    },
    "aanmelden.hand_back": {
        "reg_x": theirs("supporter_x", "lead_x", among=LOKET, ok=REDIRECT),
        "reg_y": theirs("supporter_y", among=LOKET, ok=REDIRECT),
        "reg_join": theirs("supporter_x", "lead_x", among=LOKET, ok=REDIRECT),
    },
    "aanmelden.join": everyone(200),
    "aanmelden.register": everyone(200),
    "aanmelden.reject": {
        "reg_x": theirs("supporter_x", "lead_x", among=(CLUBS, LOKET, "coordinatiepunt"), ok=400),
        "reg_y": theirs("supporter_y", among=(CLUBS, LOKET, "coordinatiepunt"), ok=400),
        "reg_join": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET, "coordinatiepunt"), ok=400),
    },
    "aanmelden.submit_join": everyone(400),
    "aanmelden.submit_registration": everyone(400),
    "account.change_password": only(SIGNED_IN, ok=400),
    "account.confirm_email_change": everyone(400),
    "account.disable_two_factor": only(SIGNED_IN, ok=400),
    "account.enable_two_factor": only(SIGNED_IN, ok=400),
    # Another device's session: only its own user ends it; for everyone else it does not exist.
    "account.end_session": {"session_x": only("supporter_x", ok=REDIRECT, others=404)},
    "account.renew_recovery_codes": only(SIGNED_IN, ok=400),
    "account.request_email_change": only(SIGNED_IN, ok=400),
    "account.save_email_change": everyone(400),
    "account.save_notifications": only(SIGNED_IN, ok=REDIRECT),
    "account.show": only(SIGNED_IN),
    "account.sign_out_everywhere": everyone(LOGIN),
    "account.two_factor": only(SIGNED_IN),
    "afspraken.bond": {
        "bond_p": only("bond_p", "coordinatiepunt", "beheer"),
        "bond_q": only("bond_q", "coordinatiepunt", "beheer"),
    },
    "afspraken.confirm": {"bond_p": only("coordinatiepunt", ok=409), "bond_q": only("coordinatiepunt", ok=409)},
    "afspraken.index": only("coordinatiepunt", "beheer"),
    "afspraken.own": only(BONDS, ok=REDIRECT),
    # A bond's proposal is its team lead's; no actor here leads a bond (tests/blueprints/test_afspraken.py does).
    "afspraken.proposal": {"bond_p": only(), "bond_q": only()},
    "afspraken.propose": {"bond_p": only(), "bond_q": only()},
    "afspraken.reject": {"bond_p": only("coordinatiepunt", ok=400), "bond_q": only("coordinatiepunt", ok=400)},
    "api.accept_invitation": everyone(422),
    "api.accept_referral": {
        "ref_x": api_theirs("initiative", among=SUPPORTERS, supporter_x=403, lead_x=403),  # X sent it
        "ref_y": api_theirs("supporter_x", "lead_x", among=SUPPORTERS, supporter_y=403),  # Y sent it
    },
    "api.approve_registration": {
        "reg_x2": api_theirs("supporter_x", "lead_x", among=(LOKET, "coordinatiepunt")),
        "reg_cp2": api_theirs("coordinatiepunt", among=(LOKET, "coordinatiepunt")),
    },
    "api.change_status": {"req_x2": api(SUPPORTERS, ok=422), "req_y2": api(SUPPORTERS, ok=422)},
    "api.claim_request": {
        "req_x2": api_theirs("supporter_x", "lead_x", among=SUPPORTERS),
        "req_y2": api_theirs("supporter_y", among=SUPPORTERS),
    },
    "api.confirm_bond_agreements": {"bond_p": api("coordinatiepunt", ok=409), "bond_q": api("coordinatiepunt", ok=409)},
    "api.confirm_password_reset": everyone(422),
    "api.confirm_registration": everyone(422),
    "api.create_bond_invitation": {
        "bond_p": api(SUPPORTERS, "beheer", ok=422),
        "bond_q": api(SUPPORTERS, "beheer", ok=422),
    },
    "api.create_club": api("beheer", ok=422),
    "api.create_initiative_invitation": {"initiative": api(SUPPORTERS, "beheer", ok=422)},
    "api.create_loket": api("beheer", ok=422),
    "api.create_loket_invitation": {
        "loket_x": api(SUPPORTERS, "beheer", ok=422),
        "loket_y": api(SUPPORTERS, "beheer", ok=422),
    },
    "api.create_registration": everyone(422),
    "api.create_request": api(CLUBS, LOKET, BONDS, ok=422),
    "api.create_token": everyone(422),
    "api.create_user": api("beheer", ok=422),
    "api.decline_referral": {"ref_x": api(SUPPORTERS, ok=422), "ref_y": api(SUPPORTERS, ok=422)},
    "api.end_collaboration": {"req_x2": api(SUPPORTERS, ok=422), "req_y2": api(SUPPORTERS, ok=422)},
    "api.end_collaboration_by_path": {  # neither request has the other loket as collaborator
        "collab_x": api_theirs(among=SUPPORTERS),
        "collab_y": api_theirs(among=SUPPORTERS),
    },
    "api.get_bond_agreements": {
        "bond_p": api("bond_p", "coordinatiepunt", "beheer"),
        "bond_q": api("bond_q", "coordinatiepunt", "beheer"),
    },
    "api.get_loket": {"loket_x": api("coordinatiepunt", "beheer"), "loket_y": api("coordinatiepunt", "beheer")},
    "api.get_overview": api("coordinatiepunt", "beheer"),
    "api.get_public_gemeente": {"gemeente_x": everyone(200), "gemeente_y": everyone(200)},
    "api.get_request": {
        "req_x": api_theirs("club_a", "supporter_x", "lead_x", among=(SUPPORTERS, CLUBS)),
        "req_y": api_theirs("club_b", "supporter_y", among=(SUPPORTERS, CLUBS)),
        "req_p": api_theirs("club_a", "bond_p", among=(SUPPORTERS, CLUBS)),
        "req_ref": api_theirs("club_a", "supporter_x", "lead_x", "initiative", among=(SUPPORTERS, CLUBS)),
        "req_yref": api_theirs(LOKET, "club_b", among=(SUPPORTERS, CLUBS)),
        "req_fallback": api_theirs(among=(CLUBS, SUPPORTERS)),
        "req_missing": api_theirs(among=(CLUBS, SUPPORTERS)),
    },
    # Attachments: the request's readers; a club never an internal file; an upload without a multipart body 415.
    "api.get_attachment": {
        "file_x": api_theirs("club_a", "supporter_x", "lead_x", among=(SUPPORTERS, CLUBS)),
        "file_x_internal": api_theirs("supporter_x", "lead_x", among=(SUPPORTERS, CLUBS)),
        "file_y": api_theirs("club_b", "supporter_y", among=(SUPPORTERS, CLUBS)),
        "file_y_under_x": api_theirs(among=(SUPPORTERS, CLUBS)),
    },
    "api.list_attachments": {
        "req_x": api_theirs("club_a", "supporter_x", "lead_x", among=(SUPPORTERS, CLUBS)),
        "req_y": api_theirs("club_b", "supporter_y", among=(SUPPORTERS, CLUBS)),
        "req_missing": api_theirs(among=(CLUBS, SUPPORTERS)),
    },
    "api.upload_attachment": {"req_x2": api(CLUBS, SUPPORTERS, ok=415), "req_y2": api(CLUBS, SUPPORTERS, ok=415)},
    "api.invite_collaborator": {"req_x2": api(SUPPORTERS, ok=422), "req_y2": api(SUPPORTERS, ok=422)},
    "api.list_bonds": api(SUPPORTERS, "beheer"),
    "api.list_categories": api(SIGNED_IN),
    "api.list_clubs": api("beheer"),
    "api.list_initiatives": api(SUPPORTERS, "beheer"),
    "api.list_lokets": api(SUPPORTERS, "beheer"),
    "api.list_public_gemeenten": everyone(200),
    "api.list_registrations": api(LOKET, "coordinatiepunt"),
    "api.list_requests": api(CLUBS, SUPPORTERS),
    "api.list_users": api("beheer"),
    "api.openapi_document": everyone(200),
    "api.post_message": {
        "req_x2": api(CLUBS, SUPPORTERS, ok=422),
        "req_y2": api(CLUBS, SUPPORTERS, ok=422),
    },
    "api.propose_bond_agreements": {"bond_p": api(BONDS, ok=422), "bond_q": api(BONDS, ok=422)},
    "api.propose_referral": {"req_x2": api(SUPPORTERS, ok=422), "req_y2": api(SUPPORTERS, ok=422)},
    "api.recompute_quality": api("coordinatiepunt", "beheer", ok=202),
    "api.reject_registration": {
        "reg_x2": api(LOKET, "coordinatiepunt", ok=422),
        "reg_cp2": api(LOKET, "coordinatiepunt", ok=422),
    },
    "api.request_password_reset": everyone(422),
    "api.revoke_token": api(SIGNED_IN, ok=204),
    "api.update_bond": {"bond_p": api("beheer", ok=422), "bond_q": api("beheer", ok=422)},
    "api.update_loket": {"loket_x": api("coordinatiepunt", "beheer"), "loket_y": api("coordinatiepunt", "beheer")},
    "auth.choose_password": everyone(400),
    "auth.forgot_password": everyone(200),
    "auth.login": {"GET": only(others=REDIRECT, anonymous=200), "POST": only(others=REDIRECT, anonymous=400)},
    "auth.logout": only(SIGNED_IN, ok=REDIRECT),
    "auth.reset_password": everyone(400),
    "auth.save_chosen_password": everyone(400),
    "auth.save_new_password": everyone(400),
    "auth.second_step": only(SIGNED_IN, ok=REDIRECT),
    "auth.send_reset_link": everyone(400),
    "auth.verify_second_step": only(SIGNED_IN, ok=REDIRECT),
    "beheer.activate_category": {"category": only("beheer", ok=REDIRECT)},
    "beheer.add_bond_sport": {"bond_p": only("beheer", ok=400), "bond_q": only("beheer", ok=400)},
    "beheer.add_membership": {"user": only("beheer", ok=400)},
    "beheer.audit_log": only("beheer"),
    "beheer.bond": {"bond_p": only("beheer"), "bond_q": only("beheer")},
    "beheer.bonden": only("beheer"),
    "beheer.categories": only("beheer"),
    "beheer.confirm_region_set": only("beheer", ok=400),
    "beheer.create_bond": only("beheer", ok=400),
    "beheer.create_category": only("beheer", ok=400),
    "beheer.create_initiative": only("beheer", ok=400),
    "beheer.create_user": only("beheer", ok=400),
    "beheer.deactivate_category": {"category": only("beheer", ok=REDIRECT)},
    "beheer.deactivate_user": {"user": only("beheer", ok=REDIRECT)},
    "beheer.delete_region_set": {"region_set": only("beheer", ok=409)},
    "beheer.edit_category": {"category": only("beheer")},
    "beheer.erase_person": only("beheer", ok=400),
    "beheer.export_person": only("beheer", ok=400),
    "beheer.index": only("beheer"),
    "beheer.initiative": {"initiative": only("beheer")},
    "beheer.initiatives": only("beheer"),
    "beheer.new_bond": only("beheer"),
    "beheer.new_initiative": only("beheer"),
    "beheer.new_user": only("beheer"),
    "beheer.outbox": only("beheer"),
    "beheer.outbox_mail": {"mail_x": only("beheer", ok=404)},  # the preview exists in development only (point 9)
    "beheer.preview_region_set": only("beheer", ok=400),
    "beheer.privacy": only("beheer"),
    "beheer.reactivate_user": {"user": only("beheer", ok=REDIRECT)},
    "beheer.region_set": {"region_set": only("beheer")},
    "beheer.region_sets": only("beheer"),
    "beheer.remove_bond_sport": {"bond_p": only("beheer", ok=REDIRECT), "bond_q": only("beheer", ok=REDIRECT)},
    "beheer.remove_membership": {"user": only("beheer", ok=409)},
    "beheer.rename_category": {"category": only("beheer", ok=400)},
    "beheer.retry_outbox": {"mail_x": only("beheer", ok=409)},
    "beheer.update_bond": {"bond_p": only("beheer", ok=400), "bond_q": only("beheer", ok=400)},
    "beheer.update_initiative": {"initiative": only("beheer", ok=400)},
    "beheer.user": {"user": only("beheer")},
    "beheer.users": only("beheer"),
    "club.attachment": {
        "file_x": theirs("club_a", among=CLUBS),
        "file_x_internal": theirs(among=CLUBS),
        "file_y": theirs("club_b", among=CLUBS),
        "file_y_under_x": theirs(among=CLUBS),
    },
    "club.confirmation": {"req_x": theirs("club_a", among=CLUBS), "req_y": theirs("club_b", among=CLUBS)},
    "club.detail": {
        "req_x": theirs("club_a", among=CLUBS),
        "req_y": theirs("club_b", among=CLUBS),
        "req_fallback": theirs(among=CLUBS),
        "req_missing": theirs(among=CLUBS),
    },
    "club.look_alikes": only(CLUBS),
    "club.new_request": {"GET": only(CLUBS), "POST": theirs(among=CLUBS)},  # POST: no club named → not theirs
    "club.reply": {"req_x": theirs("club_a", among=CLUBS, ok=400), "req_y": theirs("club_b", among=CLUBS, ok=400)},
    "club.requests_list": only(CLUBS),
    "club.satisfaction": {
        "req_x": theirs("club_a", among=CLUBS, ok=409),
        "req_y": theirs("club_b", among=CLUBS, ok=409),
    },
    "coordinatie.fallback_queue": only("coordinatiepunt"),
    "coordinatie.hand_over_registration": {"reg_cp": only("coordinatiepunt"), "reg_x": only("coordinatiepunt", ok=404)},
    # For a request not (or no longer) in the fallback queue the page says so, without any of its contents.
    "coordinatie.hand_over_request": {"req_fallback": only("coordinatiepunt"), "req_x": only("coordinatiepunt")},
    "coordinatie.registrations": only("coordinatiepunt"),
    "coordinatie.submit_registration_handover": {
        "reg_cp": only("coordinatiepunt", ok=REDIRECT),
        "reg_x": only("coordinatiepunt", ok=404),
    },
    "coordinatie.submit_request_handover": {
        "req_fallback": only("coordinatiepunt", ok=400),
        "req_x": only("coordinatiepunt", ok=404),
    },
    "coordinatie.withdraw_request_handover": {
        "req_fallback": only("coordinatiepunt", ok=REDIRECT),
        "req_x": only("coordinatiepunt", ok=404),
    },
    "gebied.demand": only(READERS),
    "gebied.gemeente": {"gemeente_x": only(READERS), "gemeente_y": only(READERS, ok=404)},
    "gebied.index": only(READERS),
    "inbound.sendgrid": everyone(404),
    "kwaliteit.audit": {"audit_x": only("coordinatiepunt", "beheer"), "audit_y": only("coordinatiepunt", "beheer")},
    "kwaliteit.audits_index": only("coordinatiepunt", "beheer"),
    "kwaliteit.correct_criteria_set": {"future_set": only("coordinatiepunt")},
    "kwaliteit.criteria_index": only("coordinatiepunt", "beheer"),
    "kwaliteit.loket_audits": {
        "loket_x": only("coordinatiepunt", "beheer"),
        "loket_y": only("coordinatiepunt", "beheer"),
    },
    "kwaliteit.new_criteria_set": only("coordinatiepunt"),
    "kwaliteit.ons_loket": {
        "-": only(LOKET),
        "loket_x": theirs("supporter_x", "lead_x", among=LOKET),
        "loket_y": theirs("supporter_y", among=LOKET),
    },
    "kwaliteit.own_audit": {
        "audit_x": theirs("supporter_x", "lead_x", among=LOKET),
        "audit_y": theirs("supporter_y", among=LOKET),
    },
    "kwaliteit.public_details": {
        "loket_x": theirs("supporter_x", "lead_x", among=LOKET),
        "loket_y": theirs("supporter_y", among=LOKET),
    },
    "kwaliteit.publish_criteria_set": only("coordinatiepunt", ok=400),
    "kwaliteit.save_audit": {"audit_x": only("coordinatiepunt", ok=409), "audit_y": only("coordinatiepunt", ok=409)},
    "kwaliteit.save_criteria_correction": {"future_set": only("coordinatiepunt", ok=400)},
    "kwaliteit.save_own_audit": {
        "audit_x": theirs(among=LOKET, supporter_x=403, lead_x=403),  # an audit by the coördinatiepunt: read only
        "audit_y": theirs(among=LOKET, supporter_y=403),
    },
    "kwaliteit.save_public_details": {
        "loket_x": theirs("lead_x", among=LOKET, ok=REDIRECT, supporter_x=403),  # the team lead's
        "loket_y": theirs(among=LOKET, supporter_y=403),
    },
    "kwaliteit.start_audit": {
        "loket_x": only("coordinatiepunt", ok=REDIRECT),
        "loket_y": only("coordinatiepunt", ok=REDIRECT),
    },
    "kwaliteit.start_self_assessment": {
        "loket_x": theirs("lead_x", among=LOKET, ok=REDIRECT, supporter_x=403),  # the team lead's
        "loket_y": theirs(among=LOKET, supporter_y=403),
    },
    "main.home": everyone(200),
    "netwerk.create_loket": only("coordinatiepunt", "beheer", ok=400),
    "netwerk.edit_loket": {"loket_x": only("coordinatiepunt", "beheer"), "loket_y": only("coordinatiepunt", "beheer")},
    "netwerk.gemeenten": only("coordinatiepunt", "beheer"),
    "netwerk.loket": {"loket_x": only("coordinatiepunt", "beheer"), "loket_y": only("coordinatiepunt", "beheer")},
    "netwerk.loketten": only("coordinatiepunt", "beheer"),
    "netwerk.new_loket": only("coordinatiepunt", "beheer"),
    "netwerk.save_loket": {
        "loket_x": only("coordinatiepunt", "beheer", ok=400),
        "loket_y": only("coordinatiepunt", "beheer", ok=400),
    },
    "netwerk.start_exploring": {
        "gemeente_x": only("coordinatiepunt", "beheer", ok=400),
        "gemeente_y": only("coordinatiepunt", "beheer", ok=400),
    },
    "netwerk.stop_exploring": {
        "gemeente_x": only("coordinatiepunt", "beheer", ok=400),
        "gemeente_y": only("coordinatiepunt", "beheer", ok=400),
    },
    "overzicht.demand": only("coordinatiepunt", "beheer"),
    "overzicht.export_demand": only("coordinatiepunt", "beheer"),
    "overzicht.export_history": {
        "loket_x": only("coordinatiepunt", "beheer"),
        "loket_y": only("coordinatiepunt", "beheer"),
    },
    "overzicht.export_loketten": only("coordinatiepunt", "beheer"),
    "overzicht.export_targets": only("coordinatiepunt", "beheer"),
    "overzicht.index": only("coordinatiepunt", "beheer"),
    "overzicht.loket": {"loket_x": only("coordinatiepunt", "beheer"), "loket_y": only("coordinatiepunt", "beheer")},
    "overzicht.realisation": only("coordinatiepunt", "beheer"),
    "overzicht.recompute": only("coordinatiepunt", "beheer", ok=REDIRECT),
    "profiel.add_contact": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET), ok=400),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET), ok=400),
    },
    "profiel.edit_contact": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET)),
        "club_a_contact_b": only(CLUBS, LOKET, ok=404),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET)),
    },
    "profiel.new_contact": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET)),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET)),
    },
    "profiel.remove_contact": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET), ok=REDIRECT),
        "club_a_contact_b": only(CLUBS, LOKET, ok=404),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET), ok=400),
    },
    "profiel.show": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET)),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET)),
    },
    "profiel.update": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET), ok=400),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET), ok=400),
    },
    "profiel.update_contact": {
        "club_a": theirs("club_a", "supporter_x", "lead_x", among=(CLUBS, LOKET), ok=400),
        "club_a_contact_b": only(CLUBS, LOKET, ok=404),
        "club_b": theirs("club_b", "supporter_y", among=(CLUBS, LOKET), ok=400),
    },
    "public.find": everyone(200),
    "public.gemeente": {"gemeente_x": everyone(200), "gemeente_y": everyone(200)},
    "public.loket": {"loket_x": everyone(200), "loket_y": everyone(200)},
    "queue.accept_referral": {
        "req_ref": theirs("initiative", among=SUPPORTERS, ok=REDIRECT, supporter_x=403, lead_x=403),  # X sent it
        "req_yref": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=REDIRECT, supporter_y=403),  # Y sent it
    },
    "queue.assign": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=REDIRECT),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT),
    },
    "queue.bulk": only(SUPPORTERS, ok=400),  # an empty form: no action, no requests chosen
    "queue.attachment": {
        "file_x": theirs("supporter_x", "lead_x", among=SUPPORTERS),
        "file_x_internal": theirs("supporter_x", "lead_x", among=SUPPORTERS),
        "file_y": theirs("supporter_y", among=SUPPORTERS),
        "file_y_under_x": theirs(among=SUPPORTERS),
    },
    "queue.change_status": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "queue.claim": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=409),  # claimed by supporter X already
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT),
    },
    "queue.contact_moment": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "queue.decline_referral": {  # an empty reason
        "req_ref": theirs("initiative", among=SUPPORTERS, ok=400, supporter_x=403, lead_x=403),
        "req_yref": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400, supporter_y=403),
    },
    "queue.delete_view": {  # a team's view: only its lead removes it
        "view_team_x": theirs("lead_x", among=SUPPORTERS, ok=REDIRECT, supporter_x=403),
        "view_y": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT),
    },
    "queue.detail": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS),
        "req_y": theirs("supporter_y", among=SUPPORTERS),
        "req_p": theirs("bond_p", among=SUPPORTERS),
        "req_ref": theirs("supporter_x", "lead_x", "initiative", among=SUPPORTERS),
        "req_yref": theirs(LOKET, among=SUPPORTERS),
        "req_fallback": theirs(among=SUPPORTERS),
        "req_missing": theirs(among=SUPPORTERS),
    },
    "queue.end_invitation": {"req_x": theirs(among=SUPPORTERS), "req_y": theirs(among=SUPPORTERS)},
    "queue.file_for_club": only(LOKET, ok=404),  # the form names no club of their werkgebied
    "queue.index": only(SUPPORTERS),
    "queue.invite": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "queue.message": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "queue.mentions_seen": only(SUPPORTERS, ok=REDIRECT),  # "Alles gezien": only one's own mentions
    "queue.merge": {  # an empty form: no request chosen to merge into
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "queue.new_for_club": only(LOKET),
    "queue.refer": {
        "req_x": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=400),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=400),
    },
    "queue.registrations": only(LOKET),
    "queue.save_view": only(SUPPORTERS, ok=400),  # an empty form: the view has no name
    "queue.saved_views_page": only(SUPPORTERS),
    "queue.unclaim": {
        "req_x": theirs("supporter_x", among=SUPPORTERS, ok=REDIRECT, lead_x=409),
        "req_y": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT),
    },
    "queue.withdraw_referral": {  # only the sender withdraws
        "req_ref": theirs("supporter_x", "lead_x", among=SUPPORTERS, ok=REDIRECT, initiative=403),
        "req_yref": theirs("supporter_y", among=SUPPORTERS, ok=REDIRECT, supporter_x=403, lead_x=403),
    },
    "static": everyone(200),
    "team.accept_invitation": everyone(400),
    "team.index": only(SUPPORTERS, ok=REDIRECT),
    "team.invitation": everyone(400),
    "team.invite": {
        "team_loket_x": only("supporter_x", "lead_x", "beheer", ok=400),
        "team_loket_y": only("supporter_y", "beheer", ok=400),
        "team_bond_p": only("bond_p", "beheer", ok=400),
        "team_initiative": only("initiative", "beheer", ok=400),
    },
    # Sjablonen: the team's members read them, its lead manages them; another team's sjabloon under one's own
    # team's address is 404, another team's page 403 (as the team page).
    "team.add_canned_reply": {
        "team_loket_x": only("supporter_x", "lead_x", ok=403, lead_x=400),
        "team_loket_y": only("supporter_y", ok=403),
        "team_bond_p": only("bond_p", ok=403),
        "team_initiative": only("initiative", ok=403),
    },
    "team.canned_replies_page": {
        "team_loket_x": only("supporter_x", "lead_x"),
        "team_loket_y": only("supporter_y"),
        "team_bond_p": only("bond_p"),
        "team_initiative": only("initiative"),
    },
    "team.canned_reply": {
        "team_loket_x": only("supporter_x", "lead_x"),
        "team_loket_y": only("supporter_y"),
        "team_loket_x_member_y": only("supporter_x", "lead_x", ok=404),
        "team_bond_p": only("bond_p", ok=404),
        "team_initiative": only("initiative", ok=404),
    },
    "team.delete_canned_reply": {
        "team_loket_x": only("supporter_x", "lead_x", ok=403, lead_x=REDIRECT),
        "team_loket_y": only("supporter_y", ok=403),
        "team_loket_x_member_y": only("supporter_x", "lead_x", ok=404),
        "team_bond_p": only("bond_p", ok=404),
        "team_initiative": only("initiative", ok=404),
    },
    "team.edit_canned_reply": {
        "team_loket_x": only("supporter_x", "lead_x", ok=403, lead_x=400),
        "team_loket_y": only("supporter_y", ok=403),
        "team_loket_x_member_y": only("supporter_x", "lead_x", ok=404),
        "team_bond_p": only("bond_p", ok=404),
        "team_initiative": only("initiative", ok=404),
    },
    "team.join_team": only(SIGNED_IN, ok=400),
    "team.members": {
        "team_loket_x": only("supporter_x", "lead_x", "beheer"),
        "team_loket_y": only("supporter_y", "beheer"),
        "team_bond_p": only("bond_p", "beheer"),
        "team_initiative": only("initiative", "beheer"),
    },
    "team.remove_member": {
        "team_loket_x": only("lead_x", "beheer", ok=REDIRECT),
        "team_loket_y": only("beheer", ok=REDIRECT),
        "team_loket_x_member_y": theirs(among=(SUPPORTERS, "beheer")),
    },
    "team.revoke_invitation": {
        "team_loket_x": only("lead_x", "beheer", ok=REDIRECT),
        "team_loket_y": only("beheer", ok=REDIRECT),
        "team_loket_x_member_y": theirs(among=(SUPPORTERS, "beheer")),
    },
    "team.set_team_lead": {
        "team_loket_x": only("supporter_x", "lead_x", "beheer", ok=400),
        "team_loket_y": only("supporter_y", "beheer", ok=400),
        "team_loket_x_member_y": only("supporter_x", "lead_x", "beheer", ok=400),
    },
    "werkgebied.add_club": only(LOKET, ok=400),
    "werkgebied.basiseisen": {
        "club_a": theirs("supporter_x", "lead_x", among=LOKET),
        "club_b": theirs("supporter_y", among=LOKET),
    },
    "werkgebied.bond_clubs": only(BONDS),
    "werkgebied.clubs_list": only(LOKET),
    "werkgebied.confirm_import": {
        "import_x": theirs("supporter_x", "lead_x", among=LOKET, ok=REDIRECT),
        "import_y": theirs("supporter_y", among=LOKET, ok=REDIRECT),
    },
    "werkgebied.import_detail": {
        "import_x": theirs("supporter_x", "lead_x", among=LOKET),
        "import_y": theirs("supporter_y", among=LOKET),
    },
    "werkgebied.import_form": only(LOKET),
    "werkgebied.new_club": only(LOKET),
    "werkgebied.update_basiseisen": {
        "club_a": theirs("supporter_x", "lead_x", among=LOKET, ok=400),
        "club_b": theirs("supporter_y", among=LOKET, ok=400),
    },
    "werkgebied.upload": only(LOKET, ok=400),
}


def test_every_route_of_the_url_map_has_an_entry_and_every_entry_a_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(TABLE)) == [], "add these routes to TABLE"
    assert sorted(set(TABLE) - endpoints) == [], "these entries name no route (any more)"


def test_every_route_with_an_object_is_tried_with_another_teams_object_too(app):
    """A route naming an object that a team or club owns is walked with at least two: one's own and another's.
    Not needed: beheer's pages (beheer belongs to no team), objects of which there is one (a user, a category, a
    mail, the future criteria set, a login session) and the network's one initiative."""
    single = {"user_id", "membership_id", "category_id", "outbox_id", "set_id", "session_id"}
    for rule in app.url_map.iter_rules():
        names = set(matrix.object_names(rule))
        if not names or names <= single or rule.endpoint.startswith("beheer."):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            targets = matrix.targets_of(TABLE[rule.endpoint], method, rule)
            assert len(targets) >= 2 or targets == ["initiative"], (rule.endpoint, targets)


# Actors whose successful writes touch only their own account (notification settings, their token, logging out)
# are walked one after the other on one world; every other actor gets a world of their own, as their writes
# (claiming, approving, removing a member) change what the next one would see.
OWN_ACCOUNT_ONLY = ("anonymous", "club_b", "bond_p", "bond_q", "gemeente", "adviseur")
WALKS = [OWN_ACCOUNT_ONLY, *((actor,) for actor in ACTORS if actor not in OWN_ACCOUNT_ONLY)]


@pytest.mark.parametrize("actors", WALKS, ids="+".join)
def test_every_route_answers_each_actor_as_the_table_says(app, network, actors):
    world = matrix.build_world(network)
    wrong = []
    for actor in actors:
        limiter.reset()  # the empty forms of one actor must not use up the per-address limits of the next
        answers = matrix.walk(app, TABLE, world, actor, body_taking=_body_taking(app))
        wrong += [f"{actor}: {answer.call.label}: {'; '.join(answer.problems)}"
                  for answer in answers if answer.problems]
    assert not wrong, f"{len(wrong)} answers are not as the table says:\n" + "\n".join(wrong)


def test_every_actor_is_walked():
    assert sorted(actor for walk in WALKS for actor in walk) == sorted(ACTORS)


def _body_taking(app) -> set[str]:
    return {operation.endpoint for operation in spec.operations(app) if operation.body is not None}


def test_the_marker_check_can_fail(app, network):
    """The markers are found where they belong: X's supporter reads all four; club A its title, description and
    the reply, never the internal note — so a leak would be seen."""
    world = matrix.build_world(network)
    supporter, club = app.test_client(), app.test_client()
    supporter.login(world.ondersteuner)
    club.login(world.club_contact)
    assert matrix.markers_in(supporter.get(f"/wachtrij/{world.req_x.id}"), "anonymous") == list(matrix.MARKERS)
    assert matrix.markers_in(club.get(f"/club/aanvragen/{world.req_x.id}"), "anonymous") == [
        matrix.TITLE, matrix.DESCRIPTION, matrix.REPLY]
    assert matrix.markers_in(club.get(f"/club/aanvragen/{world.req_x.id}"), "club_a") == []
