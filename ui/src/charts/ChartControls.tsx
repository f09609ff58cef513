// The x-axis / log-scale / smoothing controls shared by a single chart and the charts grid.
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import { X_AXIS_LABELS, type ChartXAxis } from "./types";

export interface ChartControlsProps {
  xAxis: ChartXAxis;
  logY: boolean;
  smoothing: number;
  onXAxis: (value: ChartXAxis) => void;
  onLogY: (value: boolean) => void;
  onSmoothing: (value: number) => void;
  children?: ComponentChildren;
}

export function ChartControls(props: ChartControlsProps) {
  const id = useId();
  return (
    <div class="mc-controls" role="group" aria-label="Chart options" data-testid="chart-controls">
      <label class="mc-field" for={`${id}-x`}>
        <span>X axis</span>
        <select id={`${id}-x`} data-testid="chart-x-axis" value={props.xAxis}
          onChange={(e) => props.onXAxis((e.currentTarget as HTMLSelectElement).value as ChartXAxis)}>
          {(Object.keys(X_AXIS_LABELS) as ChartXAxis[]).map((k) => <option key={k} value={k}>{X_AXIS_LABELS[k]}</option>)}
        </select>
      </label>
      <label class="mc-check">
        <input type="checkbox" data-testid="chart-log-y" checked={props.logY}
          onChange={(e) => props.onLogY((e.currentTarget as HTMLInputElement).checked)} />
        <span>Log scale</span>
      </label>
      <label class="mc-field mc-smoothing" for={`${id}-s`}>
        <span>Smoothing</span>
        <input id={`${id}-s`} type="range" min="0" max="0.99" step="0.01" data-testid="chart-smoothing"
          value={String(props.smoothing)}
          onInput={(e) => props.onSmoothing(Number((e.currentTarget as HTMLInputElement).value))} />
        <output class="mc-smoothing-value" for={`${id}-s`}>{props.smoothing.toFixed(2)}</output>
      </label>
      {props.children}
    </div>
  );
}
