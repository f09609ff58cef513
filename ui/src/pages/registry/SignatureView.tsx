// The inputs, outputs and parameters of a model version's signature (from its MLmodel file).
import type { ModelVersion } from "../../api/types";
import { useAsync } from "../../lib/useAsync";
import { fetchMLmodel } from "./data";
import { parseSignature, type SignatureField } from "./signature";

function FieldTable({ title, fields }: { title: string; fields: SignatureField[] }) {
  return (
    <div class="reg-signature-part">
      <h3>{title} <span class="muted">({fields.length})</span></h3>
      <table class="kv-table">
        <thead><tr><th>Name</th><th>Type</th><th>Required</th></tr></thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={i}>
              <td class="mono">{f.name ?? <span class="muted">{fields.length > 1 ? `#${i}` : "(unnamed)"}</span>}</td>
              <td class="mono">{f.type}</td>
              <td>{f.required ? "yes" : <span class="muted">optional</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Renders nothing until the signature is known, and nothing when there is none. */
export function SignatureView({ version }: { version: ModelVersion }) {
  const state = useAsync(async (signal) => {
    const text = await fetchMLmodel(version, signal);
    return text === undefined ? null : parseSignature(text);
  }, [version.name, version.version, version.source]);
  const signature = state.data;
  if (!signature) return null;
  return (
    <section class="panel" aria-labelledby="version-signature" data-testid="signature">
      <h2 id="version-signature">Signature</h2>
      <div class="reg-signature">
        {signature.inputs && <FieldTable title="Inputs" fields={signature.inputs} />}
        {signature.outputs && <FieldTable title="Outputs" fields={signature.outputs} />}
        {signature.params && (
          <div class="reg-signature-part">
            <h3>Parameters <span class="muted">({signature.params.length})</span></h3>
            <table class="kv-table">
              <thead><tr><th>Name</th><th>Type</th><th>Default</th></tr></thead>
              <tbody>
                {signature.params.map((p) => (
                  <tr key={p.name}><td class="mono">{p.name}</td><td class="mono">{p.type}</td><td class="mono">{p.default}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
