"""Deterministic example data, executed both here and in the real MLflow's interpreter.

Plain numpy/pandas only (no mltrail, no mlflow), so the same source builds identical values
in both processes.
"""

import datetime

import numpy as np
import pandas as pd


def signature_inputs() -> dict:
    """name -> value given to ``infer_signature`` as model input."""
    rng = np.random.default_rng(7)
    return {
        "f64_2d": rng.normal(size=(5, 3)),
        "f32_3d": rng.normal(size=(2, 3, 4)).astype(np.float32),
        "i64_1d": np.arange(5),
        "i32_2d": np.arange(6, dtype=np.int32).reshape(3, 2),
        "u8_4d": np.zeros((2, 2, 2, 3), dtype=np.uint8),
        "bool_1d": np.array([True, False]),
        "str_1d": np.array(["a", "bcd"]),
        "bytes_1d": np.array([b"a", b"bc"]),
        "object_1d": np.array([1, "a"], dtype=object),
        "dict_of_arrays": {"a": np.zeros((2, 3)), "b": np.arange(3, dtype=np.int32)},
        "df_mixed": pd.DataFrame(
            {
                "i": [1, 2, 3],
                "f": [1.0, None, 3.5],
                "s": ["a", None, "c"],
                "b": [True, False, True],
                "f32": np.array([1, 2, 3], np.float32),
                "i32": np.array([1, 2, 3], np.int32),
                "i16": np.array([1, 2, 3], np.int16),
                "u32": np.array([1, 2, 3], np.uint32),
                "dt": pd.to_datetime(["2020-01-01", "2021-06-01", "2022-12-31"]),
                "nat": pd.to_datetime(["2020-01-01", None, "2020-01-03"]),
                "by": [b"a", b"b", b"c"],
                "none": [None, None, None],
                "lst": [[1, 2], [3], []],
                "lst_str": [["a"], ["b", "c"], ["d"]],
                "obj": [{"x": 1, "y": "a"}, {"x": 2}, {"x": 3, "y": "c"}],
                "int_with_nan": [1, None, 3],
                "sdt": pd.Series(["a", "b", "c"], dtype="string"),
            }
        ),
        "df_int_labels": pd.DataFrame([[1, 2], [3, 4]]),
        "df_dates": pd.DataFrame({"d": [datetime.date(2020, 1, 1), datetime.date(2020, 1, 2)]}),
        "series_named": pd.Series([1.0, 2.0], name="y"),
        "series_unnamed": pd.Series([1, 2]),
        "list_str": ["a", "b"],
        "list_int": [1, 2, 3],
        "list_float_none": [1.0, None],
        "list_of_lists": [[1, 2], [3, 4]],
        "list_of_dicts": [{"a": 1, "b": "x"}, {"a": 2}, {"a": 3, "b": None}],
        "dict_scalars": {"a": None, "b": 1, "c": 2.5, "d": "s", "e": True},
        "dict_lists": {"a": [1, 2], "b": ["x", "y"], "c": {"k": 1.5, "m": [1]}},
        "chat": {"messages": [{"role": "user", "content": "hi"}], "temperature": 0.5},
        "str": "hello",
        "int": 5,
        "float": 1.5,
        "bytes": b"x",
        "bool": True,
        "datetime": datetime.datetime(2020, 1, 1, 12, 30),
        "empty_list": [],
        "mixed_list": [1, "a"],
        "uint64_df": pd.DataFrame({"a": np.array([1], np.uint64)}),
    }


def signature_outputs() -> dict:
    """name -> (input, output) pairs."""
    return {
        "array_out": (np.zeros((3, 2)), np.zeros(3)),
        "df_out": (pd.DataFrame({"x": [1.0]}), pd.Series([0, 1], name="label")),
        "list_out": (["q"], ["answer"]),
    }


def signature_params() -> dict:
    """name -> params dict given to ``infer_signature``."""
    return {
        "scalars": {"alpha": 0.1, "n": 3, "on": True, "s": "x"},
        "numpy_scalars": {"f32": np.float32(1.5), "i32": np.int32(2), "i64": np.int64(7)},
        "lists": {"flags": ["a", "b"], "weights": [1.0, 2.0], "ids": [1, 2, 3]},
        "datetime": {"when": datetime.datetime(2020, 1, 1, 8, 0)},
        "object": {"cfg": {"x": 1, "y": "z"}},
    }


