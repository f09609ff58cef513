// A confirmation dialog for destructive actions: shows the action's error, if any, in place.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ErrorBanner } from "../../components/common";
import { Modal } from "../../components/Modal";

export function ConfirmDialog({ title, confirmLabel, danger = true, onConfirm, onClose, children }: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
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
        <button class="btn" type="button" onClick={onClose}>Cancel</button>
        <button class={`btn ${danger ? "reg-btn-danger" : "btn-primary"}`} type="button" disabled={busy}
          data-testid="confirm-action" onClick={confirm}>
          {busy ? "Working…" : confirmLabel}
        </button>
      </>
    }>
      <div class="reg-confirm-text">{children}</div>
      {error !== undefined && <ErrorBanner error={error} />}
    </Modal>
  );
}
