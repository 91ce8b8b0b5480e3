"""Records management: what a family may ask for and how long the authority keeps it: the
subject access export with its redaction review, retention schedules and the job that applies
them, legal holds, and the do-not-disclose address."""
