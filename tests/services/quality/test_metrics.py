"""The metric criteria K1–K7 and K10 (loket/services/quality/metrics.py), checked against hand-computed values.

Requests, replies, pauses, referrals and ratings go through the real services with explicit `now=`, so
every date below is exact. All datetimes are naive UTC; in summer Amsterdam is UTC+2, and between Whit
Monday and Christmas (of 2025 and of 2026) there are no Dutch public holidays, so "N werkdagen" from a
weekday is simply N × 24 h of Monday–Friday time (counted in Amsterdam days). Measured as of AS_OF = Wed 1 July 2026 00:00 UTC; the 365-day
window of K2–K5 and K7 is [Tue 1 July 2025 00:00, AS_OF).

The network fixture: Sportloket Utrecht (gemeente Utrecht; club VV Utrechtse Boys; supporters Ofelia and
Cees), Sportloket Eemland (Amersfoort + Leusden; HC Amersfoort; supporter Eva), Sportloket Bunnik (in
oprichting; TV Bunnik; nobody), and Zeist without a loket (Stichting Zeist Beweegt).
"""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from loket.extensions import db as _db
from loket.services.quality import metrics
from loket.services.quality.criteria import current_set
from loket.services.quality.registry import METRICS
from loket.services.requests import actions, satisfaction, teamwork
from loket.services.seed.categories import seed_categories
from loket.services.seed.criteria import SEED_CRITERIA, seed_criteria
from tests.factories import (
    ClubFactory,
    GemeenteFactory,
    LoketFactory,
    MembershipFactory,
    make_user,
)
from tests.support.db import count_queries
from tests.support.requests import file_request

AS_OF = datetime(2026, 7, 1)
WINDOW_START = datetime(2025, 7, 1)  # AS_OF - 365 days
SECOND = timedelta(seconds=1)
MON = datetime(2026, 6, 1, 7)  # Mon 1 June 2026, 09:00 in Amsterdam
TUE, WED, THU, FRI = (MON + timedelta(days=n) for n in (1, 2, 3, 4))
FIRST_RESPONSE_DUE = WED  # MON + 2 werkdagen
REFERRAL_DUE = THU  # MON + 3 werkdagen


# ---------------------------------------------------------------- helpers

def measure(code, as_of=AS_OF):
    criterion = next(c for c in current_set(as_of.date()).criteria if c.code == code)
    return metrics.measure(criterion, as_of)


def _file(network, when, *, who="club_contact", club="club_utrecht", slug="overig", sport=None):
    """File a request as `who` for `club` (attribute names on `network`) at exactly `when`."""
    return file_request(network, who=who, club=club, category=slug, sport=sport, title="Vraag", description="Tekst",
                        now=when)


def _reply(request, supporter, when):
    actions.add_message(request, actor=supporter, body="Antwoord", internal=False, as_supporter=True,
                                 now=when)


def _club_reply(request, contact, when):
    actions.add_message(request, actor=contact, body="Hier is het", internal=False, as_supporter=False,
                                 now=when)


def _status(request, status, actor, when):
    actions.change_status(request, status, actor=actor, now=when)


def _resolved(network, filed, resolved, *, who="club_contact", club="club_utrecht", supporter="ondersteuner"):
    request = _file(network, filed, who=who, club=club)
    _status(request, "opgelost", getattr(network, supporter), resolved)
    return request


def _rated(network, score, *, who="club_contact", club="club_utrecht", supporter="ondersteuner",
           filed=MON, resolved=TUE):
    request = _resolved(network, filed, resolved, who=who, club=club, supporter=supporter)
    satisfaction.give_satisfaction(request, getattr(network, who), score, None, now=resolved + SECOND)
    return request


