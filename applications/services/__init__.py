"""Every change to an application goes through these functions.

Each validates, saves in one transaction and raises ``kit.errors.RuleError`` with
messages the group can act on.
"""
