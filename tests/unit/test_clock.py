"""server/clock.py, the server's one clock, and SRO_FROZEN_NOW, the setting that pins it."""

from datetime import date, datetime, timedelta, timezone

import pytest

from server import clock, create_app
from server.config import ConfigError

PINNED = "2026-11-30T10:00:00-06:00"
PINNED_UTC = datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)


@pytest.fixture
def environment(monkeypatch, tmp_path):
    for name in ("SRO_ENV", "SECRET_KEY", "SRO_FROZEN_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'clock.sqlite'}")
    return monkeypatch


def test_production_refuses_to_start_with_a_pinned_clock(environment):
    environment.setenv("SRO_ENV", "production")
    environment.setenv("SECRET_KEY", "4f0c2a9e7b1d3f5a8c6e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a")
    environment.setenv("SRO_FROZEN_NOW", PINNED)
    with pytest.raises(ConfigError, match="SRO_FROZEN_NOW"):
        create_app()


@pytest.mark.parametrize("environment_name", ["development", "testing"])
def test_development_and_testing_pin_the_clock_from_the_environment(environment, environment_name):
    environment.setenv("SRO_ENV", environment_name)
    environment.setenv("SRO_FROZEN_NOW", PINNED)
    app = create_app()
    with app.app_context():
        assert PINNED_UTC <= clock.now() < PINNED_UTC + timedelta(minutes=1)
        assert clock.today() == date(2026, 11, 30)
        assert clock.utcnow().tzinfo is None


@pytest.mark.parametrize("value", ["2026-11-30T10:00:00", "30/11/2026", "tomorrow"])
def test_a_pinned_moment_needs_a_date_a_time_and_an_offset(environment, value):
    environment.setenv("SRO_ENV", "development")
    environment.setenv("SRO_FROZEN_NOW", value)
    with pytest.raises(ConfigError, match="offset"):
        create_app()


def test_unpinned_and_outside_an_app_the_clock_is_the_real_time(app):
    before = datetime.now(timezone.utc)
    with app.app_context():
        inside = clock.now()
    assert before <= inside <= clock.now() <= datetime.now(timezone.utc)


@pytest.mark.frozen_now(PINNED)
def test_a_pinned_clock_runs_on_from_the_moment_and_restarts_at_a_new_one(app):
    with app.app_context():
        first = clock.now()
        assert PINNED_UTC <= first <= clock.now() < PINNED_UTC + timedelta(minutes=1)
        app.config["FROZEN_NOW"] = datetime(2028, 2, 29, 9, 0, tzinfo=timezone.utc)
        assert clock.today() == date(2028, 2, 29)


WEEK_AGO = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)


@pytest.mark.frozen_now(PINNED)
def test_as_of_pins_now_for_a_block_only(app):
    """The demo seeder's seam: inside the block "now" is the moment (running on); after it, the
    app's clock again."""
    with app.app_context():
        with clock.as_of(WEEK_AGO):
            assert WEEK_AGO <= clock.now() < WEEK_AGO + timedelta(minutes=1)
            assert clock.today() == date(2026, 11, 23)
        assert PINNED_UTC <= clock.now() < PINNED_UTC + timedelta(minutes=1)


@pytest.mark.frozen_now(PINNED)
def test_as_of_is_never_honoured_while_handling_a_request(app):
    """Refused inside a request; and a request handled inside a block (the test client runs it in
    the same thread) still answers at the app's time."""
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError, match="request"):
            with clock.as_of(WEEK_AGO):
                pass
    with app.app_context(), clock.as_of(WEEK_AGO):
        with app.test_request_context("/"):
            assert PINNED_UTC <= clock.now() < PINNED_UTC + timedelta(minutes=1)


def test_as_of_needs_an_aware_moment(app):
    with app.app_context(), pytest.raises(ValueError, match="aware"):
        with clock.as_of(datetime(2026, 11, 23, 17, 0)):
            pass
