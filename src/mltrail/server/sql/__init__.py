"""Tables the SQL tracking store does not manage yet, served by the tracking server:
logged models and run inputs/outputs (schema of migration 0002)."""
