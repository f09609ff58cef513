// Load the compared runs: getRun for each id, a few at a time, keeping the URL's order.
// Ids that fail (unknown run, network) are reported with their error instead of aborting.
import { getRun } from "../../api/tracking";
import type { Run } from "../../api/types";

export interface LoadedRuns {
  runs: Run[];
  failures: { runId: string; error: Error }[];
}

export async function mapPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index]) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function loadRuns(runIds: readonly string[], signal?: AbortSignal): Promise<LoadedRuns> {
  const settled = await mapPool(runIds, 8, (id) => {
    if (signal?.aborted) return Promise.reject(new Error("aborted"));
    return getRun(id);
  });
  const runs: Run[] = [];
  const failures: LoadedRuns["failures"] = [];
  settled.forEach((result, index) => {
    if (result.status === "fulfilled") runs.push(result.value);
    else failures.push({
      runId: runIds[index],
      error: result.reason instanceof Error ? result.reason : new Error(String(result.reason)),
    });
  });
  return { runs, failures };
}
