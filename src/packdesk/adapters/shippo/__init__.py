"""Shippo adapter: the `Carrier` port on the official `shippo` SDK."""

from packdesk.adapters.shippo.carrier import ShippoCarrier

__all__ = ["ShippoCarrier"]
