"""The one place settings are read from the environment.

Production has no default secrets: `require` raises when a variable is missing.
"""

import os


class MissingSetting(RuntimeError):
    pass


def get(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def require(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise MissingSetting(f"the environment variable {name} must be set")
    return value


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def integer(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default
