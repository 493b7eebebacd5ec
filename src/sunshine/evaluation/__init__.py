"""Evaluation (评标/评审): the committee's session, reviews, scoring by the statutory methods, and the report."""
