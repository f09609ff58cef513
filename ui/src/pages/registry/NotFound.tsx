// "Not found" for an unknown model or version, with a way back; other errors as a banner.
import { ApiError } from "../../api/http";
import { EmptyState, ErrorBanner } from "../../components/common";
import { href } from "../../router";

export function LoadError({ error, what, back, backLabel, onRetry }: {
  error: unknown;
  what: string;
  back: string;
  backLabel: string;
  onRetry?: () => void;
}) {
  if (error instanceof ApiError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") {
    return (
      <div data-testid="not-found">
        <EmptyState title="Not found">
          {what} does not exist (it may have been renamed or deleted). <a href={href(back)}>{backLabel}</a>
        </EmptyState>
      </div>
    );
  }
  return (
    <div>
      <ErrorBanner error={error} onRetry={onRetry} />
      <p><a href={href(back)}>{backLabel}</a></p>
    </div>
  );
}