def _referred(network, when, *, to="loket_eemland"):
    """A request of VV Utrechtse Boys (owned by Utrecht) that Ofelia refers to another team at `when`."""
    request = _file(network, when)
    access = teamwork.supporter_access(network.ondersteuner, request.id)
    teamwork.propose_referral(access, actor=network.ondersteuner, to_team_id=getattr(network, to).team.id,
                              reason="Hoort daar", now=when)
    return request


def _decide(network, request, when, how="accept"):
    access = teamwork.supporter_access(network.ondersteuner_eemland, request.id)
    if how == "accept":
        teamwork.accept_referral(access, actor=network.ondersteuner_eemland, now=when)
    else:
        teamwork.decline_referral(access, actor=network.ondersteuner_eemland, reason="Niet bij ons", now=when)


def _loket_without_clubs():
    loket = LoketFactory(gemeenten=[GemeenteFactory()])
    _db.session.commit()
    return loket


def _ids(network):
    return network.loket_utrecht.id, network.loket_eemland.id, network.loket_bunnik.id


def test_every_metric_a_criterion_names_is_registered_and_computes(network):
    """The seed criteria only name registered metrics, and each registered metric computes one result
    per loket in a single call (whatever it finds: a value, or none)."""
    assert {spec.metric for spec in SEED_CRITERIA if spec.kind == "metric"} <= set(METRICS)
    for metric in METRICS.values():
        results = metric.compute(AS_OF, 365)
        assert set(_ids(network)) <= set(results), metric.name


# ---------------------------------------------------------------- K1 contact_reviewed_days

def test_k1_days_since_contact_review_with_the_183_day_boundary(network):
    utrecht, eemland, bunnik = _ids(network)
    # Utrecht: exactly 183 days ago → 183 ≤ 183 passes. Eemland: 184 days ago → fails.
    # Bunnik: never reviewed → no value, and a definite fail (not 'not measurable').
    network.loket_utrecht.contact_reviewed_at = AS_OF - timedelta(days=183)
    network.loket_eemland.contact_reviewed_at = AS_OF - timedelta(days=184)
    _db.session.commit()

    result = measure("K1")

    assert (result[utrecht].value, result[utrecht].passed) == (183, True)
    assert (result[eemland].value, result[eemland].passed) == (184, False)
    assert (result[bunnik].value, result[bunnik].passed) == (None, False)
    assert result[bunnik].details == {"reviewed_at": None}


def test_k1_counts_whole_days(network):
    utrecht = network.loket_utrecht.id
    # 183 days and 23 hours is 183 whole days: still within the criterion.
    network.loket_utrecht.contact_reviewed_at = AS_OF - timedelta(days=183, hours=23)
    _db.session.commit()

    result = measure("K1")[utrecht]

    assert (result.value, result.passed) == (183, True)


# ---------------------------------------------------------------- K2 first_response_within_sla

def test_k2_share_answered_in_time_of_the_requests_that_can_be_judged(network):
    utrecht, eemland, bunnik = _ids(network)
    ofelia = network.ondersteuner
    # All filed MON; first response due WED (2 werkdagen).
    _reply(_file(network, MON), ofelia, TUE)  # A: in time
    _reply(_file(network, MON), ofelia, FIRST_RESPONSE_DUE)  # B: exactly at the due moment: in time
    _reply(_file(network, MON), ofelia, FIRST_RESPONSE_DUE + SECOND)  # C: one second late
    _file(network, MON)  # D: never answered, due long past: a miss
    _reply(_file(network, MON), ofelia, AS_OF + timedelta(days=1))  # E: answered only after AS_OF: a miss as of AS_OF
    _file(network, datetime(2026, 6, 29, 7))  # F: filed Mon 29 June, due Wed 1 July 07:00 > AS_OF: not judged yet
    _file(network, MON, slug="sporttechnisch-competitie", sport=network.voetbal)  # G: owned by the KNVB, not a loket

    result = measure("K2")

    # Judged: A, B in time; C, D, E misses → 2 / 5 = 0.4 < 0.9.
    assert result[utrecht].value == pytest.approx(2 / 5)
    assert result[utrecht].passed is False
    assert result[utrecht].details == {"numerator": 2, "denominator": 5, "count": 5, "filed": 6, "answered_late": 1,
                                       "unanswered_overdue": 2, "pending": 1}
    # No requests: not measurable.
    for loket_id in (eemland, bunnik):
        assert (result[loket_id].value, result[loket_id].passed) == (None, None)
        assert result[loket_id].details["filed"] == 0


