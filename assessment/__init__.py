"""Eligibility, reviews and conflicts, scores, the panel summary and decisions."""
