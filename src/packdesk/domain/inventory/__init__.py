"""Inventory across the CA and PA warehouses and Amazon FBA, as pure rules and values.

- `stock`: quantities per location and the status a SKU has there (OK, LOW, OUT, OVERSTOCK);
- `fba`: what Amazon reports of FBA stock, and a refused report;
- `demand`: sales velocity and its variability over a window, leaving out days out of stock;
- `reorder`: reorder points and suggested quantities, with every input kept;
- `alerts`: low-stock alerts that fire once per crossing, and snoozes;
- `purchasing`: suppliers, purchase orders and the moves a purchase order may make;
- `receiving` and `counting`: scans at the station while receiving a PO or counting a shelf.
"""
