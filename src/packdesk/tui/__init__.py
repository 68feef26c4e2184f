"""The packing station's Textual app: screens, widgets and styles. Talks to services only."""
