"""Background work for real: requests filed over HTTP write outbox rows, RQ jobs go to a real Redis, a real
`flask worker --burst` subprocess delivers them through the official SendGrid client to the fake SendGrid.
"""
from collections import Counter
from datetime import timedelta

from redis import Redis
from rq import Queue
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import SupportRequest
from loket.models.base import utcnow
from loket.services import scheduler
from tests.support.mails import accepted_mails, sent_to
from tests.support.requests import file_request, request_form


def _request(reference_or_id) -> SupportRequest:
    _db.session.rollback()
    if isinstance(reference_or_id, int):
        return _db.session.get(SupportRequest, reference_or_id)
    return _db.session.scalar(select(SupportRequest).where(SupportRequest.reference == reference_or_id))


def _latest_request() -> SupportRequest:
    _db.session.rollback()
    return _db.session.scalar(select(SupportRequest).order_by(SupportRequest.id.desc()).limit(1))


def _ok(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response


def _assert_sendgrid_calls_are_proper(fake):
    assert fake.calls, "SendGrid was called"
    for call in fake.calls:
        assert call.path == "/v3/mail/send"
        assert call.headers["Authorization"] == "Bearer test-key"
        assert call.headers["Content-Type"].startswith("application/json")
        assert call.schema_errors == [], call.schema_errors
        assert call.body["personalizations"] and all(p["to"] for p in call.body["personalizations"])
        assert call.body["from"]["email"] == "noreply@loket.example"
        assert {c["type"] for c in call.body["content"]} == {"text/plain", "text/html"}


def test_filed_over_http_mails_go_out_once_through_rq_and_sendgrid(live):
    network = live.network
    _ok(live.client("club_contact").post("/club/aanvragen/nieuw", data=request_form(network)))

    rows = live.rows()
    assert {(r.name, r.payload["to"], r.status) for r in rows} == {
        ("request_received", network.club_contact.email, "enqueued"),
        ("new_in_queue", network.ondersteuner.email, "enqueued"),
        ("new_in_queue", network.collega.email, "enqueued"),
    }
    assert Queue("mail", connection=Redis.from_url(live.redis_url)).count == 3
    assert live.fake.calls == []  # nothing is sent by the web process

    live.run_worker()
    assert {(r.status, r.attempts) for r in live.rows()} == {("sent", 1)}
    assert sent_to(live.fake) == Counter({
        ("request_received", network.club_contact.email): 1,
        ("new_in_queue", network.ondersteuner.email): 1,
        ("new_in_queue", network.collega.email): 1,
    })
    _assert_sendgrid_calls_are_proper(live.fake)
    reference = _latest_request().reference
    assert all(mail.subject.startswith(f"[{reference}]") for mail in accepted_mails(live.fake))

    live.run_worker()  # nothing left: nothing is sent twice
    assert len(live.fake.calls) == 3


def test_every_notice_of_a_journey_goes_out_once_through_the_worker(live):
    """Filing, public reply, internal note, club reply, referral declined and accepted, resolution, and the
    scheduler's service-level sweep (enqueued on Redis, run by the worker): each notice exactly once."""
    n = live.network
    club, ofelia, eva = live.client("club_contact"), live.client("ondersteuner"), live.client("ondersteuner_eemland")
    _ok(club.post("/club/aanvragen/nieuw", data=request_form(n)))
    request_id = _latest_request().id
    queue_url = f"/wachtrij/{request_id}"

    _ok(ofelia.post(f"{queue_url}/bericht", data={"body": "INTERN penningmeester belt terug", "internal": "y"}))
    _ok(ofelia.post(f"{queue_url}/bericht", data={"body": "We bellen je donderdag."}))
    _ok(club.post(f"/club/aanvragen/{request_id}/reactie", data={"body": "Donderdag past goed."}))
    eemland_team = n.loket_eemland.team.id
    _ok(ofelia.post(f"{queue_url}/doorverwijzen", data={"team": eemland_team, "reason": "INTERN verhuisd?"}))
    _ok(eva.post(f"{queue_url}/doorverwijzing/afwijzen", data={"reason": "INTERN niet bij ons"}))
    _ok(ofelia.post(f"{queue_url}/doorverwijzen", data={"team": eemland_team, "reason": "INTERN toch wel"}))
    _ok(eva.post(f"{queue_url}/doorverwijzing/accepteren", data={}))
    _ok(eva.post(f"{queue_url}/status", data={"status": "opgelost", "version": str(_request(request_id).version)}))

    # A request filed a month ago (service call) is overdue: the scheduler's tick enqueues the sweep job.
    late = file_request(n, title="Oude vraag", now=utcnow() - timedelta(days=30))
    assert "service_level_sweep" in scheduler.run_due()
    [sweep] = [row for row in live.rows() if row.name == "workers.service_levels.sweep_service_levels"]
    assert sweep.status == "enqueued"  # an outbox row of the slot's claim, on the default queue
    assert f"outbox-{sweep.id}-0" in Queue("default", connection=Redis.from_url(live.redis_url)).job_ids
    assert live.fake.calls == []

    live.run_worker()
    anna, ofelia_mail, cees, eva_mail = (n.club_contact.email, n.ondersteuner.email, n.collega.email,
                                         n.ondersteuner_eemland.email)
    expected = Counter({
        ("request_received", anna): 2,  # two requests
        ("new_in_queue", ofelia_mail): 2,
        ("new_in_queue", cees): 2,
        ("public_reply", anna): 1,
        ("club_replied", ofelia_mail): 1,
        ("club_replied", cees): 1,
        ("referral_proposed", eva_mail): 2,  # two proposals
        ("referral_decided", ofelia_mail): 2,  # declined, then accepted
        ("satisfaction_question", anna): 1,
        ("sla_overdue", ofelia_mail): 1,  # the old request, unassigned: its whole team
        ("sla_overdue", cees): 1,
    })
    assert sent_to(live.fake) == expected
    assert {r.status for r in live.rows()} == {"sent"}
    _assert_sendgrid_calls_are_proper(live.fake)
    for mail in accepted_mails(live.fake):
        if mail.to == anna:
            assert "INTERN" not in mail.text and "INTERN" not in mail.html
    assert [m.to for m in accepted_mails(live.fake) if m.template == "sla_overdue" and late.reference in m.subject]

    # The next tick in the same slot starts nothing; a worker run sends nothing more.
    assert "service_level_sweep" not in scheduler.run_due()
    live.run_worker()
    assert len(live.fake.calls) == sum(expected.values())
