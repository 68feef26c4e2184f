"""The `escpos` printer: receipt printers and ESC/POS raster label printers through
python-escpos (network, USB, serial or a file). ESC/POS jobs (slips) go out as they are;
PNG labels are scaled to the profile's width and sent as a raster image."""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any

from escpos.exceptions import Error as EscposError
from escpos.printer import Dummy, File, Network
from PIL import Image, UnidentifiedImageError

from packdesk.adapters.printers.common import (
    WAITS,
    Target,
    check_tcp,
    does_not_answer,
)
from packdesk.adapters.printers.quiet import quiet_escpos
from packdesk.adapters.printers.slip_escpos import (
    DEFAULT_PROFILE,
    ESCPOS_TYPE,
    fit_image,
    profile_width_px,
)
from packdesk.domain.ports import PrinterUnavailable, PrintRefused


class EscposPrinter:
    kind = "escpos"

    def __init__(self, name: str, target: str, options: dict[str, str] | None = None) -> None:
        self.name = name
        self.target = Target.parse(target)
        if self.target.scheme not in ("tcp", "usb", "serial", "file"):
            raise ValueError(
                f"Printer {name}: an escpos printer's target is tcp://HOST:9100, usb://VID:PID,"
                f" serial:///dev/DEVICE or a file path, not {target!r}."
            )
        options = dict(options or {})
        self.profile = options.get("profile", DEFAULT_PROFILE)
        self.width_px = int(options["width_px"]) if options.get("width_px") else None
        self.baudrate = int(options.get("baudrate", "9600"))

    def describe_target(self) -> str:
        t = self.target
        if t.scheme == "tcp":
            return f"tcp://{t.host}:{t.port}"
        if t.scheme in ("usb", "serial"):
            return f"{t.scheme}://{t.path}"
        return t.path

    def render(self, document: str, content_type: str, data: bytes) -> bytes:
        """The ESC/POS bytes that print this job."""
        if content_type == ESCPOS_TYPE:
            return data
        if content_type == "image/png":
            try:
                image = Image.open(io.BytesIO(data))
                image.load()
            except (UnidentifiedImageError, OSError) as exc:
                raise PrintRefused(f"{document} is not a readable PNG ({exc}).") from exc
            with quiet_escpos():
                p = Dummy(profile=self.profile)
                width = self.width_px or profile_width_px(p)
                p.hw("INIT")
                p.image(fit_image(image, width))
                p.cut()
                return bytes(p.output)
        raise PrintRefused(
            f"Printer {self.name} (ESC/POS) cannot print {document} ({content_type}): "
            "it takes PNG labels and ESC/POS slips; set its role or kind to match, e.g. "
            'kind = "cups" for PDF labels.'
        )

    def send(self, document: str, content_type: str, data: bytes) -> None:
        payload = self.render(document, content_type, data)
        with quiet_escpos():
            device = self._open()
            try:
                device._raw(payload)
            except OSError as exc:
                raise does_not_answer(self.name, self.describe_target(), exc) from exc
            finally:
                with contextlib.suppress(OSError, EscposError):
                    device.close()

    def _open(self) -> Any:
        t = self.target
        where = self.describe_target()
        try:
            device: Any
            if t.scheme == "tcp":
                device = Network(host=t.host, port=t.port, timeout=5, profile=self.profile)
            elif t.scheme == "file":
                if not os.path.exists(os.path.dirname(os.path.abspath(t.path))):
                    raise FileNotFoundError(t.path)
                device = File(devfile=t.path, profile=self.profile)
            elif t.scheme == "usb":
                from escpos.printer import Usb

                if not Usb.is_usable():
                    raise self._missing("pyusb", "usb")
                vendor, _, product = t.path.partition(":")
                device = Usb(
                    idVendor=int(vendor, 16), idProduct=int(product, 16), profile=self.profile
                )
            else:
                from escpos.printer import Serial

                if not Serial.is_usable():
                    raise self._missing("pyserial", "serial")
                device = Serial(devfile=t.path, baudrate=self.baudrate, profile=self.profile)
            device.open()
            return device
        except PrinterUnavailable:
            raise
        except (EscposError, OSError, ValueError, ImportError, RuntimeError) as exc:
            cause = exc.__context__ if isinstance(exc, EscposError) and exc.__context__ else exc
            if isinstance(cause, OSError):
                raise does_not_answer(self.name, where, cause) from exc
            raise PrinterUnavailable(
                f"Printer {self.name} at {where} cannot be opened ({cause}): check that it is"
                f" plugged in and switched on; {WAITS}"
            ) from exc

    def _missing(self, library: str, extra: str) -> PrinterUnavailable:
        return PrinterUnavailable(
            f"Printer {self.name} at {self.describe_target()} needs the {library} library:"
            f" install it (pip install 'python-escpos[{extra}]'); {WAITS}"
        )

    def check(self) -> str:
        t = self.target
        if t.scheme == "tcp":
            return check_tcp(self.name, t.host, t.port)
        if t.scheme in ("file", "serial"):
            folder = os.path.dirname(os.path.abspath(t.path))
            if os.path.exists(t.path) or (t.scheme == "file" and os.access(folder, os.W_OK)):
                return ""
            return f"Printer {self.name}: {t.path} is not there; check that it is plugged in."
        return self._check_usb()

    def _check_usb(self) -> str:
        from escpos.printer import Usb

        if not Usb.is_usable():
            return str(self._missing("pyusb", "usb")).replace(f"; {WAITS}", ".")
        import usb.core  # type: ignore[import-not-found,unused-ignore]  # optional (pyusb)

        vendor, _, product = self.target.path.partition(":")
        try:
            found = usb.core.find(idVendor=int(vendor, 16), idProduct=int(product, 16))
        except (ValueError, usb.core.USBError) as exc:
            return f"Printer {self.name}: USB cannot be searched ({exc})."
        if found is None:
            return f"Printer {self.name}: no USB device {self.target.path} is plugged in."
        return ""
