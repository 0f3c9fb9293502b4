"""Teams in tests: a lead (coördinator) of a bond's team, beside the loket lead of tests/conftest.py (`lead`)."""
from loket.extensions import db
from tests.factories import make_user


def knvb_lead(network):
    """A team lead of the KNVB's team (committed)."""
    user = make_user("bondsspecialist", network.knvb, name="Bart Bondslead", team_lead=True)
    db.session.commit()
    return user
