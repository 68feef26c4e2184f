"""The warehouse's own words: orders, items, labels, stock, and the rules between them.

Nothing here does I/O or imports a framework beyond pydantic; services and adapters depend on
this package, never the other way round.
"""
