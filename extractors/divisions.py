"""The one place that loads jionlp: its administrative-division table, quietly and once.

jionlp prints a banner on import and unpacks its dictionaries on first use; both happen here,
behind caches, so extractors never pay for it twice and never print.
"""
from __future__ import annotations

import contextlib
import io
from functools import lru_cache


@lru_cache(maxsize=1)
def jionlp_module():
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp
    return jionlp


@lru_cache(maxsize=1)
def location_table() -> dict:
    """jionlp's nested province → prefecture → county dictionary (with `_alias` entries)."""
    jio = jionlp_module()
    with contextlib.redirect_stdout(io.StringIO()):
        return jio.china_location_loader()
