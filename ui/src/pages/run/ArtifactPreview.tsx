// The preview of one artifact file: picks a preview by file type, fetches at most
// PREVIEW_MAX_BYTES and says when the file was cut, or offers the download only.
import { fetchText } from "../../api/http";
import { EmptyState, ErrorBanner, Spinner } from "../../components/common";
import { formatBytes } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { looksBinary, PREVIEW_MAX_BYTES, previewKind, UNKNOWN_TEXT_MAX_BYTES, type PreviewKind } from "./fileTypes";
import { MLmodelPreview } from "./MLmodelPreview";
import { CsvPreview, ImagePreview, JsonPreview, TextPreview, YamlPreview } from "./previews";

function NoPreview({ why, url, name }: { why: string; url?: string; name: string }) {
  return (
    <div data-testid="artifact-no-preview">
      <EmptyState title="No preview">
        {why}{" "}
        {url && <a href={url} download={name}>Download {name}</a>}
      </EmptyState>
    </div>
  );
}

function TextBased({ kind, url, name, size, runId }: { kind: PreviewKind; url: string; name: string; size?: number; runId: string }) {
  const state = useAsync((signal) => fetchText(url, PREVIEW_MAX_BYTES, signal), [url]);
  if (state.loading) return <Spinner label={`Loading ${name}…`} />;
  if (state.error || !state.data) return <ErrorBanner error={state.error} onRetry={state.reload} />;
  const { text, truncated } = state.data;
  if (kind === "unknown" && looksBinary(text)) {
    return <NoPreview why="This file does not look like text." url={url} name={name} />;
  }
  const note = truncated && (
    <div class="preview-note" data-testid="preview-truncated">
      Showing the first {formatBytes(PREVIEW_MAX_BYTES)}{size ? ` of ${formatBytes(size)}` : ""}.{" "}
      <a href={url} download={name}>Download the file</a> to see all of it.
    </div>
  );
  let body;
  if (kind === "json") body = <JsonPreview text={text} truncated={truncated} />;
  else if (kind === "yaml") body = <YamlPreview text={text} />;
  else if (kind === "csv" || kind === "tsv") body = <CsvPreview text={text} truncated={truncated} delimiter={kind === "tsv" ? "\t" : ","} />;
  else if (kind === "mlmodel") body = <MLmodelPreview text={text} runId={runId} />;
  else if (text === "") body = <div class="muted preview-note">The file is empty.</div>;
  else body = <TextPreview text={text} />;
  return <>{note}{body}</>;
}

export function ArtifactPreview({ url, path, size, runId }: { url: string | undefined; path: string; size?: number; runId: string }) {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const kind = previewKind(path);
  if (!url) {
    return <NoPreview why="The server does not serve this model's files (they are stored outside its artifact proxy)." name={name} />;
  }
  if (kind === "image") return <ImagePreview url={url} name={name} />;
  if (kind === "binary") return <NoPreview why="This is a binary file." url={url} name={name} />;
  if (kind === "unknown" && size !== undefined && size > UNKNOWN_TEXT_MAX_BYTES) {
    return <NoPreview why={`Files of this type are previewed up to ${formatBytes(UNKNOWN_TEXT_MAX_BYTES)}.`} url={url} name={name} />;
  }
  return <TextBased key={url} kind={kind} url={url} name={name} size={size} runId={runId} />;
}
