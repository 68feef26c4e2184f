"""packdesk: the packing station of a small Shopify merchant."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("packdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+local"
