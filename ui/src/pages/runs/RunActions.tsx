// Delete or restore the selected runs, after a confirmation dialog.
import { deleteRun, restoreRun } from "../../api/tracking";
import type { TableRun } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";

export type RunAction = "delete" | "restore";

const PARALLEL = 8;

/** Run `work` on every item, at most PARALLEL at a time; the first error is thrown at the end. */
export async function forEachLimited<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown = undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

export function ConfirmRunAction({ action, runs, onClose, onDone }: {
  action: RunAction;
  runs: TableRun[];
  onClose: () => void;
  onDone: () => void;
}) {
  const verb = action === "delete" ? "Delete" : "Restore";
  const noun = runs.length === 1 ? "run" : "runs";
  const confirm = async () => {
    await forEachLimited(runs, (run) => (action === "delete" ? deleteRun(run.run_id) : restoreRun(run.run_id)));
    onDone();
  };
  return (
    <ConfirmDialog title={`${verb} ${runs.length} ${noun}?`} confirmLabel={`${verb} ${runs.length} ${noun}`}
      busyLabel={`${verb.replace(/e$/, "")}ing…`} danger={action === "delete"} testId="confirm-run-action"
      onConfirm={confirm} onClose={onClose}>
      <p>
        {action === "delete"
          ? "Deleted runs move to the Deleted view, where they can be restored until the server's garbage collection removes them."
          : "Restored runs return to the Active view."}
      </p>
      <ul class="confirm-list">
        {runs.slice(0, 8).map((run) => <li key={run.run_id}><span>{run.run_name || run.run_id}</span> <span class="mono muted">{run.run_id.slice(0, 8)}</span></li>)}
        {runs.length > 8 && <li class="muted">and {runs.length - 8} more</li>}
      </ul>
    </ConfirmDialog>
  );
}
