// MetricChart: one metric of one or many runs on a canvas. It fetches a reduction sized to its
// pixel width (only once visible), draws min–max bands + mean lines (raw points as lines),
// zooms by dragging (re-fetching the window), shows a tooltip on hover and a legend.
// The root carries data-state = loading | drawn | empty | error and data-y-max for tests.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { ErrorBanner, Spinner } from "../components/common";
import { ChartControls } from "./ChartControls";
import { seriesColors } from "./colors";
import { drawChart, drawOverlay, prepareCanvas, readTheme, type ChartTheme } from "./draw";
import { useRepaintSignal, useSeen, useWidth } from "./hooks";
import { hoverAt, type HoverInfo } from "./hover";
import { chartNotes } from "./notes";
import { apiAxisFor, summarize, type SeriesData } from "./series";
import { clampWeight } from "./smoothing";
import type { ChartXAxis, MetricChartProps } from "./types";
import { useSeriesData, type SeriesRequest } from "./useSeriesData";
import { buildView, type View } from "./view";
import { apiWindow, displayOffset, selectionWindow } from "./zoom";
import "./charts.css";

/** State that follows a prop but can also be changed from inside (the chart's own controls). */
function useSynced<T>(value: T): [T, (v: T) => void] {
  const [state, setState] = useState(value);
  useEffect(() => setState(value), [value]);
  return [state, setState];
}

let measureContext: CanvasRenderingContext2D | null | undefined;

function makeMeasure(font: string): (text: string) => number {
  if (measureContext === undefined) {
    try {
      measureContext = document.createElement("canvas").getContext("2d");
    } catch {
      measureContext = null;
    }
  }
  const ctx = measureContext;
  if (!ctx) return (text) => text.length * 6.5;
  return (text) => {
    ctx.font = font;
    return ctx.measureText(text).width;
  };
}

interface Zoom {
  window: [number, number];
  context: string;
}

