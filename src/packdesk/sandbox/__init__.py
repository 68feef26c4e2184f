"""Local, faithful copies of Shopify, Shippo and email over loopback HTTP, for demo and tests.

One Starlette app on one port (`server.SandboxServer`), plus aiosmtpd on a second port:

- `/admin/api/{version}/graphql.json`: Shopify Admin GraphQL (`shopify/`).
- `/shippo/...`: Shippo REST 2024-06 (`shippo/`); `shippo_url` is the SDK's `server_url`.
  Auth `Authorization: ShippoToken <token>`; per-minute rate limits off unless set.
- `/sendgrid/v3/mail/send` and `/sendgrid/v3/scopes`: SendGrid v3 (`mail.py`); SMTP on
  `SandboxInfo.smtp`.
- `/amazon/...`: Amazon's SP-API for FBA stock (getInventorySummaries, the Reports API and
  its pre-signed documents) and Login with Amazon (`amazon/`), with Amazon's usage plans;
  `/control/amazon/...` sets stock and how the next reports end.
- `/control/...` (`control.py`): `GET|DELETE /control/mail`; `POST /control/sendgrid/keys
  {"scopes": [...]}` (a SendGrid key with just those scopes); `GET /control/time`,
  `POST /control/time/advance {"days": N}`; `GET|PUT|DELETE /control/faults`
  (`{"shippo.transactions": {"commit_then_drop_rate": 0.3}}`, `{"late_commit_ms": 5000}`;
  see `faults.py`); `GET /control/shippo/transactions`; `GET /control/shippo/api_versions`
  (the `SHIPPO-API-VERSION`s requests named, with counts); `GET|PUT|DELETE
  /control/shippo/rate_limits` (`{"test_mode": true}` = Shippo test mode's 50 POST, 10 list
  GET, 400 GET per minute); `GET|PUT /control/shippo/tracking {"test_mode": true}` (track as
  a test token does); `POST /control/shippo/tracking/{number} {"status": "DELIVERED"}` (move
  a label's parcel on now; no body: the next step); `/control/shopify/...` belongs to the
  Shopify part (shopify/control.py, shopify/control_admin.py).

Nothing made at run time repeats an id, order number or tracking number of an earlier run,
and every server can be put on a fixed port, so a written config survives a restart.

The sandbox imports none of packdesk's other packages (an import-linter contract).
"""
