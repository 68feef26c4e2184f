"""Prometheus metrics: the exporter (prometheus-client) and the timed carrier."""

from packdesk.adapters.metrics.carrier import MeteredCarrier
from packdesk.adapters.metrics.exporter import StationMetrics

__all__ = ["MeteredCarrier", "StationMetrics"]
