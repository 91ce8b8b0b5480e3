"""Working together: multi-agency plans, professionals-only meetings, drift, and the health
partnership."""
