"""Constituting the tribunal by party appointment: the parties nominate, the co-arbitrators
choose the presiding arbitrator, the Centre appoints in default."""
