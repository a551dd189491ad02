"""Services: the one choke point for permission checks and audit events."""
