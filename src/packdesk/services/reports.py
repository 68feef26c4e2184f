"""Reports on paper and by e-mail: a period's report written as files, the PDF sent to the
owner through the outbox, and the weekly report made on its own every Monday.

The e-mail is an outbox row of kind `report` holding the PDF, written once per key: a
weekly report's key names its week, so however many processes run the job, the owner gets
one e-mail a week.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from packdesk.domain.analytics.periods import Period
from packdesk.domain.analytics.report import Report, show
from packdesk.domain.clock import Clock
from packdesk.domain.models import NewOutboxItem, OutboxItem
from packdesk.domain.outbox import (
    Attachment,
    Delivery,
    DeliveryFailed,
    OutgoingEmail,
    message_id_for,
)
from packdesk.domain.ports import EmailSender, OutboxRepository
from packdesk.domain.ports.reports import ReportWriter
from packdesk.services.analytics import AnalyticsService

log = logging.getLogger(__name__)

REPORT_KIND = "report"
WEEKLY_FORMATS = ("pdf", "csv")


class ReportRefused(ValueError):
    """A report cannot be made or sent as asked; the message says what to change."""


@dataclass
class ReportPolicy:
    email_to: str = ""
    weekly: bool = False
    weekly_hour: int = 7
    folder: Path = Path("reports")


class ReportService:
    def __init__(
        self,
        analytics: AnalyticsService,
        writer: ReportWriter,
        outbox: OutboxRepository,
        clock: Clock,
        policy: ReportPolicy,
    ) -> None:
        self.analytics = analytics
        self.writer = writer
        self.outbox = outbox
        self.clock = clock
        self.policy = policy

    def write(self, period: Period, folder: Path, formats: Sequence[str]) -> list[Path]:
        """Write the period's report into `folder`; returns the files."""
        return self.writer.write(self.analytics.report(period), folder, formats)

    def email(self, period: Period, to: str = "", *, key: str = "") -> str:
        """Queue the period's PDF for the owner (`to`, else [reports].email_to); returns the
        address. A `key` makes the e-mail once per key (the weekly report's week)."""
        address = (to or self.policy.email_to).strip()
        if "@" not in address:
            raise ReportRefused(
                "No address to send the report to: set [reports].email_to to the owner's "
                "e-mail address (or pass --email-to ADDRESS)."
            )
        report = self.analytics.report(period)
        now = self.clock.now()
        item = NewOutboxItem(
            kind=REPORT_KIND,
            dedupe_key=key or f"report:{period.first}:{period.last}:{address}:{now.isoformat()}",
            payload={
                "to": address,
                "subject": f"{report.title}",
                "text": summary_text(report),
                "filename": f"packdesk-report-{period.first}-{period.last}.pdf",
                "pdf": base64.b64encode(self.writer.pdf(report)).decode("ascii"),
            },
        )
        self.outbox.add([item], now)
        return address

    def last_week(self) -> Period:
        """Monday to Sunday of the week before this one (the shop's calendar)."""
        today = self.analytics.today()
        monday = today - timedelta(days=today.weekday())
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), self.analytics.zone)

    def run_weekly(self) -> list[Path]:
        """The weekly job: from [reports].weekly_hour on Monday (or any later day of the week,
        after a day off) make last week's report once, and e-mail it once."""
        if not self.policy.weekly:
            return []
        now = self.clock.now().astimezone(self.analytics.zone)
        if now.weekday() == 0 and now.hour < self.policy.weekly_hour:
            return []
        period = self.last_week()
        year, week, _ = period.first.isocalendar()
        label = f"{year}-W{week:02d}"
        folder = self.policy.folder / label
        written: list[Path] = []
        if not (folder / "report.pdf").exists():
            written = self.write(period, folder, WEEKLY_FORMATS)
            log.info("weekly report %s written to %s", label, folder)
        if self.policy.email_to:
            self.email(period, key=f"report:weekly:{label}:{self.policy.email_to}")
        return written


def summary_text(report: Report) -> str:
    """The headline figures as plain text, the body of the e-mail."""
    lines = [report.title, ""]
    for section in report.sections:
        lines.append(section.title)
        lines += [
            f"  {f.label}: {show(f.value, f.unit, report.currency)}" for f in section.figures[:6]
        ]
        lines.append("")
    lines.append("The PDF attached has every figure, chart and table.")
    return "\n".join(lines)


@dataclass
class ReportMailer:
    """The outbox's handler of `report` rows: the PDF to the owner through the e-mail
    sender ([email].sender)."""

    sender: EmailSender
    from_address: str
    shop_name: str

    def __call__(self, item: OutboxItem) -> Delivery:
        p = item.payload
        to = str(p.get("to") or "")
        pdf = str(p.get("pdf") or "")
        if "@" not in to or not pdf:
            raise DeliveryFailed(
                "This report e-mail has no address or no PDF; make it again with "
                "`packdesk report --email`.",
                permanent=True,
            )
        text = str(p.get("text") or "")
        self.sender.send(
            OutgoingEmail(
                key=item.dedupe_key,
                message_id=message_id_for(item.dedupe_key, self.from_address),
                from_address=self.from_address,
                from_name=self.shop_name,
                to=to,
                subject=str(p.get("subject") or "packdesk report"),
                text=text,
                html="<pre>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</pre>",
                attachments=(
                    Attachment(
                        filename=str(p.get("filename") or "report.pdf"),
                        data=base64.b64decode(pdf),
                    ),
                ),
            )
        )
        return Delivery(note=f"sent to {to}")
