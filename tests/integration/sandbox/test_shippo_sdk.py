"""The real `shippo` SDK (3.9) against the sandbox: the calls packdesk makes, end to end."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
import shippo
import zplkit
import zplkit.rendering
import zxingcpp
from PIL import Image
from shippo.models import components, operations

from packdesk.sandbox.server import SandboxInfo

from .helpers import AUSTIN, OAKLAND, TORONTO


def sdk_for(info: SandboxInfo, *, prefixed: bool = True) -> shippo.Shippo:
    token = f"ShippoToken {info.shippo_token}" if prefixed else info.shippo_token
    return shippo.Shippo(api_key_header=token, server_url=info.shippo_url)


def parcel() -> components.ParcelCreateRequest:
    return components.ParcelCreateRequest(
        length="20",
        width="15",
        height="10",
        distance_unit=components.DistanceUnitEnum.CM,
        weight="800",
        mass_unit=components.WeightUnitEnum.G,
    )


def make_shipment(sdk: shippo.Shippo) -> components.Shipment:
    return sdk.shipments.create(
        components.ShipmentCreateRequest(
            address_from=components.AddressCreateRequest(**OAKLAND),
            address_to=components.AddressCreateRequest(**AUSTIN),
            parcels=[parcel()],
            async_=False,
        )
    )


def buy(
    sdk: shippo.Shippo, rate_id: str, label: components.LabelFileTypeEnum
) -> components.Transaction:
    return sdk.transactions.create(
        components.TransactionCreateRequest(
            rate=rate_id, label_file_type=label, async_=False, metadata="Order #1001"
        )
    )


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_sdk_creates_and_validates_addresses(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    good = sdk.addresses.create(components.AddressCreateRequest(**AUSTIN, validate=True))
    assert good.validation_results is not None
    assert good.validation_results.is_valid is True
    assert sdk.addresses.validate(good.object_id).is_complete is True

    bad = sdk.addresses.create(
        components.AddressCreateRequest(**{**AUSTIN, "zip": "9021"}, validate=True)
    )
    assert bad.validation_results is not None
    assert bad.validation_results.is_valid is False
    messages = bad.validation_results.messages or []
    assert [m.code for m in messages] == ["Invalid Postal Code"]


def test_sdk_sends_the_shippotoken_prefix_itself_when_missing(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox, prefixed=False)
    assert sdk.addresses.create(components.AddressCreateRequest(**AUSTIN)).object_id


def test_sdk_shipment_has_rates_from_three_carriers(sandbox: SandboxInfo) -> None:
    shipment = make_shipment(sdk_for(sandbox))
    assert {rate.provider for rate in shipment.rates} == {"USPS", "UPS", "FedEx"}
    tokens = {rate.servicelevel.token for rate in shipment.rates}
    assert {"usps_priority", "usps_ground_advantage", "ups_ground", "fedex_2_day"} <= tokens
    marks = [a.value for rate in shipment.rates for a in rate.attributes]
    assert sorted(marks) == ["BESTVALUE", "CHEAPEST", "FASTEST"]
    cheapest = next(r for r in shipment.rates if components.Attributes.CHEAPEST in r.attributes)
    assert float(cheapest.amount or 0) == min(float(r.amount or 0) for r in shipment.rates)
    overnight = next(r for r in shipment.rates if r.servicelevel.token == "ups_next_day_air")
    ground = next(r for r in shipment.rates if r.servicelevel.token == "ups_ground")
    assert overnight.estimated_days == 1 < (ground.estimated_days or 0) + 1
    assert float(overnight.amount or 0) > float(ground.amount or 0)


def test_sdk_buys_a_zpl_label_whose_barcode_is_the_tracking_number(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    shipment = make_shipment(sdk)
    rate = next(r for r in shipment.rates if r.servicelevel.token == "usps_priority")
    transaction = buy(sdk, rate.object_id or "", components.LabelFileTypeEnum.ZPLII)
    assert transaction.status == components.TransactionStatusEnum.SUCCESS
    assert transaction.metadata == "Order #1001"
    number = transaction.tracking_number or ""
    assert len(number) == 22
    assert number.startswith("9400")

    zpl = httpx.get(transaction.label_url or "").content.decode()
    assert zpl.startswith("^XA")
    assert zpl.rstrip().endswith("^XZ")
    document = zplkit.render(
        zpl, zplkit.Options(dpi=203), limits=zplkit.rendering.Limits(graphic_bytes=10_000_000)
    )
    raster = document.labels[0].rasterize()
    image = Image.frombytes("L", (raster.width, raster.height), raster.pixels)
    assert decode(image) == [number]


@pytest.mark.parametrize("carrier", ["UPS", "FedEx"])
def test_tracking_numbers_follow_the_carrier_format(sandbox: SandboxInfo, carrier: str) -> None:
    sdk = sdk_for(sandbox)
    rate = next(r for r in make_shipment(sdk).rates if r.provider == carrier)
    number = buy(sdk, rate.object_id or "", components.LabelFileTypeEnum.PNG).tracking_number or ""
    if carrier == "UPS":
        assert number.startswith("1Z")
        assert len(number) == 18
    else:
        assert number.isdigit()
        assert len(number) == 12


def test_sdk_png_label_decodes_to_the_tracking_number(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    transaction = buy(
        sdk, make_shipment(sdk).rates[0].object_id or "", components.LabelFileTypeEnum.PNG
    )
    answer = httpx.get(transaction.label_url or "")
    assert answer.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(answer.content))
    assert image.size == (812, 1218)
    assert decode(image.convert("L")) == [transaction.tracking_number]


@pytest.mark.parametrize(("label", "points"), [("PDF_4x6", (288, 432)), ("PDF", (612, 792))])
def test_sdk_pdf_label_carries_the_tracking_number(
    sandbox: SandboxInfo, tmp_path: Path, label: str, points: tuple[int, int]
) -> None:
    sdk = sdk_for(sandbox)
    transaction = buy(
        sdk, make_shipment(sdk).rates[0].object_id or "", components.LabelFileTypeEnum(label)
    )
    content = httpx.get(transaction.label_url or "").content
    assert content.startswith(b"%PDF-")
    assert f"/MediaBox [ 0 0 {points[0]} {points[1]} ]".encode() in content
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; the PDF text is unchecked")
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"TRACKING # {transaction.tracking_number}" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "203", "-png", "-singlefile", str(pdf), str(tmp_path / "p")],
            check=True,
        )
        assert decode(Image.open(tmp_path / "p.png").convert("L")) == [transaction.tracking_number]


def test_sdk_lists_transactions_in_pages(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    shipment = make_shipment(sdk)
    bought = {
        buy(sdk, r.object_id or "", components.LabelFileTypeEnum.PDF_4X6).object_id
        for r in shipment.rates[:3]
    }
    first = sdk.transactions.list(operations.ListTransactionsRequest(page=1, results=2))
    assert first.results is not None
    assert len(first.results) == 2
    assert first.next is not None
    assert "page=2" in first.next
    assert first.previous is None
    seen = {t.object_id for t in first.results}
    second = sdk.transactions.list(operations.ListTransactionsRequest(page=2, results=2))
    assert second.previous is not None
    assert "page=1" in second.previous
    seen |= {t.object_id for t in second.results or []}
    assert len(seen) == 4
    newest = {t.object_id for t in first.results}
    assert newest <= bought


def test_sdk_refunds_a_transaction(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    transaction = buy(
        sdk, make_shipment(sdk).rates[0].object_id or "", components.LabelFileTypeEnum.ZPLII
    )
    refund = sdk.refunds.create(transaction=transaction.object_id or "", async_=False)
    assert refund.status == components.RefundStatus.SUCCESS
    assert refund.transaction == transaction.object_id
    assert (
        sdk.transactions.get(transaction.object_id or "").status
        == components.TransactionStatusEnum.REFUNDED
    )
    assert refund.object_id in {r.object_id for r in sdk.refunds.list().results or []}
    with pytest.raises(shippo.models.errors.SDKError):
        sdk.refunds.create(transaction=transaction.object_id or "", async_=False)


def test_sdk_tracks_a_bought_label(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    transaction = buy(
        sdk, make_shipment(sdk).rates[0].object_id or "", components.LabelFileTypeEnum.ZPLII
    )
    track = sdk.tracking_status.get(transaction.tracking_number or "", "usps")
    assert track.tracking_status is not None
    assert track.tracking_status.status == components.TrackingStatusEnum.PRE_TRANSIT


def test_sdk_ships_to_canada_with_a_customs_declaration(sandbox: SandboxInfo) -> None:
    sdk = sdk_for(sandbox)
    declaration = sdk.customs_declarations.create(
        components.CustomsDeclarationCreateRequest(
            certify=True,
            certify_signer="Sam Packer",
            contents_type=components.CustomsDeclarationContentsTypeEnum.MERCHANDISE,
            non_delivery_option=components.CustomsDeclarationNonDeliveryOptionEnum.RETURN,
            items=[
                components.CustomsItemCreateRequest(
                    description="Wooden puzzle",
                    mass_unit=components.WeightUnitEnum.G,
                    net_weight="700",
                    origin_country="US",
                    quantity=1,
                    value_amount="24.00",
                    value_currency="USD",
                )
            ],
        )
    )
    assert len(declaration.items) == 1
    shipment = sdk.shipments.create(
        components.ShipmentCreateRequest(
            address_from=components.AddressCreateRequest(**OAKLAND),
            address_to=components.AddressCreateRequest(**TORONTO),
            parcels=[parcel()],
            customs_declaration=declaration.object_id,
            async_=False,
        )
    )
    assert {rate.provider for rate in shipment.rates} == {"USPS", "UPS", "FedEx"}
    assert shipment.customs_declaration is not None
    transaction = buy(sdk, shipment.rates[0].object_id or "", components.LabelFileTypeEnum.PDF_4X6)
    assert transaction.status == components.TransactionStatusEnum.SUCCESS
