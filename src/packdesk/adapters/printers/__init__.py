"""Printers by kind: zpl, escpos, cups, folder."""