export function MetricChart(props: MetricChartProps) {
  const { metricKey, series, height = 280, controls = false, legend = true } = props;
  const [ownX, setOwnX] = useSynced<ChartXAxis>(props.xAxis ?? "step");
  const [ownLog, setOwnLog] = useSynced(props.logY ?? false);
  const [ownSmooth, setOwnSmooth] = useSynced(clampWeight(props.smoothing ?? 0));
  const xAxis = controls ? ownX : props.xAxis ?? "step";
  const logY = controls ? ownLog : props.logY ?? false;
  const smoothing = controls ? ownSmooth : clampWeight(props.smoothing ?? 0);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [zoom, setZoom] = useState<Zoom | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [reload, setReload] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<View | null>(null);
  const themeRef = useRef<ChartTheme | null>(null);
  const dragRef = useRef<{ start: number; end: number } | null>(null);
  const pointerRef = useRef<number | null>(null);
  const seen = useSeen(rootRef);
  const { width, settled } = useWidth(boxRef);
  const repaint = useRepaintSignal();

  const runIdsKey = series.map((s) => s.runId).join(",");
  const zoomContext = `${metricKey}|${xAxis}|${runIdsKey}`;
  const zoomWindow = zoom && zoom.context === zoomContext ? zoom.window : null;
  const apiAxis = apiAxisFor(xAxis);
  // About one bucket per pixel; small width changes (a scrollbar appearing) keep the data.
  const target = Math.max(32, Math.min(4000, Math.round(settled - 70)));
  const bucketsRef = useRef(0);
  if (settled > 0 && (bucketsRef.current === 0 || Math.abs(target - bucketsRef.current) > bucketsRef.current * 0.1)) {
    bucketsRef.current = target;
  }
  const buckets = bucketsRef.current;

  // The data on hand (possibly from the previous request set while a new one runs).
  const [held, setHeld] = useState<Map<string, SeriesData>>(new Map());
  const offsetOf = (runId: string, startTime: number | undefined) =>
    displayOffset(xAxis, startTime, held.get(runId)?.axis === apiAxis ? held.get(runId)!.xRange : null);
  const requests: SeriesRequest[] = series.map((s) =>
    zoomWindow ? { runId: s.runId, ...apiWindow(zoomWindow, offsetOf(s.runId, s.startTime)) } : { runId: s.runId });
  const { state, wantedKey } = useSeriesData({
    enabled: seen && settled > 0 && series.length > 0, metricKey, axis: apiAxis, buckets, requests, reload,
  });
  const final = wantedKey !== "" && state.key === wantedKey;
  useEffect(() => {
    if (state.key) setHeld(state.data);
  }, [state]);

  // Only data of the current axis and runs is displayable.
  const shown = useMemo(() => {
    const map = new Map<string, SeriesData>();
    const source = final ? state.data : held;
    for (const s of series) {
      const d = source.get(s.runId);
      if (d && d.axis === apiAxis) map.set(s.runId, d);
    }
    return map;
  }, [final, state, held, runIdsKey, apiAxis]);

  const colors = useMemo(() => {
    const fallback = seriesColors(series.map((s) => s.runId));
    return new Map(series.map((s, i) => [s.runId, s.color ?? fallback[i]]));
  }, [runIdsKey, series.map((s) => s.color ?? "").join(",")]);
  const metaKey = series.map((s) => `${s.runId}:${s.runName}:${s.startTime ?? ""}:${s.color ?? ""}`).join("|");
  const view = useMemo(() => {
    if (!seen || width <= 0 || (shown.size === 0 && !final)) return null;
    const font = rootRef.current ? readTheme(rootRef.current).font : "11px sans-serif";
    return buildView({
      series: series.map((s) => ({
        runId: s.runId, name: s.runName, color: colors.get(s.runId)!, startTime: s.startTime, data: shown.get(s.runId),
      })),
      hidden, xAxis, logY, smoothing, window: zoomWindow, width, height, measure: makeMeasure(font),
    });
  }, [seen, width, height, shown, final, metaKey, hidden, xAxis, logY, smoothing, zoomWindow?.[0], zoomWindow?.[1], repaint]);

  const allFailed = final && series.length > 0 && state.errors.size === series.length;
  const nothing = view !== null && view.drawnElements === 0 && view.specials.nan + view.specials.posInf + view.specials.negInf === 0;
  const allHidden = series.length > 0 && series.every((s) => hidden.has(s.runId));
  const phase = series.length === 0 ? "empty"
    : allFailed ? "error"
      : !final || view === null ? "loading"
        : nothing && !allHidden ? "empty" : "drawn";

  const paintOverlay = (info: HoverInfo | null, selection: [number, number] | null) => {
    const overlay = overlayRef.current;
    const v = viewRef.current;
    const theme = themeRef.current;
    if (!overlay || !v || !theme) return;
    const dpr = window.devicePixelRatio || 1;
    const ctx = prepareCanvas(overlay, v.width, v.height, dpr);
    if (ctx) drawOverlay(ctx, v, theme, dpr, info, selection);
  };

  // Paint the frame, then publish the state (so "drawn" always means painted).
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const root = rootRef.current;
    if (!canvas || !root) return;
    viewRef.current = view;
    if (!view) {
      prepareCanvas(canvas, Math.max(1, width), height, window.devicePixelRatio || 1);
      return;
    }
    const theme = readTheme(root);
    themeRef.current = theme;
    const dpr = window.devicePixelRatio || 1;
    const ctx = prepareCanvas(canvas, view.width, view.height, dpr);
    if (ctx) drawChart(ctx, view, theme, dpr);
    const info = pointerRef.current !== null ? hoverAt(view, pointerRef.current) : null;
    setHover(info);
    paintOverlay(info, null);
  }, [view]);
  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    root.dataset.state = phase;
    root.dataset.yMax = view?.yMax !== null && view?.yMax !== undefined ? String(view.yMax) : "";
    root.dataset.xMin = view ? String(view.x.domain[0]) : "";
    root.dataset.xMax = view ? String(view.x.domain[1]) : "";
    root.dataset.zoomed = zoomWindow ? "true" : "false";
  }, [phase, view, zoomWindow]);

  // Summaries of the whole (unzoomed) series, for tables next to the chart.
  const onSummary = props.onSummary;
  useEffect(() => {
    if (!onSummary || !final || zoomWindow) return;
    onSummary(series.flatMap((s) => {
      const d = state.data.get(s.runId);
      return d ? [summarize(d)] : [];
    }));
  }, [final, state, zoomWindow === null]);

  const localX = (e: PointerEvent | MouseEvent) => e.clientX - (overlayRef.current?.getBoundingClientRect().left ?? 0);
  const onPointerDown = (e: PointerEvent) => {
    const v = viewRef.current;
    if (!v || e.button !== 0) return;
    const px = localX(e);
    if (px < v.plot.left || px > v.plot.left + v.plot.width) return;
    dragRef.current = { start: px, end: px };
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent) => {
    const v = viewRef.current;
    if (!v) return;
    const px = localX(e);
    pointerRef.current = px;
    const drag = dragRef.current;
    if (drag) {
      drag.end = px;
      setHover(null);
      paintOverlay(null, [drag.start, drag.end]);
      return;
    }
    const info = hoverAt(v, px);
    setHover(info);
    paintOverlay(info, null);
  };
  const onPointerUp = (e: PointerEvent) => {
    const drag = dragRef.current;
    const v = viewRef.current;
    dragRef.current = null;
    if (!drag || !v) return;
    drag.end = localX(e);
    let win = selectionWindow(drag.start, drag.end, v.x);
    if (win && xAxis === "step" && win[1] - win[0] < 2) {
      const c = (win[0] + win[1]) / 2;
      win = [c - 1, c + 1];
    }
    if (win) setZoom({ window: win, context: zoomContext });
    const info = win ? null : hoverAt(v, drag.end);
    setHover(info);
    paintOverlay(info, null);
  };
  const onPointerLeave = () => {
    pointerRef.current = null;
    if (dragRef.current) return;
    setHover(null);
    paintOverlay(null, null);
  };
  const resetZoom = () => setZoom(null);
  const toggle = (runId: string) => {
    const next = new Set(hidden);
    if (next.has(runId)) next.delete(runId);
    else next.add(runId);
    setHidden(next);
  };

  const notes = chartNotes({ view, series, errors: final ? state.errors : new Map(), logY });
  const tooltipLeft = hover && view ? hover.px > view.plot.left + view.plot.width * 0.58 : false;
  const runLabel = series.length === 1 ? series[0].runName : `${series.length} runs`;

  return (
    <div class="metric-chart" ref={rootRef} data-testid="metric-chart" data-metric-key={metricKey}
      onKeyDown={(e) => { if (e.key === "Escape" && zoomWindow) resetZoom(); }}>
      {controls && (
        <ChartControls xAxis={xAxis} logY={logY} smoothing={smoothing}
          onXAxis={(v) => { setOwnX(v); props.onXAxisChange?.(v); }}
          onLogY={(v) => { setOwnLog(v); props.onLogYChange?.(v); }}
          onSmoothing={(v) => { setOwnSmooth(v); props.onSmoothingChange?.(v); }} />
      )}
      <div class="mc-box" ref={boxRef} style={{ height: `${height}px` }}>
        <canvas class="mc-canvas" ref={canvasRef} role="img"
          aria-label={`Line chart of ${metricKey} for ${runLabel}, x axis: ${view?.xLabel ?? xAxis}`} />
        <canvas class="mc-overlay" ref={overlayRef} aria-hidden="true" data-testid="chart-plot"
          onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp}
          onPointerCancel={() => { dragRef.current = null; paintOverlay(null, null); }}
          onPointerLeave={onPointerLeave} onDblClick={resetZoom} />
        {phase === "loading" && shown.size === 0 && (
          <div class="mc-cover"><Spinner label={seen ? "Loading chart…" : "Waiting to scroll into view…"} /></div>
        )}
        {phase === "loading" && shown.size > 0 && <span class="mc-busy spinner" role="status" aria-label="Updating chart" />}
        {phase === "error" && (
          <div class="mc-cover">
            <ErrorBanner error={state.errors.values().next().value} onRetry={() => setReload((r) => r + 1)} />
          </div>
        )}
        {phase === "empty" && (
          <div class="mc-cover mc-empty" data-testid="chart-empty">
            <strong>{zoomWindow ? "No points in this range" : "No data"}</strong>
            <span class="muted">
              {series.length === 0 ? "No runs selected." : zoomWindow ? "Zoom out to see the series." : `Nothing logged for ${metricKey}.`}
            </span>
          </div>
        )}
        {zoomWindow && (
          <button type="button" class="btn btn-small mc-reset" data-testid="reset-zoom" onClick={resetZoom}>
            Reset zoom
          </button>
        )}
        {hover && view && (
          <div class={`mc-tooltip${tooltipLeft ? " mc-tooltip-left" : ""}`} data-testid="chart-tooltip" role="tooltip"
            style={{ left: `${hover.px + (tooltipLeft ? -14 : 14)}px`, top: `${view.plot.top + 6}px` }}>
            <div class="mc-tooltip-title">{hover.title}</div>
            {hover.subtitle && <div class="mc-tooltip-subtitle">{hover.subtitle}</div>}
            <div class="mc-tooltip-rows">
              {hover.rows.map((r) => {
                const detail = [r.smoothed ? `raw ${r.value}` : null, r.at !== hover.title ? r.at : null, r.other, r.extra]
                  .filter(Boolean).join(" · ");
                return (
                  <div class="mc-tooltip-row" key={r.runId}>
                    <span class="mc-swatch" style={{ background: r.color }} />
                    <span class="mc-tooltip-name">{r.name}</span>
                    <span class="mc-tooltip-value" data-testid="chart-tooltip-value">{r.smoothed ?? r.value}</span>
                    {detail && <span class="mc-tooltip-detail">{detail}</span>}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
      <div class="mc-footer">
        {legend && series.length > 0 && (
          <div class="mc-legend" role="group" aria-label="Runs (click to hide or show)">
            {series.map((s) => {
              const off = hidden.has(s.runId);
              return (
                <button type="button" key={s.runId} class={`mc-legend-item${off ? " is-off" : ""}`}
                  data-testid="chart-legend-item" aria-pressed={!off}
                  title={`${off ? "Show" : "Hide"} ${s.runName}`} onClick={() => toggle(s.runId)}>
                  <span class="mc-swatch" style={{ background: colors.get(s.runId) }} />
                  <span class="mc-legend-name">{s.runName}</span>
                </button>
              );
            })}
          </div>
        )}
        <div class="mc-caption muted">
          <span>{view?.xLabel ?? ""}</span>
          {view && view.drawnElements > 0 && <span class="mc-hint">drag to zoom{zoomWindow ? " · double-click to reset" : ""}</span>}
        </div>
      </div>
      {notes.length > 0 && (
        <ul class="mc-notes" data-testid="chart-notes">
          {notes.map((n) => <li key={n.text} class={n.warn ? "mc-note-warn" : ""}>{n.text}</li>)}
        </ul>
      )}
    </div>
  );
}
