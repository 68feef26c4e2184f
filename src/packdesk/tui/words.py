"""The sentences the station shows for the desk's typed answers. Services say what
happened; this module says it to the packer."""

from __future__ import annotations

from packdesk.domain.events import OrderStateChanged
from packdesk.domain.models import StationOrder
from packdesk.domain.scanning import StationNote
from packdesk.services.desk import Reprinted, SyncSummary, Voided


def reprinted(result: Reprinted) -> str:
    what = result.role.value.capitalize()
    return f"{what} sent to {result.printer} again ({', '.join(result.documents)})."


def voided(result: Voided) -> str:
    count = len(result.tracking_numbers)
    numbers = ", ".join(result.tracking_numbers) or "none"
    return (
        f"Voided {count} label{'s' if count != 1 else ''} ({numbers}); the order is "
        f"{result.state.value} again (F2 buys anew)."
    )


def synced(summary: SyncSummary) -> str:
    if summary.failed:
        return "Sync finished with errors: " + "; ".join(
            f"{r.resource}: {r.error}" for r in summary.failed
        )
    return "Synced " + ", ".join(f"{r.count} {r.resource}" for r in summary.results) + "."


def order_action_done(result: Reprinted | Voided | StationOrder | StationNote) -> str:
    if isinstance(result, Reprinted):
        return reprinted(result)
    if isinstance(result, Voided):
        return voided(result)
    if isinstance(result, StationNote):
        return "Note saved."
    return f"Order is now {result.state.value}."


def failed(action: str, error: Exception) -> str:
    """The error's own sentence (services say what to do), or what failed and where to look."""
    return str(error).strip() or f"{action} failed; see the log."


def open_failed(ref: str, error: Exception) -> str:
    """Why an order did not open: the refusal's sentence, or where to look."""
    if isinstance(error, ValueError | LookupError):
        return str(error)
    return f"Opening {ref} failed ({error}); see the log."


def stopped_elsewhere(event: OrderStateChanged) -> str:
    return (
        f"{event.order_name} was {event.to_state.value.lower().replace('_', ' ')} elsewhere "
        f"({event.reason or 'no reason given'}): stop packing it and put its items back."
    )
