"""`python -m packdesk` runs the `packdesk` command."""

from packdesk.cli import main

main(prog_name="packdesk")
