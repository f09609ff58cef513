"""The JSON wire format of MLflow's REST protocol, shared by the server and the REST store."""
