"""Driving pages in Chromium: logging in as a demo user, reading a mailed link, and the checks every page must
pass."""
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pyotp

from loket.services.network import two_factor
from loket.services.seed.demo_data import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET

CHROMIUM = os.environ.get("LOKET_CHROMIUM", "/usr/bin/chromium")
# No first-run work, no background traffic: this machine (and CI) has no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": 1280, "phone": 360}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Per demo user: the last time step whose code log_in typed (the app accepts each code once), and the cookies of
# that login, for when every code within the accepted drift was used by logins of the last half minute.
_LAST_STEP: dict[str, int] = {}
_COOKIES: dict[str, list] = {}


def log_in(page, who: str) -> None:
    """Log in through the real form as a demo user (`who` is the local part: club, ondersteuner, …); for the
    users with two-factor authentication (coördinatie, beheer, team leads) also with the code their app would
    show now (DEMO_TOTP_SECRET). When all codes the app accepts now were used by logins a moment ago, the
    browser gets the cookies of the newest of those logins, as a second tab of it would; if that login has
    ended, it waits for the next code."""
    while True:
        step = _free_step(who)
        if step is not None or who not in _COOKIES:
            break
        page.context.add_cookies(_COOKIES[who])
        page.goto("/account/")
        if "/inloggen" not in page.url:
            return
        page.context.clear_cookies()
        del _COOKIES[who]
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(f"{who}@{DEMO_DOMAIN}")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if urlsplit(page.url).path == "/inloggen/code":
        step = _free_step(who, wait=True)
        page.get_by_label("Code").fill(two_factor.code_at(DEMO_TOTP_SECRET, step))
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        _LAST_STEP[who] = step
        _COOKIES[who] = page.context.cookies()
    assert "/inloggen" not in page.url, f"login as {who} failed"


def enrol_when_asked(page) -> None:
    """A person whose role requires two-factor authentication (a team lead, the coördinatiepunt, beheer) and who
    has none is sent to the enrolment page: scan the code (read the secret shown beside it), type the app's code,
    and go on past the recovery codes, as a new lead does after accepting an invitation."""
    if urlsplit(page.url).path != "/account/tweestapsverificatie":
        return
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit je app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.wait_for_load_state()
    assert page.locator(".recovery-codes code").count() == 10, "enrolment failed"


def _free_step(who: str, *, wait: bool = False) -> int | None:
    """The earliest time step within the accepted drift whose code was not typed yet for `who`."""
    while True:
        free = two_factor.usable_steps(_LAST_STEP.get(who))
        if free or not wait:
            return free[0] if free else None
        time.sleep(two_factor.STEP_SECONDS - time.time() % two_factor.STEP_SECONDS + 0.05)


def mailed_path(open_page, template: str, to: str) -> str:
    """The site path of the link in the newest `template` mail to `to`, read in beheer's mail preview, which the
    browser harness has because it serves a development setup (MAIL_PREVIEW; production has no preview)."""
    page = open_page(as_user="beheer")
    page.goto("/beheer/uitgaand")
    row = page.locator("tbody tr").filter(has_text=template).filter(has_text=to).first
    row.get_by_role("link", name=re.compile("^Bekijk mail")).click()
    page.wait_for_load_state()
    links = re.findall(r"https?://\S+", page.locator("pre.mail-text").inner_text())
    assert len(links) == 1, links  # each mail holds the one link it is about
    page.context.close()
    return urlsplit(links[0]).path


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each (rule, impact, where)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result.response["violations"]]


def duplicate_ids(page) -> list[str]:
    """Ids that more than one element carries: a label (for=) or aria reference to one of them names the wrong
    control, and a fragment link jumps to the first. (axe-core no longer checks this.)"""
    return page.evaluate(r"""() => {
        const seen = {};
        for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def check_page(page, name: str, width: str) -> None:
    """What every page must be: one h1, Dutch, every id once, no axe violations, nothing
    that scrolls sideways on a phone.
    Saves a screenshot under test-output/screenshots/ for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{WIDTHS[width]}.png"), full_page=True)
    problems = []
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} h1 elements")
    if page.locator("html").get_attribute("lang") != "nl":
        problems.append("html lang is not nl")
    problems += [f"id {i!r} is on more than one element" for i in duplicate_ids(page)]
    problems += accessibility_violations(page)
    if width == "phone" and horizontal_overflow(page) > 0:
        problems.append(f"{horizontal_overflow(page)} px wider than the {WIDTHS[width]} px window")
    assert problems == [], f"{name} at {WIDTHS[width]} px ({page.url}): " + "; ".join(problems)


def file_request(page, *, category: str, title: str, sport: str | None = None, check: bool = True) -> str:
    """A club contact files a request from the start page; returns the reference on the confirmation (where the
    page stays). check=False skips the page checks, for a test that files many requests and checks them once."""
    page.goto("/")
    page.get_by_role("link", name="Nieuwe aanvraag").first.click()
    if check:
        check_page(page, "journey-nieuwe-aanvraag", "desktop")
    page.get_by_label("Waar gaat je vraag over?").select_option(label=category)
    if sport:
        page.get_by_label("Sport").select_option(label=sport)
    page.get_by_label("Korte titel").fill(title)
    page.get_by_label("Beschrijf je vraag").fill(f"{title}: wat kunnen jullie voor ons doen?")
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.wait_for_load_state()
    if check:
        check_page(page, "journey-ontvangen", "desktop")
    reference = page.locator("text=/LK-\\d{4}-\\d{6}/").first.inner_text()
    return reference


def assign_in_bulk(page, references, to: str, *, screenshot: str, width: str) -> None:
    """Tick the queue rows of `references`, choose "Toewijzen aan" `to` in the bulk form, check the page as it is
    about to be sent (`screenshot`), send it and wait for the queue to come back."""
    for reference in references:
        page.get_by_label(f"Kies {reference}").check()
    page.get_by_label("Met de gekozen aanvragen").select_option(label="Toewijzen aan")
    page.get_by_label("Aan wie toewijzen").select_option(label=to)
    check_page(page, screenshot, width)
    page.get_by_role("button", name="Uitvoeren").click()
    page.wait_for_load_state()
