"""Sports listed for a club profile, in Dutch reading order."""
from loket.extensions import db as _db
from loket.services.network.clubs import sport_sort_key, sports_in_reading_order
from tests.factories import SportFactory


def test_sort_key_ignores_case_and_accents():
    names = ["G-voetbal", "BMX", "zwemmen", "Éénwieler", "atletiek", "badminton"]
    assert sorted(names, key=sport_sort_key) == ["atletiek", "badminton", "BMX", "Éénwieler", "G-voetbal", "zwemmen"]


def test_sports_in_reading_order(db):
    for name in ("Zwemmen", "BMX", "atletiek"):
        SportFactory(name=name)
    _db.session.commit()
    assert [s.name for s in sports_in_reading_order()] == ["atletiek", "BMX", "Zwemmen"]
