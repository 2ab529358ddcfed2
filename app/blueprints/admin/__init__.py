"""Administration: users, countries and reporting cycles (administrators only)."""

from .routes import bp

__all__ = ["bp"]
