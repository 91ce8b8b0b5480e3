"""Pages for families and young people without sign-in: information, online registration by a
parent, updates with a letter's one-time code, and the child's own views."""
