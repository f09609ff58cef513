// The inputs, outputs and parameters of a model version's signature (from its MLmodel file).
import type { ModelVersion } from "../../api/types";
import { SignatureTables } from "../../components/SignatureTables";
import { summarizeMLmodel } from "../../lib/mlmodel";
import { useAsync } from "../../lib/useAsync";
import { fetchMLmodel } from "./data";

function signatureOf(text: string | undefined) {
  if (text === undefined) return null;
  try {
    return summarizeMLmodel(text).signature ?? null;
  } catch {
    return null; // not a readable MLmodel: the section stays hidden
  }
}

/** Renders nothing until the signature is known, and nothing when there is none. */
export function SignatureView({ version }: { version: ModelVersion }) {
  const state = useAsync(
    async (signal) => signatureOf(await fetchMLmodel(version, signal)),
    [version.name, version.version, version.source],
  );
  const signature = state.data;
  if (!signature || (!signature.inputs && !signature.outputs && !signature.params)) return null;
  return (
    <section class="panel" aria-labelledby="version-signature" data-testid="signature">
      <h2 id="version-signature">Signature</h2>
      <SignatureTables signature={signature} />
    </section>
  );
}
