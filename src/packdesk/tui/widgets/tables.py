"""What the station's tables share."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

RENDERED_CELLS = 1_000
"""Rendered cells a table keeps: a screenful of the queue (40 rows x 7 columns) several
times over."""


def bound_render_cache(table: DataTable[Any]) -> None:
    """Keep a station table's memory flat over a working day.

    DataTable caches up to 10,000 rendered cells, and the cache key includes the table's
    update count, so each live update of the queue renders its visible cells anew until the
    cache is full: tens of megabytes on a station that stays open all day. Textual offers no
    setting for it; the cache's own `maxsize` is public.
    """
    table._cell_render_cache.maxsize = RENDERED_CELLS
