"""Information governance: the data protection officer's audit search and reviews, break-glass
review, subject access, retention, and the administrator's pages."""
