"""flask --app wsgi COMMAND: administration and demo data (registered by server/cli.py)."""
