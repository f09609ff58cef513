// The MLmodel file as a model card: flavors, environment facts and the signature tables.
import { useMemo } from "preact/hooks";
import { formatBytes } from "../../lib/format";
import { SignatureTables } from "../../components/SignatureTables";
import { summarizeMLmodel } from "../../lib/mlmodel";
import { YamlPreview } from "./previews";

export function MLmodelPreview({ text, runId }: { text: string; runId: string }) {
  const parsed = useMemo(() => {
    try {
      return { summary: summarizeMLmodel(text) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [text]);
  if (!parsed.summary) {
    return (
      <>
        <div class="preview-note">Could not read this MLmodel file ({parsed.error}); shown as text.</div>
        <YamlPreview text={text} />
      </>
    );
  }
  const s = parsed.summary;
  return (
    <div class="mlmodel" data-testid="mlmodel-preview">
      <dl class="facts">
        <dt>Flavors</dt>
        <dd data-testid="mlmodel-flavors">
          {s.flavors.length === 0 ? <span class="muted">none</span>
            : s.flavors.map((f) => <span key={f.name} class="badge flavor">{f.name}</span>)}
        </dd>
        {s.pythonVersion && <><dt>Python</dt><dd>{s.pythonVersion}</dd></>}
        {s.modelSizeBytes !== undefined && <><dt>Model size</dt><dd>{formatBytes(s.modelSizeBytes)}</dd></>}
        {s.mlflowVersion && <><dt>MLflow version</dt><dd>{s.mlflowVersion}</dd></>}
        {s.utcTimeCreated && <><dt>Created</dt><dd>{s.utcTimeCreated} UTC</dd></>}
        {s.runId && (
          <><dt>Run ID</dt><dd class="mono">{s.runId}{s.runId === runId ? <span class="muted"> (this run)</span> : null}</dd></>
        )}
        {s.modelId && <><dt>Model ID</dt><dd class="mono">{s.modelId}</dd></>}
        {s.inputExamplePath && <><dt>Input example</dt><dd class="mono">{s.inputExamplePath}</dd></>}
      </dl>

      <h3 class="section-title">Signature</h3>
      {s.signature ? <SignatureTables signature={s.signature} />
        : <div class="muted">This model has no signature.</div>}

      {s.flavors.some((f) => f.settings.length > 0) && (
        <>
          <h3 class="section-title">Flavor settings</h3>
          <div class="flavor-grid">
            {s.flavors.map((f) => (
              <table key={f.name} class="kv-table flavor-table">
                <thead><tr><th colSpan={2}>{f.name}</th></tr></thead>
                <tbody>
                  {f.settings.map((kv) => <tr key={kv.key}><td class="mono">{kv.key}</td><td class="mono wrap">{kv.value}</td></tr>)}
                </tbody>
              </table>
            ))}
          </div>
        </>
      )}

      <details class="raw-file">
        <summary>The MLmodel file</summary>
        <YamlPreview text={text} />
      </details>
    </div>
  );
}
