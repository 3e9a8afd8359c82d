"""Community groups, their members and invitations."""
