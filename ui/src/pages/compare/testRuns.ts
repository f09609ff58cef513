// Test fixtures: a Run as the REST API returns it.
import type { Run } from "../../api/types";

export function makeRun(id: string, params: Record<string, string>, metrics: Record<string, number | "NaN">): Run {
  return {
    info: { run_id: id, run_name: `run-${id}`, experiment_id: "1", status: "FINISHED", lifecycle_stage: "active", start_time: 1000 },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: 0 })),
    },
  };
}
