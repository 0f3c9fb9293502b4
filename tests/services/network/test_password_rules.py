"""The rules a new password meets, each named in Dutch."""
import pytest

from loket.services.network.passwords import password_problem


@pytest.mark.parametrize("password, rule", [
    ("kort", "minstens 12 tekens"),
    ("x" * 201, "hooguit 200 tekens"),
    ("wachtwoord123", "te gangbaar"),
    ("Welkom 123456", "te gangbaar"),  # case and spaces do not make a common password rare
    ("ababababababab", "te gangbaar"),
    ("tab\there12345", "stuurtekens"),
    ("anoukverbeek1", "naam of e-mailadres"),
    ("anouk.v12345", "naam of e-mailadres"),
])
def test_a_weak_password_is_refused_with_its_rule(password, rule):
    assert rule in password_problem(password, email="anouk.v@example.nl", name="Anouk Verbeek")


@pytest.mark.parametrize("password", ["Paard-Staat-Lamp-9", "paarse fiets onder de brug", "ŝportclub-ĉampion"])
def test_a_good_password_passes(password):
    assert password_problem(password, email="anouk.v@example.nl", name="Anouk Verbeek") is None