def test_k2_at_the_threshold_nine_of_ten_passes_and_nine_of_eleven_fails(network):
    utrecht = network.loket_utrecht.id
    for _ in range(9):
        _reply(_file(network, MON), network.ondersteuner, TUE)
    _reply(_file(network, MON), network.ondersteuner, FRI)

    assert (measure("K2")[utrecht].value, measure("K2")[utrecht].passed) == (0.9, True)  # 9/10 ≥ 0.9

    _reply(_file(network, MON), network.ondersteuner, FRI)

    assert measure("K2")[utrecht].passed is False  # 9/11 ≈ 0.818


def test_k2_window_edges(network):
    utrecht = network.loket_utrecht.id
    _reply(_file(network, WINDOW_START), network.ondersteuner, WINDOW_START + timedelta(hours=1))  # in
    _reply(_file(network, WINDOW_START - SECOND), network.ondersteuner, WINDOW_START)  # out
    _file(network, AS_OF - SECOND)  # in, but not due yet: filed, not judged
    _file(network, AS_OF)  # out: the window ends before AS_OF

    details = measure("K2")[utrecht].details

    assert (details["filed"], details["numerator"], details["denominator"]) == (2, 1, 1)


def test_k2_waiting_for_the_club_moves_the_first_response_deadline(network):
    utrecht, eemland = network.loket_utrecht.id, network.loket_eemland.id
    ofelia, anna = network.ondersteuner, network.club_contact
    # Utrecht: filed MON 07:00 (due WED 07:00), waiting for the club from MON 08:00 until THU 08:00:
    # 3 werkdagen of pause move the due date to WED 07:00 + 3 werkdagen = Mon 8 June 07:00.
    # The reply on FRI is two days after the original due date, yet in time.
    request = _file(network, MON)
    _status(request, "wacht_op_club", ofelia, MON + timedelta(hours=1))
    _club_reply(request, anna, THU + timedelta(hours=1))
    _db.session.refresh(request)
    assert request.first_response_due_at == datetime(2026, 6, 8, 7)
    _reply(request, ofelia, FRI)
    # Eemland: waiting for the club since MON 08:00 (before its due date) and still waiting at AS_OF:
    # the clock stopped with time left, so the request is not late, only not judged yet.
    waiting = _file(network, MON, who="other_club_contact", club="club_amersfoort")
    _status(waiting, "wacht_op_club", network.ondersteuner_eemland, MON + timedelta(hours=1))

    result = measure("K2")

    assert (result[utrecht].value, result[utrecht].passed) == (1.0, True)
    assert (result[eemland].value, result[eemland].passed) == (None, None)
    assert result[eemland].details["pending"] == 1


# ---------------------------------------------------------------- K3 median_resolution_workdays

def test_k3_median_of_odd_and_even_counts(network):
    utrecht, eemland, bunnik = _ids(network)
    # Filed MON 07:00, resolved TUE, THU and Mon 15 June at 07:00: 1, 3 and 10 werkdagen → median 3
    # (the mean would be 4.67).
    for resolved in (TUE, THU, datetime(2026, 6, 15, 7)):
        _resolved(network, MON, resolved)

    result = measure("K3")

    assert (result[utrecht].value, result[utrecht].passed, result[utrecht].details) == (3.0, True, {"count": 3})
    for loket_id in (eemland, bunnik):  # nothing resolved: not measurable
        assert (result[loket_id].value, result[loket_id].passed, result[loket_id].details) == (None, None, {"count": 0})

    _resolved(network, MON, datetime(2026, 6, 8, 7))  # 5 werkdagen: 1, 3, 5, 10 → (3 + 5) / 2 = 4 (mean 4.75)

    assert measure("K3")[utrecht].value == 4.0


