"""Services: turn rows into core objects and back, flush, never commit (the view does)."""
