"""Sign-in, sign-out, invitations and password resets."""

from .routes import bp

__all__ = ["bp"]
