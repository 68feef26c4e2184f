"""Use cases of the station: packing, labels, sync, outbox, inventory, comms, analytics."""
