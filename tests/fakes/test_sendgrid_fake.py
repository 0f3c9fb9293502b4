"""The fake SendGrid itself: it must reject what SendGrid rejects, or the mail tests prove nothing."""
import json
import time
import urllib.error
import urllib.request

import pytest
from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from tests.fakes.sendgrid import HANG, Delay, sendgrid_fake  # noqa: F401  (fixture)

VALID = {"personalizations": [{"to": [{"email": "anna@uboys.example"}]}],
         "from": {"email": "noreply@loket.example", "name": "Loket"},
         "subject": "Onderwerp", "content": [{"type": "text/plain", "value": "Hallo"}]}


def _post(fake, body, key="test-key", timeout=5):
    client = SendGridAPIClient(key, host=fake.url)
    client.client.timeout = timeout
    return client.client.mail.send.post(request_body=body)


def test_valid_body_is_accepted_and_recorded(sendgrid_fake):
    response = _post(sendgrid_fake, VALID)
    assert response.status_code == 202
    [call] = sendgrid_fake.calls
    assert call.status == 202 and call.schema_errors == [] and call.to == ["anna@uboys.example"]
    assert call.headers["Authorization"] == "Bearer test-key"


@pytest.mark.parametrize("broken", [
    {**VALID, "personalizations": []},
    {key: value for key, value in VALID.items() if key != "from"},
    {**VALID, "personalizations": [{"to": [{"name": "no address"}]}]},
    {**VALID, "content": [{"type": "text/plain"}]},
])
def test_invalid_body_is_answered_400_and_its_errors_kept(sendgrid_fake, broken):
    with pytest.raises(HTTPError) as error:
        _post(sendgrid_fake, broken)
    assert error.value.status_code == 400
    assert sendgrid_fake.schema_errors
    assert sendgrid_fake.calls[0].status == 400


def test_wrong_key_is_answered_401(sendgrid_fake):
    with pytest.raises(HTTPError) as error:
        _post(sendgrid_fake, VALID, key="wrong")
    assert error.value.status_code == 401


def test_script_sets_the_next_answers_then_202(sendgrid_fake):
    sendgrid_fake.script(500, 429)
    statuses = []
    for _ in range(3):
        try:
            statuses.append(_post(sendgrid_fake, VALID).status_code)
        except HTTPError as error:
            statuses.append(error.status_code)
    assert statuses == [500, 429, 202]
    assert [call.status for call in sendgrid_fake.calls] == [500, 429, 202]
    assert len(sendgrid_fake.accepted) == 1


@pytest.mark.parametrize("answer", [HANG, Delay(3, 202)])
def test_a_client_that_gives_up_is_not_counted_as_accepted(sendgrid_fake, answer):
    sendgrid_fake.script(answer)
    started = time.monotonic()
    with pytest.raises(OSError):  # socket timeout (TimeoutError or URLError)
        _post(sendgrid_fake, VALID, timeout=0.3)
    assert time.monotonic() - started < 2
    time.sleep(3.2 if isinstance(answer, Delay) else 0)
    assert sendgrid_fake.calls[0].status is None and sendgrid_fake.accepted == []


def test_only_the_mail_send_path_exists(sendgrid_fake):
    request = urllib.request.Request(f"{sendgrid_fake.url}/v3/other", data=json.dumps(VALID).encode(),
                                     headers={"Authorization": "Bearer test-key"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 404
