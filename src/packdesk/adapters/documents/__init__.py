"""Documents packdesk writes for people outside the station: purchase orders (PDF, CSV)."""
