"""gunicorn reads this file from the folder it starts in, whatever the command line says."""

from server.config import shared_limits_problem


def on_starting(server):
    """Refuse, before any worker starts, a set-up whose sign-in limits would not hold."""
    problem = shared_limits_problem(server.cfg.workers)
    if problem:
        raise SystemExit(f"SRO Field Log cannot start: {problem}")
