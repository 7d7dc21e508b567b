"""The end of an arbitration beyond the award's text: the costs (the parties' statements and
their allocation), the award of a three-member tribunal (a draft, the members' approvals, their
opinions), counterclaims, and a grace period for a party in default."""
