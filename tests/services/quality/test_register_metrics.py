"""K7 (bereik) and K10 (basiseisen in beeld) are computed on the club register: importing a werkgebied's clubs
from CSV widens K7's denominator and sets K10's share, as a loket would see it after importing its list."""
import io
from datetime import timedelta

from loket.extensions import db as _db
from loket.models import Club
from loket.models.base import utcnow
from loket.services.network import club_import, club_register
from loket.services.quality import metrics
from loket.services.quality.criteria import current_set
from tests.factories import MembershipFactory
from tests.support.requests import file_request

KNOWN = {key: ("voldoet", "") for key in ("vog", "vcp", "gedragsregels", "kwalificatie")}


def measure(code, as_of):
    criterion = next(c for c in current_set(as_of.date()).criteria if c.code == code)
    return metrics.measure(criterion, as_of)


def test_an_imported_register_changes_k7s_denominator_and_k10s_share(network):
    utrecht = network.loket_utrecht.id
    file_request(network, club="club_utrecht", now=utcnow() - timedelta(days=20))  # the one club Utrecht knew
    as_of = utcnow()
    assert measure("K7", as_of)[utrecht].details == {"numerator": 1, "denominator": 1, "count": 1}
    assert measure("K10", as_of)[utrecht].details == {"numerator": 0, "denominator": 1, "count": 1}

    # The loket imports its list of 10 clubs; one of them is VV Utrechtse Boys (matched by name, not doubled).
    lines = ["VV Utrechtse Boys;vereniging;GM0344;voetbal;"] + [
        f"Club {i};vereniging;GM0344;voetbal;" for i in range(1, 10)]
    stream = io.BytesIO(("naam;soort;gemeentecode;sporten;kvk\n" + "\n".join(lines)).encode())
    preview = club_import.preview(network.loket_utrecht, actor=network.ondersteuner, filename="clubs.csv",
                                  stream=stream)
    done = club_import.confirm(preview, actor=network.ondersteuner)
    assert (done.state, done.created_count) == ("done", 9)

    # 4 of the 10 get all four basiseisen known; one more imported club files a request: 2 of 10 filed.
    clubs = {c.name: c for c in _db.session.scalars(_db.select(Club).where(Club.gemeente_id == network.utrecht.id))}
    assert len(clubs) == 10
    for name in ("VV Utrechtse Boys", "Club 1", "Club 2", "Club 3"):
        club_register.update_basiseisen(clubs[name], actor=network.ondersteuner, basiseisen=KNOWN)
    MembershipFactory(user=network.club_contact, role="club", club=clubs["Club 5"])
    _db.session.commit()
    file_request(network, club=clubs["Club 5"], now=utcnow() - timedelta(days=5))

    as_of = utcnow()
    k7, k10 = measure("K7", as_of)[utrecht], measure("K10", as_of)[utrecht]
    assert k7.details == {"numerator": 2, "denominator": 10, "count": 10} and k7.value == 0.2
    assert k10.details == {"numerator": 4, "denominator": 10, "count": 10} and k10.value == 0.4
    register = club_register.register(network.loket_utrecht)
    assert register.total == 10
    assert sum(row.basiseisen_known for row in register.items) == 4
    assert sum(row.requests_last_year > 0 for row in register.items) == 2
