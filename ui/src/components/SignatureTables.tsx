// A model signature as tables (inputs, outputs, params), from lib/mlmodel's summary of an
// MLmodel file. Used by the run page's MLmodel preview and the model version page.
import type { MLmodelSummary, SignatureSection } from "../lib/mlmodel";

function SignatureTable({ title, section, testId }: { title: string; section: SignatureSection | undefined; testId: string }) {
  if (!section) {
    return (
      <div class="signature-part">
        <h4>{title}</h4>
        <div class="muted">None.</div>
      </div>
    );
  }
  if (section.raw !== undefined) {
    return (
      <div class="signature-part">
        <h4>{title}</h4>
        <pre class="artifact-text">{section.raw}</pre>
      </div>
    );
  }
  const hasDetail = section.columns.some((c) => c.detail);
  return (
    <div class="signature-part">
      <h4>{title} <span class="muted">({section.columns.length})</span></h4>
      <table class="table signature-table" data-testid={testId}>
        <thead><tr><th>Name</th><th>Type</th><th>Required</th>{hasDetail && <th>Details</th>}</tr></thead>
        <tbody>
          {section.columns.map((c, i) => (
            <tr key={i}>
              <td class="mono">{c.name || <span class="muted">(unnamed)</span>}</td>
              <td class="mono">{c.type}</td>
              <td>{c.required === undefined ? <span class="muted">—</span> : c.required ? "yes" : "no"}</td>
              {hasDetail && <td class="mono">{c.detail ?? ""}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SignatureTables({ signature }: { signature: NonNullable<MLmodelSummary["signature"]> }) {
  return (
    <div class="signature" data-testid="mlmodel-signature">
      <SignatureTable title="Inputs" section={signature.inputs} testId="signature-inputs" />
      <SignatureTable title="Outputs" section={signature.outputs} testId="signature-outputs" />
      {signature.params && <SignatureTable title="Params" section={signature.params} testId="signature-params" />}
    </div>
  );
}
