"""Two-factor authentication clicked through in Chromium: a person turns it on from the account page (the secret
read off the page, the code computed as their app would), logs out, logs in with a code, and turns it off again
with the password and a recovery code. The enrolment, recovery-code and code pages pass check_page."""
import time

import pyotp

from tests.support.browser import check_page, log_in

WHO = "adviseur"  # a demo user whose role does not require it, so the test can turn it off again


def test_enrol_log_out_and_log_in_with_a_code(open_page, width):
    page = open_page(width=width, as_user=WHO)
    page.goto("/account/")
    page.get_by_role("link", name="Tweestapsverificatie aanzetten").click()
    page.wait_for_load_state()
    assert page.locator("svg.qr-code").count() == 1  # rendered here, no image service
    check_page(page, "tweestapsverificatie-aanzetten", width)
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code uit je app").fill(totp.now())
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.wait_for_load_state()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    check_page(page, "herstelcodes", width)

    page.goto("/account/")
    page.get_by_role("button", name="Uitloggen", exact=True).click()  # "Hier uitloggen" on the account page
    page.wait_for_load_state()
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(f"{WHO}@demo.loket.nl")
    page.get_by_label("Wachtwoord").fill("loket-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert page.url.endswith("/inloggen/code")
    check_page(page, "inloggen-code", width)
    page.get_by_label("Code").fill(totp.at(time.time() + 30))  # the code that turned it on was used already
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/inloggen" not in page.url

    page.goto("/account/tweestapsverificatie")
    page.get_by_label("Je wachtwoord").fill("loket-demo-2026")
    page.get_by_label("Code uit je app of een herstelcode").fill(codes[0])
    page.get_by_role("button", name="Tweestapsverificatie uitzetten").click()
    page.wait_for_load_state()
    assert "Tweestapsverificatie staat uit" in page.content()
    page.context.clear_cookies()
    log_in(page, WHO)  # the password alone again
