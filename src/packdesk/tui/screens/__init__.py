"""The packing station's screens, one module each."""
