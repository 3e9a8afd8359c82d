"""Investments, their payments, progress updates, reminders and closing."""
