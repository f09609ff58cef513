"""Model registry stores: the abstract protocol, the SQL store and the REST store."""
