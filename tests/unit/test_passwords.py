"""Password rules: length and a list of common passwords, no composition rules."""

import pytest

from server.domain.passwords import password_problems


@pytest.mark.parametrize("password", ["demo-pass-2026", "correct horse battery staple", "ábcdéfgh", "aaaaaaaaaaab"])
def test_long_uncommon_passwords_are_accepted_without_composition_rules(password):
    assert password_problems(password) == []


@pytest.mark.parametrize("password", ["", "short", "seven77"])
def test_fewer_than_eight_characters_is_refused(password):
    assert "at least 8" in " ".join(password_problems(password))


@pytest.mark.parametrize("password", ["password", "Password1", "12345678", "qwertyuiop", "ILOVEYOU"])
def test_common_passwords_are_refused_in_any_case(password):
    assert "common" in " ".join(password_problems(password))


def test_the_email_address_is_not_a_password():
    assert password_problems("jordan.ellis@pd.example", "jordan.ellis@pd.example")
    assert password_problems("jordan.ellis", "jordan.ellis@pd.example")


@pytest.mark.parametrize("password", ["trustno1", "1qaz2wsx", "starwars", "qwertyuiop", "Princess"])
def test_passwords_from_breach_lists_are_refused(password):
    assert password_problems(password) == ["Is a common or breached password; choose another."]