def test_k3_at_the_threshold_fifteen_werkdagen_passes(network):
    utrecht, eemland = network.loket_utrecht.id, network.loket_eemland.id
    # MON + 15 werkdagen = Mon 22 June 07:00 → exactly 15 ≤ 15. One hour later: 15 + 1/24 ≈ 15.0417 → fails.
    _resolved(network, MON, datetime(2026, 6, 22, 7))
    _resolved(network, MON, datetime(2026, 6, 22, 8), who="other_club_contact", club="club_amersfoort",
              supporter="ondersteuner_eemland")

    result = measure("K3")

    assert (result[utrecht].value, result[utrecht].passed) == (15.0, True)
    assert result[eemland].value == pytest.approx(15 + 1 / 24, abs=1e-4)
    assert result[eemland].passed is False


def test_k3_window_counts_resolution_time_not_filing_time(network):
    utrecht = network.loket_utrecht.id
    # In: filed Mon 30 June 2025 00:00 (before the window), resolved at the window's first instant,
    # Tue 1 July 2025 00:00 UTC: 24 working hours = 1 werkdag.
    _resolved(network, datetime(2025, 6, 30), WINDOW_START)
    _resolved(network, datetime(2025, 6, 27), WINDOW_START - SECOND)  # out
    # In: filed Mon 29 June 2026 07:00, resolved one second before AS_OF (Wed 1 July 01:59:59 in Amsterdam):
    # 15 h + 24 h + 1:59:59 = 147,599 s = 1.7083 werkdagen.
    _resolved(network, datetime(2026, 6, 29, 7), AS_OF - SECOND)
    _resolved(network, MON, AS_OF)  # out: filed in the window, but resolved at AS_OF

    result = measure("K3")[utrecht]

    assert result.details == {"count": 2}
    assert result.value == pytest.approx((1 + 1.7083) / 2)


def test_k3_time_waiting_for_the_club_does_not_count(network):
    utrecht = network.loket_utrecht.id
    ofelia = network.ondersteuner
    # Filed MON 07:00, waiting for the club MON 09:00 → WED 09:00 (2 werkdagen), resolved FRI 07:00:
    # 4 werkdagen elapsed − 2 waiting = 2.
    request = _file(network, MON)
    _reply(request, ofelia, MON + timedelta(hours=1))
    _status(request, "wacht_op_club", ofelia, MON + timedelta(hours=2))
    _club_reply(request, network.club_contact, WED + timedelta(hours=2))
    _status(request, "opgelost", ofelia, FRI)

    assert measure("K3")[utrecht].value == 2.0


# ---------------------------------------------------------------- K4 referrals_decided_in_time

def test_k4_share_decided_in_time_of_the_referrals_to_the_loket(network):
    utrecht, eemland, bunnik = _ids(network)
    # To Eemland, all proposed MON (decision due THU 07:00):
    _decide(network, _referred(network, MON), TUE)  # accepted in time
    _decide(network, _referred(network, MON), REFERRAL_DUE, how="decline")  # declined exactly at the due moment
    _decide(network, _referred(network, MON), REFERRAL_DUE + SECOND)  # accepted one second late
    withdrawn = _referred(network, MON)  # withdrawn by Utrecht: not Eemland's decision, left out
    teamwork.withdraw_referral(teamwork.supporter_access(network.ondersteuner, withdrawn.id),
                               actor=network.ondersteuner, now=TUE)
    _referred(network, datetime(2026, 6, 29, 7))  # open, due Thu 2 July > AS_OF: not judged yet
    _referred(network, MON, to="knvb")  # to a bond: no loket's referral

    result = measure("K4")

    # 2 in time of 3 decided ≈ 0.667 < 0.9.
    assert result[eemland].value == pytest.approx(2 / 3)
    assert result[eemland].passed is False
    assert result[eemland].details == {"numerator": 2, "denominator": 3, "count": 3, "decided_late": 1,
                                       "open_overdue": 0, "not_yet_due": 1}
    # Nobody referred anything to Utrecht or Bunnik: nothing to judge, and that passes.
    for loket_id in (utrecht, bunnik):
        assert (result[loket_id].value, result[loket_id].passed) == (None, True)
        assert "Geen doorverwijzingen" in result[loket_id].details["note"]


