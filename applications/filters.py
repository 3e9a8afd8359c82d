"""Filters (django-filter) for the officer's work queue and investments."""
