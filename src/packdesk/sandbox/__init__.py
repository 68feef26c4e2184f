"""Local, faithful copies of Shopify, Shippo and email over loopback HTTP, for demo and tests."""
