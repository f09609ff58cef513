// A confirmation dialog for destructive actions: runs the action, shows its error in place
// (the dialog stays open), and says "Working…" meanwhile. The caller closes it on success.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ErrorBanner } from "./common";
import { Modal } from "./Modal";

export function ConfirmDialog({ title, confirmLabel, busyLabel = "Working…", danger = true, testId = "confirm-action", onConfirm, onClose, children }: {
  title: string;
  confirmLabel: string;
  busyLabel?: string;
  danger?: boolean;
  /** data-testid of the confirm button. */
  testId?: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} footer={
      <>
        <button class="btn" type="button" onClick={onClose} disabled={busy}>Cancel</button>
        <button class={`btn ${danger ? "btn-danger-solid" : "btn-primary"}`} type="button" disabled={busy}
          data-testid={testId} onClick={confirm}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </>
    }>
      <div class="confirm-text">{children}</div>
      {error !== undefined && <ErrorBanner error={error} />}
    </Modal>
  );
}
