"""Command-line tools: flask --app wsgi COMMAND."""


def register(app) -> None:
    """Commands are added by server/commands/*."""
