// A <select> of the comparable fields, params and metrics in two groups.
import { fieldId, type Field } from "./diff";

export function fieldLabel(field: Field | undefined): string {
  if (!field) return "";
  return field.kind === "param" ? `params.${field.key}` : `metrics.${field.key}`;
}

export function fieldsOf(params: string[], metrics: string[]): Field[] {
  return [
    ...params.map((key): Field => ({ id: fieldId("param", key), kind: "param", key })),
    ...metrics.map((key): Field => ({ id: fieldId("metric", key), kind: "metric", key })),
  ];
}

export function FieldSelect({ label, value, fields, onChange, testId }: {
  label: string;
  value: string;
  fields: Field[];
  onChange: (id: string) => void;
  testId: string;
}) {
  const params = fields.filter((f) => f.kind === "param");
  const metrics = fields.filter((f) => f.kind === "metric");
  return (
    <label class="cmp-field">
      <span class="muted">{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {params.length > 0 && (
          <optgroup label="Params">
            {params.map((f) => <option key={f.id} value={f.id}>{f.key}</option>)}
          </optgroup>
        )}
        {metrics.length > 0 && (
          <optgroup label="Metrics">
            {metrics.map((f) => <option key={f.id} value={f.id}>{f.key}</option>)}
          </optgroup>
        )}
      </select>
    </label>
  );
}