def test_k4_at_the_threshold_nine_of_ten_in_time_passes(network):
    eemland = network.loket_eemland.id
    for _ in range(9):
        _decide(network, _referred(network, MON), TUE)
    _decide(network, _referred(network, MON), FRI)

    assert (measure("K4")[eemland].value, measure("K4")[eemland].passed) == (0.9, True)


def test_k4_an_open_referral_past_due_fails_even_with_a_perfect_share(network):
    eemland = network.loket_eemland.id
    _decide(network, _referred(network, MON), TUE)  # 1 of 1 decided in time: share 1.0
    # Proposed Mon 2 June 2025, before the window, due Thu 5 June 2025 and never decided: open past due.
    _referred(network, datetime(2025, 6, 2, 7))

    result = measure("K4")[eemland]

    assert (result.value, result.passed) == (1.0, False)
    assert result.details["open_overdue"] == 1


def test_k4_open_referral_past_due_in_the_window_is_a_miss(network):
    eemland = network.loket_eemland.id
    _referred(network, MON)  # due THU, still open at AS_OF

    result = measure("K4")[eemland]

    assert (result.value, result.passed) == (0.0, False)
    assert (result.details["denominator"], result.details["open_overdue"]) == (1, 1)


def test_k4_window_edges(network):
    eemland = network.loket_eemland.id
    _decide(network, _referred(network, WINDOW_START), WINDOW_START + timedelta(hours=1))  # in
    _decide(network, _referred(network, WINDOW_START - SECOND), WINDOW_START)  # out (created before)
    _decide(network, _referred(network, AS_OF - timedelta(hours=1)), AS_OF - SECOND)  # in
    _referred(network, AS_OF)  # out (created at AS_OF)

    assert measure("K4")[eemland].details["denominator"] == 2


# ---------------------------------------------------------------- K5 mean_satisfaction

def test_k5_mean_with_at_least_ten_answers(network):
    utrecht, eemland, bunnik = _ids(network)
    # Utrecht: 5+5+4+4+4+4+4+3+3+4 = 40 over 10 answers → exactly 4.0 ≥ 4.0 passes.
    for score in (5, 5, 4, 4, 4, 4, 4, 3, 3, 4):
        _rated(network, score)
    _resolved(network, MON, TUE)  # resolved but not rated: no answer
    # Eemland: nine answers of 5 → mean 5.0, but 9 < 10 answers: not measurable (value kept).
    for _ in range(9):
        _rated(network, 5, who="other_club_contact", club="club_amersfoort", supporter="ondersteuner_eemland")

    result = measure("K5")

    assert (result[utrecht].value, result[utrecht].passed) == (4.0, True)
    assert result[utrecht].details == {"count": 10, "total_score": 40}
    assert (result[eemland].value, result[eemland].passed, result[eemland].details["count"]) == (5.0, None, 9)
    assert (result[bunnik].value, result[bunnik].passed, result[bunnik].details["count"]) == (None, None, 0)

    _rated(network, 3)  # 43 / 11 ≈ 3.91 < 4.0

    assert measure("K5")[utrecht].passed is False


