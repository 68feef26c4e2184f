"""Health: the last sync and error per resource, the outbox backlog, printers, webhooks."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from packdesk.domain.queue import HealthReport
from packdesk.tui.keys import bindings
from packdesk.tui.messages import StatusWanted
from packdesk.tui.screens.base import StationScreen
from packdesk.tui.widgets.key_footer import KeyFooter


class HealthScreen(StationScreen):
    BINDINGS = bindings("back")

    def compose(self) -> ComposeResult:
        yield Static("Health", classes="screen-title")
        with VerticalScroll():
            yield Static("[b u]Sync[/]")
            yield DataTable(id="health-sync", cursor_type="none")
            yield Static(id="health-body")
        yield self.status_bar()
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#health-sync", DataTable)
        table.add_columns("Resource", "Last good sync", "Rows", "Last error")
        if self.context.report is not None:
            self.show(self.context.report)
        self.post_message(StatusWanted())  # the App shows the fresh report here when it comes

    def show(self, report: HealthReport) -> None:
        now = self.desk.clock.now()
        table = self.query_one("#health-sync", DataTable)
        table.clear()
        for s in report.sync:
            ok = f"{s.last_success_at:%Y-%m-%d %H:%M:%S}" if s.last_success_at else "never"
            err = (
                f"{s.last_error} ({s.last_error_at:%H:%M})"
                if s.last_error and s.last_error_at
                else ""
            )
            table.add_row(s.resource, ok, str(s.last_count), err)
        if not report.sync:
            table.add_row("—", "never synced: press F9", "", "")
        lines = (
            ["\n[b u]Shopify[/]", f"[yellow]{escape(report.shopify_api_warning)}[/]"]
            if report.shopify_api_warning
            else []
        )
        lines += [
            "\n[b u]Outbox[/]",
            f"{report.outbox_pending} pending, {report.outbox_dead} stopped"
            + (
                f" — last error: {escape(report.outbox_last_error)}"
                if report.outbox_last_error
                else ""
            ),
            "\n[b u]Printers[/]",
        ]
        lines += [
            f"{escape(p.name)} ({p.kind}, {p.role}): {p.queued} queued, {p.failed} failed"
            + (f" — [red]{escape(p.last_error)}[/]" if p.last_error else "")
            for p in report.printers
        ] or ["[yellow]No printers configured: add [[printers]] to the config.[/]"]
        hooks = report.webhooks
        lines.append("\n[b u]Webhook receiver[/]")
        if hooks.enabled:
            last = f"{hooks.last_received_at:%Y-%m-%d %H:%M}" if hooks.last_received_at else "never"
            lines.append(
                f"listening on {escape(hooks.address)}; {hooks.received} received, "
                f"{hooks.pending} to process, last {last}"
                + (f" — [red]{escape(hooks.last_error)}[/]" if hooks.last_error else "")
            )
        else:
            lines.append("off ([webhooks].enabled = false); orders arrive by polling sync")
        lines.append(f"\nChecked {now:%Y-%m-%d %H:%M:%S} UTC")
        self.query_one("#health-body", Static).update("\n".join(lines))

    def action_back(self) -> None:
        self.app.pop_screen()
