"""Reusable widgets of the packing station."""