def input_examples() -> dict:
    """name -> input example given to the model-saving code."""
    return {
        "df": pd.DataFrame({"a": [1, None], "s": ["x", "y"]}),
        "df_range": pd.DataFrame([[1, 2], [3, 4]]),
        "df_types": pd.DataFrame(
            {
                "i": [1, 2],
                "b": [b"ab", b"c"],
                "dt": pd.to_datetime(["2020-01-01 00:00:00", "2021-01-01 10:00:00"]),
                "bool": [True, False],
                "l": [[1, 2], [3]],
                "f32": np.array([1.5, 2.25], np.float32),
            },
            index=[5, 6],
        ),
        "ndarray_nan": np.array([[1.0, np.nan]]),
        "ndarray_int": np.arange(6).reshape(2, 3),
        "ndarray_str": np.array(["abc", "d"]),
        "ndarray_bytes": np.array([b"abc"]),
        "dict_of_arrays": {"a": np.array([1.0, 2.0]), "b": np.array([[1, 2]])},
        "list": [1, 2, 3],
        "list_of_dicts": [{"a": 1}, {"a": 2}],
        "dict": {"a": 1, "b": [1, 2], "c": "x"},
        "chat": {"messages": [{"role": "user", "content": "hi"}]},
        "scalar": "hello",
        "df_with_params": (pd.DataFrame({"a": [1.0]}), {"p": 1, "q": [1, 2]}),
        "ndarray_with_params": (np.array([1, 2]), {"p": "x"}),
    }


def sparse_examples() -> dict:
    from scipy import sparse

    dense = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, 0.0]])
    return {"csr": sparse.csr_matrix(dense), "csc": sparse.csc_matrix(dense)}


def _cols(*specs: tuple) -> str:
    import json

    entries = []
    for spec in specs:
        entry = {"type": spec[0]}
        if len(spec) > 1:
            entry["name"] = spec[1]
        entry["required"] = spec[2] if len(spec) > 2 else True
        entries.append(entry)
    return json.dumps(entries)


def _tensor(dtype: str, shape: list, name: str = None) -> str:  # noqa: RUF013
    import json

    entry = {"type": "tensor", "tensor-spec": {"dtype": dtype, "shape": shape}}
    return json.dumps([entry if name is None else {"name": name, **entry}])


