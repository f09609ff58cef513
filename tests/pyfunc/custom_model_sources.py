"""Source code of the custom-model and loader modules the pyfunc tests import."""

#: Custom models importable by both mltrail and MLflow (the base class is whichever exists).
MODELS_SOURCE = '''
try:
    from mlflow.pyfunc import PythonModel
except ImportError:
    from mltrail.pyfunc import PythonModel


class Affine(PythonModel):
    """Multiplies by a factor read from the 'factor' artifact and adds the model_config offset."""

    def load_context(self, context):
        with open(context.artifacts["factor"]) as fh:
            self.factor = float(fh.read())
        self.offset = float((context.model_config or {}).get("offset", 0))
        folder = context.artifacts.get("folder")
        self.files = sorted(os.listdir(folder)) if folder else []

    def predict(self, context, model_input, params=None):
        scale = (params or {}).get("scale", 1.0)
        return model_input * self.factor * scale + self.offset


class Echo(PythonModel):
    """Returns what it receives, with the params, so tests can see the enforced input."""

    def predict(self, context, model_input, params=None):
        return {"input": model_input, "params": params}


class NoContext(PythonModel):
    def predict(self, model_input, params=None):
        return [len(model_input)]


import os
'''

#: A loader module for a model saved with loader_module= and data_path=.
LOADER_SOURCE = """
class _Model:
    def __init__(self, path, config):
        with open(path) as fh:
            self.words = fh.read().split()
        self.config = config

    def predict(self, data):
        return [self.words[int(i)] for i in data]


def _load_pyfunc(path, model_config=None):
    return _Model(path, model_config)
"""

MODELS_MODULE = "pyfunc_test_models"
LOADER_MODULE = "pyfunc_test_loader"
