"""The ground floor every app builds on: form fields and forms, words, downloads, upload checks,
the ``Permission`` every access rule returns, and small helpers for views. It imports no app."""
