"""The statutory path to school attendance (Education Act 1996 ss.437 to 443): the informal
enquiry, the preliminary notice, the decision, the notice of intention, the school attendance
order and its revocation, each a dated step with its letter, deadline and approval."""
