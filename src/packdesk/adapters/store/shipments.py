"""What shipping an order needs before its label: its packages, the carrier's word on its
address, and the rates quoted for each package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import dumps, loads, required_ts, ts
from packdesk.domain.models import Parcel, Rate
from packdesk.domain.shipping import AddressCheck

_PACKAGE = (
    "INSERT INTO packages (order_id, package_no, box, length_cm, width_cm, height_cm,"
    " weight_g, weight_overridden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


class SqlShipments:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- packages -----------------------------------------------------------------------

    def packages(self, order_id: str) -> list[Parcel]:
        return [
            _parcel(r)
            for r in self.db.query(
                "SELECT * FROM packages WHERE order_id = ? ORDER BY package_no", [order_id]
            )
        ]

    def package(self, order_id: str, package_no: int = 1) -> Parcel | None:
        row = self.db.one(
            "SELECT * FROM packages WHERE order_id = ? AND package_no = ?", [order_id, package_no]
        )
        return _parcel(row) if row else None

    def chosen_by_packer(self, order_id: str) -> bool:
        return bool(
            self.db.scalar(
                "SELECT count(*) FROM packages WHERE order_id = ? AND weight_overridden = 1",
                [order_id],
            )
        )

    def save_packages(self, order_id: str, parcels: Sequence[Parcel], *, overridden: bool) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM packages WHERE order_id = ?", [order_id])
            self.db.execute_many(
                _PACKAGE, [_package_values(order_id, p, overridden) for p in parcels]
            )
            self.db.execute(
                "DELETE FROM rates WHERE order_id = ? AND package_no > ?", [order_id, len(parcels)]
            )

    def save_package(self, order_id: str, parcel: Parcel, *, weight_overridden: bool) -> None:
        self.db.execute(
            _PACKAGE + " ON CONFLICT (order_id, package_no) DO UPDATE SET box = excluded.box,"
            " length_cm = excluded.length_cm, width_cm = excluded.width_cm,"
            " height_cm = excluded.height_cm, weight_g = excluded.weight_g,"
            " weight_overridden = excluded.weight_overridden",
            _package_values(order_id, parcel, weight_overridden),
        )

    # -- address checks -----------------------------------------------------------------

    def save_address_check(self, order_id: str, check: AddressCheck, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO address_checks (order_id, valid, messages, checked_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET"
            " valid = excluded.valid, messages = excluded.messages,"
            " checked_at = excluded.checked_at",
            [order_id, int(check.valid), dumps(list(check.messages)), ts(at)],
        )

    def address_check(self, order_id: str) -> AddressCheck | None:
        row = self.db.one("SELECT * FROM address_checks WHERE order_id = ?", [order_id])
        if row is None:
            return None
        return AddressCheck(valid=bool(row["valid"]), messages=tuple(loads(row["messages"])))

    # -- rates --------------------------------------------------------------------------

    def save_rates(
        self,
        order_id: str,
        package_no: int,
        rates: Sequence[Rate],
        chosen_id: str | None,
        reason: str,
    ) -> None:
        with self.db.transaction():
            self.db.execute(
                "DELETE FROM rates WHERE order_id = ? AND package_no = ?", [order_id, package_no]
            )
            self.db.execute_many(
                "INSERT INTO rates (id, order_id, package_no, shipment_id, carrier,"
                " service_token, service_name, amount, currency, estimated_days, attributes,"
                " fetched_at, chosen, reason, zone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id,"
                " package_no = excluded.package_no, shipment_id = excluded.shipment_id,"
                " carrier = excluded.carrier, service_token = excluded.service_token,"
                " service_name = excluded.service_name, amount = excluded.amount,"
                " currency = excluded.currency, estimated_days = excluded.estimated_days,"
                " attributes = excluded.attributes, fetched_at = excluded.fetched_at,"
                " chosen = excluded.chosen, reason = excluded.reason, zone = excluded.zone",
                [
                    (
                        r.id,
                        order_id,
                        package_no,
                        r.shipment_id,
                        r.carrier,
                        r.service_token,
                        r.service_name,
                        str(r.amount),
                        r.currency,
                        r.estimated_days,
                        dumps(list(r.attributes)),
                        ts(r.fetched_at),
                        int(r.id == chosen_id),
                        reason if r.id == chosen_id or chosen_id is None else "",
                        r.zone,
                    )
                    for r in rates
                ],
            )

    def rates(self, order_id: str, package_no: int) -> list[Rate]:
        return [
            _rate(r)
            for r in self.db.query(
                "SELECT * FROM rates WHERE order_id = ? AND package_no = ?"
                " ORDER BY CAST(amount AS REAL), id",
                [order_id, package_no],
            )
        ]

    def chosen_rate(self, order_id: str, package_no: int) -> tuple[Rate | None, str]:
        row = self.db.one(
            "SELECT * FROM rates WHERE order_id = ? AND package_no = ?"
            " ORDER BY chosen DESC, id LIMIT 1",
            [order_id, package_no],
        )
        if row is None:
            return None, ""
        return (_rate(row) if row["chosen"] else None), row["reason"]


def _package_values(order_id: str, p: Parcel, overridden: bool) -> list[object]:
    return [
        order_id,
        p.package_no,
        p.box,
        p.length_cm,
        p.width_cm,
        p.height_cm,
        p.weight_g,
        int(overridden),
    ]


def _parcel(row: Row) -> Parcel:
    return Parcel(
        package_no=row["package_no"],
        box=row["box"],
        length_cm=row["length_cm"],
        width_cm=row["width_cm"],
        height_cm=row["height_cm"],
        weight_g=row["weight_g"],
    )


def _rate(r: Row) -> Rate:
    return Rate(
        id=r["id"],
        shipment_id=r["shipment_id"],
        carrier=r["carrier"],
        service_token=r["service_token"],
        service_name=r["service_name"],
        amount=Decimal(r["amount"]),
        currency=r["currency"],
        estimated_days=r["estimated_days"],
        attributes=tuple(loads(r["attributes"]) or []),
        fetched_at=required_ts(r["fetched_at"]),
        zone=r["zone"],
    )
