from server.clock import utcnow  # the models' timestamps come from the app's one clock

__all__ = ["utcnow"]
