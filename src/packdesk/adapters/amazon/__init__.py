"""Amazon FBA: the "Manage FBA Inventory" report parser, and the Selling Partner API client
(Login with Amazon, the FBA Inventory API, the Reports API)."""
