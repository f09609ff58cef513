// Run a write (set a tag, move an alias...) from a component: `busy` while it runs, its
// error kept for display, `onDone` (e.g. reload the owner) after a success.
import { useState } from "preact/hooks";

export interface Action {
  busy: boolean;
  error: unknown;
  /** Runs `action`; true when it succeeded. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}

export function useAction(onDone: () => void): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      onDone();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
