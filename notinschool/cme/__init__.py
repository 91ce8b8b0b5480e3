"""Children missing education: the case, its reasonable enquiries, escalation, the primary
reason and closure only for the reasons the guidance allows."""