def test_k5_window_counts_by_resolution_time(network):
    utrecht = network.loket_utrecht.id
    _rated(network, 1, filed=datetime(2025, 6, 27), resolved=WINDOW_START - SECOND)  # out
    _rated(network, 2, filed=datetime(2025, 6, 27), resolved=WINDOW_START)  # in: filed before, resolved within
    _rated(network, 4, resolved=AS_OF - SECOND)  # in
    _rated(network, 5, resolved=AS_OF)  # out

    assert measure("K5")[utrecht].details == {"count": 2, "total_score": 6}


# ---------------------------------------------------------------- K6 active_supporters

def test_k6_counts_active_clubondersteuners_of_the_loket(network):
    utrecht, eemland, bunnik = _ids(network)
    make_user("bondsspecialist", network.knvb)  # not a clubondersteuner
    _db.session.commit()

    result = measure("K6")

    # Utrecht: Ofelia + Cees = 2 ≥ 2 passes; Eemland: Eva alone fails; Bunnik: nobody is 0 (measured, fails).
    assert {k: (result[k].value, result[k].passed) for k in (utrecht, eemland, bunnik)} == {
        utrecht: (2, True), eemland: (1, False), bunnik: (0, False)}

    network.collega.active = False  # Cees leaves
    _db.session.commit()

    assert (measure("K6")[utrecht].value, measure("K6")[utrecht].passed) == (1, False)


def test_k6_a_supporter_of_two_lokets_counts_for_both(network):
    MembershipFactory(user=network.ondersteuner_eemland, role="clubondersteuner", loket=network.loket_bunnik)
    _db.session.commit()

    result = measure("K6")

    assert (result[network.loket_eemland.id].value, result[network.loket_bunnik.id].value) == (1, 1)


# ---------------------------------------------------------------- K7 club_reach

def _clubs_with_contact(network, gemeente, count):
    clubs = [ClubFactory(gemeente=gemeente) for _ in range(count)]
    for club in clubs:
        MembershipFactory(user=network.club_contact, role="club", club=club)
    _db.session.commit()
    return clubs


def test_k7_share_of_werkgebied_clubs_that_filed(network):
    utrecht, eemland, bunnik = _ids(network)
    # Utrecht: VV Utrechtse Boys + 9 new clubs = 10. The Boys filed twice (one a sport-specific question that
    # went to the KNVB — it still reached the network) → 1 distinct club / 10 = 0.1 ≥ 0.1 passes.
    _clubs_with_contact(network, network.utrecht, 9)
    _file(network, MON)
    _file(network, TUE, slug="sporttechnisch-competitie", sport=network.voetbal)
    # Eemland: HC Amersfoort + a Leusden club = 2; HC Amersfoort filed only before the window → 0 / 2.
    ClubFactory(gemeente=network.leusden)
    _db.session.commit()
    _file(network, WINDOW_START - SECOND, who="other_club_contact", club="club_amersfoort")
    # Zeist has no loket: its club counts nowhere. A loket whose gemeente has no clubs: not measurable.
    _file(network, MON, who="zeist_contact", club="club_zeist")
    empty = _loket_without_clubs()

    result = measure("K7")

    assert (result[utrecht].value, result[utrecht].passed) == (0.1, True)
    assert result[utrecht].details == {"numerator": 1, "denominator": 10, "count": 10}
    assert (result[eemland].value, result[eemland].passed, result[eemland].details["denominator"]) == (0.0, False, 2)
    assert (result[bunnik].value, result[bunnik].passed) == (0.0, False)
    assert (result[empty.id].value, result[empty.id].passed) == (None, None)

    _clubs_with_contact(network, network.utrecht, 1)  # 1 / 11 < 0.1

    assert measure("K7")[utrecht].passed is False


