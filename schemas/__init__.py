"""Pydantic models: the single source of truth for every record zhengce produces.

Every record that reaches SQLite or an export is one of these models; the store and the
exporters derive their columns and keys from them, never from ad-hoc dicts.
"""
from schemas.version import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION"]
