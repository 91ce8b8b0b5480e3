"""Moves between authorities: the handover of a child's record to the receiving authority
(a PDF and a structured file), its acknowledgement, and a handover file imported as a move in."""
