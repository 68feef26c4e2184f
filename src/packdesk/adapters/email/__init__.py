"""Email senders: SMTP and SendGrid."""
