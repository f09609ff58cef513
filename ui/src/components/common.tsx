// Small building blocks every page uses: loading, error and empty states, page header.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api/http";

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.errorCode : undefined;
  return (
    <div class="state state-error" role="alert">
      <strong>{code === "RESOURCE_DOES_NOT_EXIST" ? "Not found" : "Something went wrong"}</strong>
      <pre class="error-message">{message}</pre>
      {onRetry && <button class="btn" onClick={onRetry}>Retry</button>}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <strong>{title}</strong>
      {children && <div class="muted">{children}</div>}
    </div>
  );
}

export function PageHeader({ title, subtitle, actions, crumbs }: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
  crumbs?: { label: string; href: string }[];
}) {
  return (
    <header class="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav class="crumbs" aria-label="Breadcrumb">
          {crumbs.map((c, i) => (
            <span key={c.href}>
              {i > 0 && <span class="crumb-sep" aria-hidden="true">/</span>}
              <a href={c.href}>{c.label}</a>
            </span>
          ))}
        </nav>
      )}
      <div class="page-header-row">
        <h1>{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {subtitle && <div class="page-subtitle muted">{subtitle}</div>}
    </header>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status.toLowerCase()}`}>{status}</span>;
}

/** Copy `text` to the clipboard (falls back silently where the API is missing). */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false); // no clipboard access (e.g. not a secure context): nothing to do
    }
  };
  return (
    <button class="btn btn-small btn-ghost" title={`Copy ${text}`} onClick={() => void copy()}>
      {copied ? "Copied" : label}
    </button>
  );
}
