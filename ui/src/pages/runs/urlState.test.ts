import { describe, expect, it } from "vitest";
import {
  DEFAULT_SORT, decodeColumns, decodeState, encodeColumns, encodeState, parseIdList, type RunsViewState,
} from "./urlState";

function roundTrip(state: RunsViewState): RunsViewState {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(encodeState(state))) if (value !== undefined) query.set(key, value);
  // Through the hash text too, as the router reads it back.
  return decodeState(new URLSearchParams(query.toString()));
}

describe("runs URL state", () => {
  it("omits defaults entirely", () => {
    const state = decodeState(new URLSearchParams(""));
    expect(state).toEqual({ filter: "", view: "active", sort: DEFAULT_SORT, columns: null });
    expect(Object.values(encodeState(state)).every((v) => v === undefined)).toBe(true);
  });

  it("round-trips a full view with awkward keys", () => {
    const state: RunsViewState = {
      filter: "metrics.f1 > 0.8 and params.optimizer = 'adam' and tags.`a,b` = \"x&y\"",
      view: "all",
      sort: { entity: "metrics", key: "val loss/epoch:1", ascending: true },
      columns: [
        { type: "metrics", key: "val loss/epoch:1" },
        { type: "params", key: "a,b" },
        { type: "tags", key: "100%" },
        { type: "tags", key: "mlflow.source.name" },
      ],
    };
    expect(roundTrip(state)).toEqual(state);
  });

  it("keeps an explicit empty column choice apart from the default", () => {
    expect(encodeColumns([])).toBe("none");
    expect(decodeColumns("none")).toEqual([]);
    expect(decodeColumns(null)).toBeNull();
    expect(roundTrip({ filter: "", view: "deleted", sort: DEFAULT_SORT, columns: [] }).columns).toEqual([]);
  });

  it("ignores unknown column types and duplicates", () => {
    expect(decodeColumns("metrics.f1,bogus.x,params.lr,metrics.f1,tags.")).toEqual([
      { type: "metrics", key: "f1" }, { type: "params", key: "lr" },
    ]);
  });

  it("descending default sort on another key and ascending start_time", () => {
    const desc = roundTrip({ filter: "", view: "active", sort: { entity: "attributes", key: "run_name", ascending: false }, columns: null });
    expect(desc.sort).toEqual({ entity: "attributes", key: "run_name", ascending: false });
    const asc = roundTrip({ filter: "", view: "active", sort: { ...DEFAULT_SORT, ascending: true }, columns: null });
    expect(asc.sort).toEqual({ ...DEFAULT_SORT, ascending: true });
    expect(encodeState({ filter: "", view: "active", sort: { ...DEFAULT_SORT, ascending: true }, columns: null }).sort).toBeUndefined();
  });

  it("falls back on garbage", () => {
    const state = decodeState(new URLSearchParams("view=weird&sort=nonsense&dir=up"));
    expect(state.view).toBe("active");
    expect(state.sort).toEqual(DEFAULT_SORT);
  });

  it("parses experiment id lists", () => {
    expect(parseIdList("1, 2,,3,2")).toEqual(["1", "2", "3"]);
    expect(parseIdList(null)).toEqual([]);
  });
});
