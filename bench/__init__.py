"""Benchmarks of notinschool on PostgreSQL: `python -m bench [name ...]` (see README.md)."""
