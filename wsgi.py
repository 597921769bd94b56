"""gunicorn entry point: gunicorn wsgi:app"""

import sys

from server import create_app
from server.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # A start-up refusal is for the operator: one clear line, not a traceback.
    sys.exit(f"SRO Field Log cannot start: {error}")