def test_k7_window_edges(network):
    utrecht = network.loket_utrecht.id
    early, first, last, late = _clubs_with_contact(network, network.utrecht, 4)
    for club, when in ((early, WINDOW_START - SECOND), (first, WINDOW_START), (last, AS_OF - SECOND), (late, AS_OF)):
        network.club = club
        _file(network, when, club="club")

    # 5 clubs (the Boys + 4); `first` and `last` filed within the window.
    assert measure("K7")[utrecht].details == {"numerator": 2, "denominator": 5, "count": 5}


# ---------------------------------------------------------------- K10 basiseisen_known

def test_k10_share_of_clubs_with_all_four_basiseisen_known(network):
    utrecht, eemland, bunnik = _ids(network)
    known = {f"basiseis_{key}_status": status for key, status in
             (("vog", "voldoet"), ("vcp", "mee_bezig"), ("gedragsregels", "nee"), ("kwalificatie", "voldoet"))}
    for name, value in known.items():
        setattr(network.club_utrecht, name, value)
    ClubFactory(gemeente=network.utrecht, **known)
    ClubFactory(gemeente=network.utrecht, **known)
    ClubFactory(gemeente=network.utrecht, **{**known, "basiseis_kwalificatie_status": "onbekend"})
    empty = _loket_without_clubs()
    _db.session.commit()

    result = measure("K10")

    # Utrecht: 3 of 4 clubs have all four known → 0.75 ≥ 0.75. Eemland / Bunnik: their clubs know nothing → 0.
    assert (result[utrecht].value, result[utrecht].passed) == (0.75, True)
    assert result[utrecht].details == {"numerator": 3, "denominator": 4, "count": 4}
    assert (result[eemland].value, result[eemland].passed) == (0.0, False)
    assert (result[bunnik].value, result[bunnik].passed) == (0.0, False)
    assert (result[empty.id].value, result[empty.id].passed) == (None, None)

    ClubFactory(gemeente=network.utrecht)  # a fifth club, all unknown: 3 / 5 = 0.6
    _db.session.commit()

    assert measure("K10")[utrecht].passed is False


# ---------------------------------------------------------------- one statement per criterion

def _loket_with_data():
    """A loket with a club, a supporter, and a request that was answered, resolved and rated."""
    gemeente = GemeenteFactory()
    loket = LoketFactory(gemeenten=[gemeente])
    club = ClubFactory(gemeente=gemeente)
    contact, supporter = make_user("club", club), make_user("clubondersteuner", loket)
    _db.session.commit()
    request = _file(SimpleNamespace(contact=contact, club=club), MON, who="contact", club="club")
    _reply(request, supporter, MON + timedelta(hours=1))
    _status(request, "opgelost", supporter, TUE)
    satisfaction.give_satisfaction(request, contact, 4, None, now=TUE)
    return SimpleNamespace(loket=loket, club=club, contact=contact, supporter=supporter)


def _measured_with_statements(app, code):
    criterion = next(c for c in current_set(AS_OF.date()).criteria if c.code == code)
    _db.session.refresh(criterion)  # loaded before counting: only the metric's own SQL is counted
    with count_queries(app) as statements:
        result = metrics.measure(criterion, AS_OF)
    return result, list(statements)


@pytest.mark.parametrize("code", ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K10"])
def test_one_sql_statement_per_criterion_for_one_or_five_loketten(app, db, code):
    seed_categories()
    seed_criteria()
    first = _loket_with_data()

    one, one_statements = _measured_with_statements(app, code)

    others = [_loket_with_data() for _ in range(4)]
    for other in others[:2]:  # referrals to the first loket, so K4 aggregates rows too
        request = _file(SimpleNamespace(contact=other.contact, club=other.club), MON, who="contact", club="club")
        teamwork.propose_referral(teamwork.supporter_access(other.supporter, request.id), actor=other.supporter,
                                  to_team_id=first.loket.team.id, reason="Hoort daar", now=MON)

    five, five_statements = _measured_with_statements(app, code)

    assert (len(one), len(five)) == (1, 5)
    assert len(one_statements) == len(five_statements) == 1, five_statements
