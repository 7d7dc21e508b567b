"""Ending a proceeding without an award (discontinuance) and mediation as the parties choose."""
