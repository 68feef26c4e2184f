"""Concrete ports: SQLite, Shopify, Shippo, printers, email. Only bootstrap wires them."""
