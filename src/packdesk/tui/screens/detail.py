"""Order detail: address, notes, audit history, labels and tracking, print jobs."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from packdesk.domain.queue import OrderDetail
from packdesk.tui.keys import bindings
from packdesk.tui.messages import DetailLoaded
from packdesk.tui.screens.base import StationContext, StationScreen
from packdesk.tui.widgets.key_footer import KeyFooter


def render_detail(d: OrderDetail) -> str:
    o = d.order
    a = o.shipping_address
    out = [
        f"[b]{o.name}[/]  {escape(o.customer.name)} <{escape(o.email)}>  ·  "
        f"[b]{d.state.value if d.state else 'not at the station'}[/]"
        + (f" — {escape(d.reason)}" if d.reason else "")
    ]
    out.append("\n[b u]Ship to[/]")
    if a:
        out += [escape(x) for x in (a.name, a.company, a.address1, a.address2) if x]
        out.append(escape(f"{a.city} {a.province_code} {a.zip} {a.country_code}".strip()))
    else:
        out.append("[red]No shipping address[/]")
    out.append(f"Service: {escape(o.shipping_title or '—')}")
    if d.rate:
        out.append(
            f"Rate: {escape(d.rate)}" + (f" — {escape(d.rate_reason)}" if d.rate_reason else "")
        )
    out.append("\n[b u]Items[/]")
    out += [f"{li.quantity} × {escape(li.title)} [dim]{escape(li.sku)}[/]" for li in o.line_items]
    out.append("\n[b u]Notes[/]")
    if o.note:
        out.append(f"Customer: {escape(o.note)}")
    out += [f"{n.at:%Y-%m-%d %H:%M} {escape(n.actor)}: {escape(n.text)}" for n in d.notes]
    if not o.note and not d.notes:
        out.append("[dim]none[/]")
    out.append("\n[b u]Labels and tracking[/]")
    out += [
        f"{p.key}  {p.state.value}  {escape(p.carrier)} {escape(p.service_name)}  "
        f"[b]{escape(p.tracking_number) or '—'}[/]"
        + (f"  [red]{escape(p.error)}[/]" if p.error else "")
        for p in d.labels
    ] or ["[dim]none yet[/]"]
    out.append("\n[b u]Print jobs[/]")
    out += [
        f"#{j.id} {j.role.value} → {escape(j.printer)}  {escape(j.document)}  {j.state.value}"
        + (f"  [red]{escape(j.last_error)}[/]" if j.last_error else "")
        for j in d.print_jobs
    ] or ["[dim]none yet[/]"]
    out.append("\n[b u]History[/]")
    out += [
        f"{e.at:%Y-%m-%d %H:%M}  {e.from_state.value if e.from_state else '—'} → "
        f"{e.to_state.value}  {escape(e.actor)}" + (f"  {escape(e.reason)}" if e.reason else "")
        for e in d.history
    ] or ["[dim]none[/]"]
    return "\n".join(out)


class DetailScreen(StationScreen):
    BINDINGS = bindings("reprint-label", "reprint-slip", "void-label", "hold", "note", "back")

    def __init__(self, context: StationContext, order_id: str) -> None:
        super().__init__(context)
        self.order_id = order_id

    def compose(self) -> ComposeResult:
        yield Static("Order detail", classes="screen-title")
        with VerticalScroll():
            yield Static(id="detail-body")
        yield self.status_bar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.order_changed()

    def current_order_id(self) -> str | None:
        return self.order_id

    def order_changed(self) -> None:
        self._load(self.order_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail-load")
    def _load(self, order_id: str) -> None:
        self.post_message(DetailLoaded(self.desk.order_detail(order_id)))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        self.query_one("#detail-body", Static).update(render_detail(message.detail))

    @on(Worker.StateChanged)
    def _load_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "detail-load" and event.state is WorkerState.ERROR:
            error = event.worker.error
            self.query_one("#detail-body", Static).update(f"[red]{escape(str(error))}[/]")

    def action_back(self) -> None:
        self.app.pop_screen()
