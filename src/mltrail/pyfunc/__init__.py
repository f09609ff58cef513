"""Python-function models: loading and predicting with MLflow pyfunc models."""
