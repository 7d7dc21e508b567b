"""Two-factor authentication: TOTP codes from an authenticator app, and recovery codes."""
