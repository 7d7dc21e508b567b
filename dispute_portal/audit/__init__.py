"""The audit trail beyond one case (logins) and the check of every chain."""
