"""The administrator's pages: people and their roles (invite, change, deactivate, reset two
factors), agencies and teams with the postcode districts they cover, the authority's area, and
the settings in force. No casework: an administrator sees no child."""
