"""Customer email: Jinja2 templates, usage guides, and the SMTP and SendGrid senders."""
