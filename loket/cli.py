"""Command-line interface: `flask --app wsgi seed reference|demo`, `users create` and `quality recompute`.

Thin wrappers: parse options, call a service, print the outcome. Messages for operators are Dutch.
"""
import click
from flask import current_app
from flask.cli import AppGroup

from loket.bench import bench_cli
from loket.extensions import db
from loket.models import ROLE_LABELS, ROLES
from loket.services.errors import InvalidInput
from loket.services.network.users import MembershipSpec, create_user
from loket.services.seed.demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoDataError, seed_demo
from loket.services.seed.reference_data import ReferenceDataError, seed_reference

seed_cli = AppGroup("seed", help="Referentie- en demogegevens laden.")
users_cli = AppGroup("users", help="Gebruikers beheren.")
quality_cli = AppGroup("quality", help="Kwaliteitsmetingen van de loketten.")

SUMMARY_LABELS = {
    "gemeenten": "Gemeenten",
    "bonden": "Bonden",
    "sports": "Sporten",
    "bond_sports": "Bond–sport-koppelingen",
    "categories": "Categorieën",
    "teams": "Teams",
    "criteria_sets": "Criteriasets",
}


def init_app(app):
    app.cli.add_command(seed_cli)
    app.cli.add_command(bench_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(quality_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(scheduler_command)


def _progress(rows, label):
    with click.progressbar(rows, label=f"{label:<10}", show_pos=True) as bar:
        yield from bar


@seed_cli.command("reference")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Map met gemeenten.csv en bonden.csv (standaard: REFERENCE_DATA_DIR).")
def seed_reference_command(data_dir):
    """Gemeenten, bonden, sporten, categorieën en teams laden of bijwerken (idempotent)."""
    data_dir = data_dir or current_app.config["REFERENCE_DATA_DIR"]
    try:
        summary = seed_reference(data_dir, progress=_progress)
    except ReferenceDataError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Referentiegegevens geladen uit {data_dir}:")
    for name, counts in summary.items():
        click.echo(f"  {SUMMARY_LABELS.get(name, name):<24} {counts.added:>4} toegevoegd  "
                   f"{counts.updated:>4} bijgewerkt")
    if not summary.changed:
        click.echo("Alles was al actueel; er is niets gewijzigd.")


@seed_cli.command("demo")
def seed_demo_command():
    """Demo-loketten, clubs, gebruikers en aanvragen aanmaken (na `seed reference`)."""
    try:
        result = seed_demo()
    except DemoDataError as error:
        raise click.ClickException(str(error)) from None
    if result.created:
        click.echo("Demogegevens aangemaakt.")
    else:
        click.echo("Demogegevens bestonden al; er is niets gewijzigd.")
    width = max(len(email) for _, email in result)
    click.echo("")
    click.echo(f"  {'Rol':<32} E-mailadres")
    click.echo(f"  {'-' * 32} {'-' * width}")
    for role, email in result:
        click.echo(f"  {ROLE_LABELS[role]:<32} {email}")
    click.echo("")
    click.echo(f"  Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}")
    click.echo(f"  Coördinatiepunt, beheer en teamleiders vragen daarna een code: sleutel {DEMO_TOTP_SECRET} in je"
               " authenticator-app.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Volledige naam.")
@click.option("--password", prompt="Wachtwoord", hide_input=True, confirmation_prompt=True,
              help="Wachtwoord (minstens 12 tekens, niet gangbaar); zonder deze optie wordt erom gevraagd.")
@click.option("--role", required=True, help=f"Rol: {', '.join(ROLES)}.")
@click.option("--loket", "loket_slug", default=None, help="Slug van het loket (clubondersteuner).")
@click.option("--bond", "bond_key", default=None, help="Sleutel van de bond (bondsspecialist).")
@click.option("--club", "club_id", default=None, help="Id van de club (club).")
@click.option("--initiatief", "initiative_key", default=None,
              help="Sleutel van het landelijk initiatief (initiatiefmedewerker).")
@click.option("--gemeente", "gemeente_code", default=None, help="CBS-code van de gemeente (gemeente), bv. GM0344.")
@click.option("--regio", "region_id", default=None, help="Id van de regio (adviseur); zie beheer › regio-indelingen.")
@click.option("--team-lead", is_flag=True, help="Teamleider (coördinator) van het loket, de bond of het initiatief.")
@click.option("--totp-secret", default=None,
              help="Base32-sleutel voor tweestapsverificatie (voor automatisering): het account krijgt die meteen "
                   "aan, met deze sleutel.")
@click.pass_context
def users_create_command(ctx, email, name, password, role, loket_slug, bond_key, club_id, initiative_key,
                         gemeente_code, region_id, team_lead, totp_secret):
    """Een gebruiker met één rol aanmaken."""
    spec = MembershipSpec(role=role, club=club_id, loket=loket_slug, bond=bond_key, initiative=initiative_key,
                          gemeente=gemeente_code, region=region_id, team_lead=team_lead)
    try:
        user = create_user(email=email, name=name, password=password, memberships=[spec], totp_secret=totp_secret)
    except InvalidInput as error:
        db.session.rollback()
        click.echo("Gebruiker niet aangemaakt:", err=True)
        for message in error.errors.values():
            click.echo(f"  - {message}", err=True)
        ctx.exit(2)
    click.echo(f"Gebruiker aangemaakt: {user.email} ({'; '.join(m.label for m in user.memberships)}"
               f"{', teamleider' if team_lead else ''}{', tweestapsverificatie aan' if totp_secret else ''}).")


@users_cli.command("reset-2fa")
@click.argument("email")
@click.pass_context
def users_reset_two_factor_command(ctx, email):
    """Tweestapsverificatie uitzetten voor iemand die app en herstelcodes kwijt is (controleer eerst wie het vraagt)."""
    from loket.services.network import account, two_factor
    from loket.services.network.users import find_by_email

    user = find_by_email(email)
    if user is None:
        click.echo(f"Geen account met e-mailadres {email}.", err=True)
        ctx.exit(2)
    account.reset_two_factor_by_operator(user)
    click.echo(f"Tweestapsverificatie van {user.email} staat uit; alle sessies en API-tokens zijn beëindigd."
               + (" Bij de volgende keer inloggen stelt deze persoon haar opnieuw in (verplicht voor de rol)."
                  if two_factor.required_for(user) else ""))


@quality_cli.command("recompute")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Meten zoals op deze datum (JJJJ-MM-DD, om 00:00 UTC); standaard nu.")
@click.pass_context
def quality_recompute_command(ctx, as_of):
    """Alle meetbare criteria voor alle loketten nu berekenen (zonder wachtrij) en samenvatten."""
    from loket.services.quality import runs
    from loket.services.quality.criteria import current_set

    run = runs.recompute_now(as_of=as_of)
    if run.state != "done":
        click.echo(f"Kwaliteitsmeting {run.id} is mislukt: {run.error}", err=True)
        ctx.exit(1)
    moment = as_of or run.created_at
    click.echo(f"Kwaliteitsmeting {run.id} klaar: periode {run.period:%Y-%m}, peilmoment {moment:%Y-%m-%d %H:%M} UTC, "
               f"{run.criteria_done} criteria.")
    outcomes = runs.outcomes(run.period, current_set(moment.date()))
    width = max((len(outcome.title) for outcome in outcomes), default=0)
    for outcome in outcomes:
        click.echo(f"  {outcome.code:<4} {outcome.title:<{width}} {outcome.passed:>3} van {outcome.total} "
                   f"loketten voldoen ({outcome.failed} niet, {outcome.not_measurable} niet meetbaar)")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Verwerk alles wat klaarstaat (ook de uitgaande berichten) en stop.")
@click.option("--queues", default="mail,default,reports", show_default=True, help="Wachtrijen, komma-gescheiden.")
def worker_command(burst, queues):
    """Start een RQ-worker (met REDIS_URL) voor mail, default en reports; blijft draaien als Redis wegvalt."""
    from loket.jobs import run_worker
    from loket.services.messaging import mail, outbox

    if current_app.config["JOBS_INLINE"]:
        count = outbox.dispatch_due()
        click.echo(f"Geen REDIS_URL: taken lopen inline; {count} uitgaande berichten afgehandeld.")
        return

    def dispatch_waiting():
        # At the start and after each Redis outage: rows left pending, and jobs Redis lost, go onto the queues
        # first, then the worker runs them.
        click.echo(f"{outbox.dispatch_due()} uitgaande berichten in de wachtrij gezet.")

    names = [name.strip() for name in queues.split(",") if name.strip()]
    mail.prepare_for_workers()  # before the first job, not during it
    run_worker(names, burst=burst, on_connect=dispatch_waiting)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Eén ronde en stoppen.")
@click.option("--interval", default=10, show_default=True, type=click.IntRange(1, 60),
              help="Seconden tussen twee rondes (hoogstens 60: wat bleef liggen, gaat binnen een minuut uit).")
def scheduler_command(once, interval):
    """Start de planner: periodieke taken en uitgaande berichten, veilig bij herstarts, meerdere planners en
    een Redis die even weg is (elke ronde probeert het opnieuw)."""
    import time

    from loket.services import scheduler

    while True:
        try:
            started = scheduler.run_due()
        except Exception:  # a database or Redis hiccup must not end the scheduler; the next tick retries
            current_app.logger.exception("Planner-ronde mislukt")
            db.session.rollback()
            started = []
        if started:
            click.echo("Gestart: " + ", ".join(started))
        if once:
            return
        time.sleep(interval)
