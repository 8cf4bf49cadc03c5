"""Services about staff accounts: roles and their approvals, one-time credential links."""
