"""Shopify Admin GraphQL client, operations and webhook verification."""
