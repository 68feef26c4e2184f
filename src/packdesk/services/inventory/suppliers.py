"""Suppliers and what they sell packdesk: names, e-mail, lead times, currency, and per SKU
the case pack, minimum order, unit cost and own lead time. Editable one by one from the CLI,
or loaded from a CSV file all at once (every row checked first; nothing half-stored)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.purchasing import (
    PurchasingError,
    Supplier,
    SupplierItem,
    check_item,
    check_supplier,
)
from packdesk.domain.models import Variant
from packdesk.domain.ports import Store
from packdesk.services.inventory.stock import StockService

CSV_COLUMNS = (
    "supplier",
    "email",
    "lead_time_days",
    "currency",
    "sku",
    "case_pack",
    "min_order",
    "unit_cost",
    "sku_lead_time_days",
)
"""The suppliers file: one row per SKU, its supplier's columns repeated on each."""


@dataclass(frozen=True)
class SupplierRow:
    line: int
    supplier: str
    email: str
    lead_time_days: int
    currency: str
    variant: Variant
    case_pack: int
    min_order: int
    unit_cost: Decimal
    sku_lead_time_days: int | None


class Suppliers:
    def __init__(self, store: Store, clock: Clock, stock: StockService) -> None:
        self.store = store
        self.clock = clock
        self.stock = stock

    def get(self, name: str) -> Supplier:
        found = self.store.purchasing.supplier(name)
        if found is None:
            known = ", ".join(s.name for s in self.store.purchasing.suppliers()) or "none yet"
            raise PurchasingError(
                f"No supplier {name!r} (known: {known}); add it with `packdesk suppliers add`."
            )
        return found

    def all(self) -> list[Supplier]:
        return self.store.purchasing.suppliers()

    def items(self, supplier: str | None = None) -> list[SupplierItem]:
        return self.store.purchasing.items(self.get(supplier).id if supplier else None)

    def variant(self, sku: str) -> Variant:
        """The variant with this SKU (any case), or the sentence that says there is none."""
        found = self.store.catalog.variant_for_code(sku)
        if found is None or found.sku.casefold() != sku.strip().casefold():
            raise PurchasingError(
                f"Unknown SKU {sku}: no Shopify variant has it; check the SKU, or sync the "
                "catalog (`packdesk sync --once`)."
            )
        return found

    def add(
        self, name: str, *, email: str = "", lead_time_days: int = 14, currency: str = "USD"
    ) -> Supplier:
        check_supplier(name, email, lead_time_days, currency)
        if self.store.purchasing.supplier(name) is not None:
            raise PurchasingError(
                f"Supplier {name} exists already; change it with `packdesk suppliers edit`."
            )
        return self.store.purchasing.save_supplier(
            name.strip(),
            email=email,
            lead_time_days=lead_time_days,
            currency=currency,
            at=self.clock.now(),
        )

    def edit(
        self,
        name: str,
        *,
        new_name: str | None = None,
        email: str | None = None,
        lead_time_days: int | None = None,
        currency: str | None = None,
    ) -> Supplier:
        s = self.get(name)
        wanted = {
            "name": new_name,
            "email": email,
            "lead_time_days": lead_time_days,
            "currency": currency,
        }
        changed = s.model_copy(update={k: v for k, v in wanted.items() if v is not None})
        check_supplier(changed.name, changed.email, changed.lead_time_days, changed.currency)
        saved = self.store.purchasing.save_supplier(
            changed.name,
            email=changed.email,
            lead_time_days=changed.lead_time_days,
            currency=changed.currency,
            at=self.clock.now(),
            supplier_id=s.id,
        )
        self.stock.invalidate()
        return saved

    def set_item(
        self,
        supplier: str,
        sku: str,
        *,
        case_pack: int = 1,
        min_order: int = 0,
        unit_cost: Decimal = Decimal("0"),
        lead_time_days: int | None = None,
    ) -> SupplierItem:
        s = self.get(supplier)
        check_item(sku, case_pack, min_order, unit_cost)
        if lead_time_days is not None and lead_time_days < 0:
            raise PurchasingError(f"{sku}: lead time {lead_time_days} is negative.")
        variant = self.variant(sku)
        item = SupplierItem(
            supplier_id=s.id,
            variant_id=variant.id,
            sku=variant.sku,
            case_pack=case_pack,
            min_order=min_order,
            unit_cost=unit_cost,
            lead_time_days=lead_time_days,
        )
        self.store.purchasing.set_item(item)
        self.stock.invalidate()
        return item

    def load_csv(self, data: bytes, name: str) -> tuple[int, int]:
        """Add or change the suppliers and items of a suppliers file; (suppliers, items).
        Every row is checked before anything is stored."""
        rows = self._rows(data, name)
        now = self.clock.now()
        seen: dict[str, Supplier] = {}
        with self.store.transaction():
            for r in rows:
                key = r.supplier.casefold()
                if key not in seen:
                    found = self.store.purchasing.supplier(r.supplier)
                    seen[key] = self.store.purchasing.save_supplier(
                        r.supplier,
                        email=r.email,
                        lead_time_days=r.lead_time_days,
                        currency=r.currency,
                        at=now,
                        supplier_id=found.id if found else None,
                    )
                self.store.purchasing.set_item(
                    SupplierItem(
                        supplier_id=seen[key].id,
                        variant_id=r.variant.id,
                        sku=r.variant.sku,
                        case_pack=r.case_pack,
                        min_order=r.min_order,
                        unit_cost=r.unit_cost,
                        lead_time_days=r.sku_lead_time_days,
                    )
                )
        self.stock.invalidate()
        return len(seen), len(rows)

    def _rows(self, data: bytes, name: str) -> list[SupplierRow]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PurchasingError(f"{name} is not UTF-8 text; save it as CSV UTF-8.") from exc
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise PurchasingError(
                f"{name}: the header lacks {', '.join(missing)}; it needs {','.join(CSV_COLUMNS)}."
            )
        rows: list[SupplierRow] = []
        for record in reader:
            line = reader.line_num
            try:
                rows.append(self._row(line, record))
            except PurchasingError as exc:
                raise PurchasingError(f"{name}, line {line}: {exc}") from exc
        return rows

    def _row(self, line: int, r: dict[str, str]) -> SupplierRow:
        try:
            cost = Decimal((r.get("unit_cost") or "0").strip() or "0")
        except InvalidOperation as exc:
            raise PurchasingError(f"unit_cost is {r.get('unit_cost')!r}, not a price.") from exc
        supplier = (r.get("supplier") or "").strip()
        email = (r.get("email") or "").strip()
        lead = _whole(r, "lead_time_days", 14)
        currency = (r.get("currency") or "USD").strip().upper()
        check_supplier(supplier, email, lead, currency)
        sku = (r.get("sku") or "").strip()
        pack = _whole(r, "case_pack", 1)
        minimum = _whole(r, "min_order", 0)
        check_item(sku, pack, minimum, cost)
        own = _optional(r, "sku_lead_time_days")
        if own is not None and own < 0:
            raise PurchasingError(f"{sku}: sku_lead_time_days {own} is negative.")
        return SupplierRow(
            line, supplier, email, lead, currency, self.variant(sku), pack, minimum, cost, own
        )


def _whole(r: dict[str, str], column: str, default: int) -> int:
    """A whole number cell; `default` when empty."""
    found = _optional(r, column)
    return default if found is None else found


def _optional(r: dict[str, str], column: str) -> int | None:
    """A whole number cell; None when empty."""
    value = (r.get(column) or "").strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        raise PurchasingError(f"{column} is {value!r}, not a whole number.")
    return int(value)
