"""The tracking quickstart: train an iris classifier and track it with mltrail.

This is MLflow tutorial code; only the import line differs. Run it with ``./dev start``.
"""

from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report
from sklearn.model_selection import train_test_split

import mltrail as mlflow

X, y = datasets.load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
params = {"solver": "lbfgs", "max_iter": 1000, "random_state": 8888}

mlflow.set_experiment("MLflow Quickstart")

with mlflow.start_run(run_name="iris-logreg") as run:
    mlflow.log_params(params)
    model = LogisticRegression(**params).fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    mlflow.log_metric("accuracy", accuracy)
    mlflow.set_tag("Training Info", "Basic LR model for iris data")

    # A small sweep over the regularisation strength, one nested run each.
    for c in (0.01, 0.1, 1.0):
        with mlflow.start_run(run_name=f"C={c}", nested=True):
            mlflow.log_param("C", c)
            child = LogisticRegression(C=c, max_iter=1000).fit(X_train, y_train)
            mlflow.log_metric("accuracy", accuracy_score(y_test, child.predict(X_test)))

    report = classification_report(y_test, model.predict(X_test))
    mlflow.log_text(report, "classification_report.txt")

runs = mlflow.search_runs(
    experiment_names=["MLflow Quickstart"], order_by=["metrics.accuracy DESC"]
)
columns = ["run_id", "tags.mlflow.runName", "metrics.accuracy", "params.C"]
print(runs[columns].to_string(index=False))
print()
print(f"Tracking data:  {mlflow.get_tracking_uri()}")
print(f"Run artifacts:  {run.info.artifact_uri}")
print(f"Parent run id:  {run.info.run_id}")