def enforcement_cases() -> dict:
    """name -> (data, schema JSON) given to schema enforcement."""
    return {
        "extra_and_order": (
            pd.DataFrame({"b": [1.0], "a": [2.0], "z": [1]}),
            _cols(("double", "a"), ("double", "b")),
        ),
        "missing": (pd.DataFrame({"a": [1.0]}), _cols(("double", "a"), ("double", "b"))),
        "optional_absent": (
            pd.DataFrame({"a": [1.0]}),
            _cols(("double", "a"), ("double", "b", False)),
        ),
        "i8_long": (pd.DataFrame({"a": np.array([1], np.int8)}), _cols(("long", "a"))),
        "i32_long": (pd.DataFrame({"a": np.array([1], np.int32)}), _cols(("long", "a"))),
        "i32_double": (pd.DataFrame({"a": np.array([1, 7], np.int32)}), _cols(("double", "a"))),
        "i32_float": (pd.DataFrame({"a": np.array([1, 7], np.int32)}), _cols(("float", "a"))),
        "i64_double": (pd.DataFrame({"a": [1, 7]}), _cols(("double", "a"))),
        "i64_double_01": (pd.DataFrame({"a": [1, 0]}), _cols(("double", "a"))),
        "i64_float_01": (pd.DataFrame({"a": [1, 0]}), _cols(("float", "a"))),
        "i64_integer": (pd.DataFrame({"a": [1]}), _cols(("integer", "a"))),
        "u8_integer": (pd.DataFrame({"a": np.array([1], np.uint8)}), _cols(("integer", "a"))),
        "u32_long": (pd.DataFrame({"a": np.array([1], np.uint32)}), _cols(("long", "a"))),
        "u32_integer": (pd.DataFrame({"a": np.array([1], np.uint32)}), _cols(("integer", "a"))),
        "u64_long": (pd.DataFrame({"a": np.array([1], np.uint64)}), _cols(("long", "a"))),
        "f32_double": (pd.DataFrame({"a": np.array([1.5], np.float32)}), _cols(("double", "a"))),
        "f64_float": (pd.DataFrame({"a": [1.5]}), _cols(("float", "a"))),
        "f64_long": (pd.DataFrame({"a": [1.0]}), _cols(("long", "a"))),
        "f64_nan_long": (pd.DataFrame({"a": [1.0, None]}), _cols(("long", "a"))),
        "bool_long": (pd.DataFrame({"a": [True]}), _cols(("long", "a"))),
        "bool_bool": (pd.DataFrame({"a": [True]}), _cols(("boolean", "a"))),
        "objbool_bool": (pd.DataFrame({"a": [True, None]}), _cols(("boolean", "a"))),
        "int_string": (pd.DataFrame({"a": [1]}), _cols(("string", "a"))),
        "str_string": (pd.DataFrame({"a": ["x", None]}), _cols(("string", "a"))),
        "str_double": (pd.DataFrame({"a": ["x"]}), _cols(("double", "a"))),
        "str_datetime": (pd.DataFrame({"a": ["2020-01-01"]}), _cols(("datetime", "a"))),
        "dts_datetime": (
            pd.DataFrame({"a": np.array(["2020-01-01"], "datetime64[s]")}),
            _cols(("datetime", "a")),
        ),
        "date_datetime": (
            pd.DataFrame({"a": [datetime.date(2020, 1, 1)]}),
            _cols(("datetime", "a")),
        ),
        "objint_long": (pd.DataFrame({"a": pd.Series([1, 2], dtype=object)}), _cols(("long", "a"))),
        "bytes_binary": (pd.DataFrame({"a": [b"x"]}), _cols(("binary", "a"))),
        "series": (pd.Series([1.0], name="a"), _cols(("double", "a"))),
        "scalar": (1.5, _cols(("double",))),
        "dict_row": ({"a": 1.0, "b": "x"}, _cols(("double", "a"), ("string", "b"))),
        "dict_columns": (
            {"a": [1.0, 2.0], "b": [3.0, 4.0]},
            _cols(("double", "a"), ("double", "b")),
        ),
        "list_of_dicts": ([{"a": 1.0}, {"a": 2.0}], _cols(("double", "a"))),
        "list_named": ([[1.0]], _cols(("double", "x"))),
        "list_unnamed": ([[1.0, 2.0, 3.0]], _cols(("double",), ("double",))),
        "list_unnamed_short": ([[1.0]], _cols(("double",), ("double",))),
        "set": ({1, 2}, _cols(("double",))),
        "t_dtype": (np.zeros((2, 4)), _tensor("float32", [-1, 4])),
        "t_shape": (np.zeros((2, 3), np.float32), _tensor("float32", [-1, 4])),
        "t_ok": (np.zeros((2, 4), np.float32), _tensor("float32", [-1, 4])),
        "t_int_to_float": (np.zeros((2, 4), np.int64), _tensor("float64", [-1, 4])),
        "t_df2": (pd.DataFrame({"a": [1.0], "b": [2.0]}), _tensor("float64", [-1, 2])),
        "t_df1": (pd.DataFrame({"a": [1, 2]}), _tensor("float64", [-1])),
        "t_df1_col": (pd.DataFrame({"a": [1, 2]}), _tensor("float64", [-1, 1])),
        "t_df_lists": (pd.DataFrame({"v": [[1.0, 2.0], [3.0, 4.0]]}), _tensor("float64", [-1, 2])),
        "t_list": ([1.0], _tensor("float64", [-1])),
        "t_str": (np.array(["ab", "c"]), _tensor("str", [-1])),
        "t_named_bare": (np.zeros(2), _tensor("float64", [-1], "x")),
        "t_named_dict": ({"x": np.zeros(2)}, _tensor("float64", [-1], "x")),
        "t_named_df": (pd.DataFrame({"x": [1.0, 2.0]}), _tensor("float64", [-1], "x")),
    }


def read_back_cases() -> dict:
    """name -> input example saved, then read back with and without its inferred schema."""
    return {
        "df_types": pd.DataFrame(
            {
                "i": [1, 2],
                "b": [b"ab", b"c"],
                "dt": pd.to_datetime(["2020-01-01 00:00:00", "2021-01-01 10:00:00"]),
                "bool": [True, False],
                "l": [[1, 2], [3]],
                "f32": np.array([1.5, 2.25], np.float32),
                "s": ["x", None],
            }
        ),
        "df_int_nan": pd.DataFrame({"a": [1, None]}),
        "np_f32": np.array([[1.5, 2]], np.float32),
        "np_dict": {"a": np.array([1, 2], np.int32)},
        "np_str": np.array(["ab"]),
        "json_list": [{"a": 1}],
    }


def describe(value) -> object:
    """A JSON-able description of loaded example data: dtypes and values."""
    if isinstance(value, pd.DataFrame):
        rows = [[describe(v) for v in row] for row in value.values.tolist()]
        return {"dtypes": [str(d) for d in value.dtypes], "rows": rows}
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "values": value.tolist()}
    if isinstance(value, dict):
        return {k: describe(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return "bytes:" + value.hex()
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, pd.Timestamp):
        return "ts:" + value.isoformat()
    return value
