"""The supervisor-review API: reports, the log browser and administration (issue 6)."""

from server.api import admin, records, reports


def register(api) -> None:
    for module in (reports, records, admin):
        api.register_blueprint(module.blp)
