"""Shippo through the `shippo` SDK: addresses, rates, labels, refunds, tracking."""
