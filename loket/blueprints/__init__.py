"""Every blueprint of the app, registered by the factory in this order."""
from loket.blueprints.aanbod import bp as aanbod_bp
from loket.blueprints.aanmelden import bp as aanmelden_bp
from loket.blueprints.account import bp as account_bp
from loket.blueprints.afspraken import bp as afspraken_bp
from loket.blueprints.api import bp as api_bp
from loket.blueprints.auth import bp as auth_bp
from loket.blueprints.beheer import bp as beheer_bp
from loket.blueprints.club import bp as club_bp
from loket.blueprints.coordinatie import bp as coordinatie_bp
from loket.blueprints.gebied import bp as gebied_bp
from loket.blueprints.inbound import bp as inbound_bp
from loket.blueprints.kwaliteit import bp as kwaliteit_bp
from loket.blueprints.main import bp as main_bp
from loket.blueprints.netwerk import bp as netwerk_bp
from loket.blueprints.overzicht import bp as overzicht_bp
from loket.blueprints.profiel import bp as profiel_bp
from loket.blueprints.public import bp as public_bp
from loket.blueprints.queue import bp as queue_bp
from loket.blueprints.team import bp as team_bp
from loket.blueprints.werkgebied import bp as werkgebied_bp

BLUEPRINTS = [
    main_bp, auth_bp, account_bp, club_bp, queue_bp, coordinatie_bp, profiel_bp, aanbod_bp, beheer_bp,
    api_bp, inbound_bp, kwaliteit_bp, overzicht_bp, public_bp, aanmelden_bp,
    netwerk_bp, team_bp, werkgebied_bp, afspraken_bp, gebied_bp,
]
