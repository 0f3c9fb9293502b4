"""The `flask seed ...` and `flask users create` commands, run through Flask's CLI test runner."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import (
    ROLES,
    Bond,
    Club,
    ClubContact,
    Gemeente,
    Loket,
    Membership,
    Region,
    RegionSet,
    SupportRequest,
    User,
)
from loket.services.seed.demo_data import DEMO_PASSWORD
from loket.services.seed.reference_data import seed_reference

PASSWORD = "een-goed-wachtwoord"


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def reference(app, db):
    seed_reference(app.config["REFERENCE_DATA_DIR"])


@pytest.fixture()
def demo(runner, reference):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    _db.session.expire_all()
    return result


# --- seed reference ---------------------------------------------------------------------------

def test_seed_reference_loads_the_csvs_and_prints_a_summary(app, runner):
    data_dir = app.config["REFERENCE_DATA_DIR"]

    result = runner.invoke(args=["seed", "reference", "--data-dir", data_dir])

    assert result.exit_code == 0, result.output
    assert count(Gemeente) == 342
    assert count(Bond) >= 30
    assert "Gemeenten" in result.output and "342 toegevoegd" in result.output

    again = runner.invoke(args=["seed", "reference"])  # default: REFERENCE_DATA_DIR

    assert again.exit_code == 0, again.output
    assert "niets gewijzigd" in again.output
    assert count(Gemeente) == 342


def test_seed_reference_with_a_missing_directory_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["seed", "reference", "--data-dir", str(tmp_path / "nergens")])

    assert result.exit_code != 0
    assert "gemeenten.csv" in result.output and "niet gevonden" in result.output
    assert count(Gemeente) == 0


# --- seed demo --------------------------------------------------------------------------------

def test_seed_demo_needs_reference_data(runner):
    result = runner.invoke(args=["seed", "demo"])

    assert result.exit_code != 0
    assert "seed reference" in result.output
    assert count(User) == 0 and count(Loket) == 0


def test_seed_demo_builds_a_realistic_network(demo):
    loketten = _db.session.scalars(select(Loket)).all()
    assert len(loketten) >= 3
    assert all(loket.team is not None for loket in loketten)
    assert all(loket.email and loket.phone and loket.address and loket.opening_hours
               and loket.contact_reviewed_at for loket in loketten)
    assert any(len(loket.gemeenten) > 1 for loket in loketten)
    assert {loket.status for loket in loketten} == {"operationeel", "in_oprichting"}
    eemland = _db.session.scalar(select(Loket).where(Loket.slug == "eemland"))
    assert {g.name for g in eemland.gemeenten} == {"Amersfoort", "Leusden", "Soest"}
    # Real gemeenten from the CSV, not new ones.
    assert count(Gemeente) == 342

    clubs = _db.session.scalars(select(Club)).all()
    assert {club.kind for club in clubs} == {"vereniging", "onderneming", "stichting"}
    assert all(club.contacts and club.sports for club in clubs)
    assert {len(club.contacts) for club in clubs} >= {1, 2}
    assert len({club.gemeente_id for club in clubs}) >= 4
    unserved = [club for club in clubs if club.gemeente.loket is None]
    assert unserved, "there must be a gemeente with clubs but no loket"
    assert {club.basiseis_vog_status for club in clubs} >= {"voldoet", "mee_bezig", "onbekend"}
    assert any(club.is_eligible for club in clubs) and not all(club.is_eligible for club in clubs)

    bonden = {b.key: b for b in _db.session.scalars(select(Bond))}
    assert all(bonden[key].aangesloten for key in ("knvb", "knhb", "nevobo"))
    assert not bonden["knltb"].aangesloten

    roles = set(_db.session.scalars(select(Membership.role)))
    assert roles == set(ROLES)
    lead = _db.session.scalars(select(Membership).where(Membership.is_team_lead.is_(True))).all()
    assert sorted(m.organisation.name for m in lead) == ["SPN procesbegeleiders", "Sportloket Utrecht"]
    contact = _db.session.scalar(select(ClubContact).where(ClubContact.email == "club@demo.loket.nl"))
    assert contact.user_id is not None


def test_seed_demo_fills_the_queues_by_routing(demo):
    requests = _db.session.scalars(select(SupportRequest)).all()
    assert len(requests) >= 4
    owners = {r.owner_team.kind for r in requests}
    assert owners == {"loket", "bond", "fallback"}
    voetbal = [r for r in requests if r.sport is not None and r.sport.name == "voetbal"]
    assert voetbal and all(r.owner_team.bond.key == "knvb" for r in voetbal)
    zeist = [r for r in requests if r.club.gemeente.name == "Zeist"]
    assert zeist and all(r.owner_team.kind == "fallback" for r in zeist if not r.category.is_sport_specific)
    loket_slugs = {r.owner_team.loket.slug for r in requests if r.owner_team.kind == "loket"}
    assert {"utrecht", "eemland"} <= loket_slugs


def test_seed_demo_prints_the_logins_and_is_idempotent(app, runner, demo):
    for email in ("club@demo.loket.nl", "ondersteuner@demo.loket.nl", "bond@demo.loket.nl",
                  "coordinatie@demo.loket.nl", "beheer@demo.loket.nl"):
        assert email in demo.output
    assert DEMO_PASSWORD in demo.output
    counts = {model: count(model) for model in (User, Loket, Club, SupportRequest, Membership)}

    again = runner.invoke(args=["seed", "demo"])

    assert again.exit_code == 0, again.output
    assert "bestonden al" in again.output
    assert "club@demo.loket.nl" in again.output
    assert {model: count(model) for model in counts} == counts


def test_demo_users_can_log_in(app, demo):
    for email in ("club@demo.loket.nl", "ondersteuner@demo.loket.nl", "beheer@demo.loket.nl"):
        client = app.test_client()
        user = _db.session.scalar(select(User).where(User.email == email))
        client.login(user, DEMO_PASSWORD)
        assert client.get("/").status_code == 200


# --- users create -----------------------------------------------------------------------------

def _create(runner, email, role, *extra, password=PASSWORD, name="Nieuwe Gebruiker"):
    return runner.invoke(args=["users", "create", email, "--name", name, "--password", password,
                               "--role", role, *extra])


def test_users_create_for_each_role(app, runner, demo):
    club_id = _db.session.scalar(select(Club.id).where(Club.name == "HC Gooiland"))
    cases = [
        ("club", ["--club", str(club_id)], "club", club_id),
        ("clubondersteuner", ["--loket", "gooi", "--team-lead"], "loket", "gooi"),
        ("bondsspecialist", ["--bond", "knhb"], "bond", "knhb"),
        ("coordinatiepunt", [], None, None),
        ("beheer", [], None, None),
    ]
    for role, options, kind, organisation in cases:
        email = f"nieuw.{role}@example.nl"

        result = _create(runner, email.upper(), role, *options)

        assert result.exit_code == 0, result.output
        assert email in result.output
        user = _db.session.scalar(select(User).where(User.email == email))
        assert user is not None and user.active
        [membership] = user.memberships
        assert membership.role == role
        if kind == "club":
            assert membership.club_id == organisation
        elif kind == "loket":
            assert membership.loket.slug == organisation and membership.is_team_lead
        elif kind == "bond":
            assert membership.bond.key == organisation and not membership.is_team_lead
        else:
            assert membership.organisation is None


@pytest.mark.parametrize("email, role, options, password, message", [
    ("a@example.nl", "superuser", [], PASSWORD, "Onbekende rol"),
    ("a@example.nl", "clubondersteuner", [], PASSWORD, "hoort bij precies één loket"),
    ("a@example.nl", "club", ["--loket", "utrecht"], PASSWORD, "hoort bij precies één club"),
    ("a@example.nl", "beheer", ["--bond", "knvb"], PASSWORD, "hoort niet bij een organisatie"),
    ("a@example.nl", "clubondersteuner", ["--loket", "bestaat-niet"], PASSWORD, "bestaat niet"),
    ("a@example.nl", "bondsspecialist", ["--bond", "fifa"], PASSWORD, "bestaat niet"),
    ("a@example.nl", "club", ["--club", "999999"], PASSWORD, "bestaat niet"),
    ("a@example.nl", "beheer", [], "kort", "minstens 12 tekens"),
    ("geen-adres", "beheer", [], PASSWORD, "geldig e-mailadres"),
    ("Beheer@Demo.Loket.NL", "beheer", [], PASSWORD, "bestaat al een account"),
])
def test_users_create_refuses_bad_input(runner, demo, email, role, options, password, message):
    users, memberships = count(User), count(Membership)

    result = _create(runner, email, role, *options, password=password)

    assert result.exit_code == 2, result.output
    assert "niet aangemaakt" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    _db.session.rollback()
    assert (count(User), count(Membership)) == (users, memberships)
    if email == "a@example.nl":
        assert _db.session.scalar(select(User).where(User.email == email)) is None


def test_users_create_prompts_for_a_missing_password(runner, demo):
    result = runner.invoke(args=["users", "create", "prompt@example.nl", "--name", "Prompt",
                                 "--role", "beheer"], input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert _db.session.scalar(select(User).where(User.email == "prompt@example.nl")) is not None


def test_created_user_can_log_in_over_http(app, runner, client, reference):
    result = _create(runner, "Nieuwe.Beheerder@Example.nl", "beheer")
    assert result.exit_code == 0, result.output
    user = _db.session.scalar(select(User).where(User.email == "nieuwe.beheerder@example.nl"))

    response = client.post("/inloggen", data={"email": "nieuwe.beheerder@example.nl", "password": PASSWORD})

    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(User, user.id).last_login_at is not None

    wrong = app.test_client().post("/inloggen", data={"email": user.email, "password": "fout-wachtwoord"})
    assert wrong.status_code != 302


def test_seed_reference_after_demo_keeps_the_demo_intact(runner, demo):
    """Re-loading the reference data never resets operational state such as a bond being aangesloten."""
    result = runner.invoke(args=["seed", "reference"])

    assert result.exit_code == 0, result.output
    assert "niets gewijzigd" in result.output
    _db.session.expire_all()
    assert _db.session.scalar(select(Bond).where(Bond.key == "knvb")).aangesloten is True
    assert _db.session.scalar(select(Loket).where(Loket.slug == "eemland")).gemeenten


def test_users_create_for_an_initiative_a_gemeente_and_a_region(runner, demo):
    region = _db.session.scalar(select(Region).join(RegionSet).where(RegionSet.slug == "sportregios-demo",
                                                                     Region.name == "Regio Utrecht"))
    cases = [
        ("initiatiefmedewerker", ["--initiatief", "spn-procesbegeleiders", "--team-lead"],
         "Medewerker landelijk initiatief — SPN procesbegeleiders"),
        ("gemeente", ["--gemeente", "gm0355"], "Gemeente (sportbeleid) — Zeist"),
        ("adviseur", ["--regio", str(region.id)], "Adviseur lokale sport — Regio Utrecht"),
    ]
    for role, options, label in cases:
        email = f"nieuw.{role}@example.nl"
        result = _create(runner, email, role, *options)
        assert result.exit_code == 0, result.output
        assert label in result.output
        [membership] = _db.session.scalar(select(User).where(User.email == email)).memberships
        assert membership.role == role and membership.label == label
        assert membership.is_team_lead == (role == "initiatiefmedewerker")


@pytest.mark.parametrize("role, options, message", [
    ("initiatiefmedewerker", ["--initiatief", "bestaat-niet"], "bestaat niet"),
    ("gemeente", ["--gemeente", "GM9999"], "bestaat niet"),
    ("gemeente", [], "hoort bij precies één gemeente"),
    ("adviseur", ["--regio", "abc"], "bestaat niet"),
    ("adviseur", ["--regio", "999999"], "bestaat niet"),
    ("adviseur", ["--gemeente", "GM0344"], "hoort bij precies één regio"),
    ("gemeente", ["--gemeente", "GM0344", "--team-lead"], "teamleider"),
])
def test_users_create_refuses_a_wrong_organisation_for_the_new_roles(runner, demo, role, options, message):
    users, memberships = count(User), count(Membership)
    result = _create(runner, "b@example.nl", role, *options)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    _db.session.rollback()
    assert (count(User), count(Membership)) == (users, memberships)
