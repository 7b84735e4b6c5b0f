"""The chapter's duty role (bureau.roles.register_role in setup.py)."""

# The comprehensive section's dispatcher (VEH-1): a duty the administrator grants.
DISPATCHER = "vehicle_dispatcher"
