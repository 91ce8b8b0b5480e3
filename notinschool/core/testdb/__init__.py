"""PostgreSQL for the test suite: Django's own backend, but a flush that empties only the
tables holding rows (see base.py). Named in config/settings/test.py, never in production."""
