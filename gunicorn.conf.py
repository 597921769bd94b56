"""gunicorn reads this file from the folder it starts in, whatever the command line says."""

import gc

from server.config import shared_limits_problem


def on_starting(server):
    """Refuse, before any worker starts, a set-up whose sign-in limits would not hold."""
    problem = shared_limits_problem(server.cfg.workers)
    if problem:
        raise SystemExit(f"SRO Field Log cannot start: {problem}")


def post_worker_init(worker):
    """Once the worker has loaded the app, move everything it holds (modules, the app, compiled
    schemas and statements) out of the garbage collector's sight: they live as long as the
    worker, and the collector otherwise walks them all again whenever a request allocates a lot
    (a push or pull of hundreds of records spent a fifth of its CPU in it)."""
    gc.collect()
    gc.freeze()
