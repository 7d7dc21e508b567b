"""The case account (issue 16): the ledger of every movement of money, double-entry."""
