// Browser observers the charts need: element width (ResizeObserver, with a debounced copy for
// re-fetching), first visibility (IntersectionObserver), theme / pixel-ratio changes.
import { useEffect, useLayoutEffect, useState, type MutableRef } from "preact/hooks";

/** Width of `ref` now (for drawing) and after `debounceMs` of quiet (for fetching). */
export function useWidth(ref: MutableRef<HTMLElement | null>, debounceMs = 200): { width: number; settled: number } {
  const [width, setWidth] = useState(0);
  const [settled, setSettled] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const initial = Math.round(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === "undefined") {
      const w = initial || 600;
      setWidth(w);
      setSettled(w);
      return;
    }
    if (initial > 0) {
      setWidth(initial);
      setSettled(initial);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = initial <= 0;
    const observer = new ResizeObserver((entries) => {
      const w = Math.round(entries[entries.length - 1].contentRect.width);
      if (w <= 0) return;
      setWidth(w);
      clearTimeout(timer);
      if (first) {
        first = false;
        setSettled(w);
      } else {
        timer = setTimeout(() => setSettled(w), debounceMs);
      }
    });
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, []);
  return { width, settled };
}

/** true once `ref` has come near the viewport (stays true); true at once without the API. */
export function useSeen(ref: MutableRef<HTMLElement | null>, margin = "200px"): boolean {
  const [seen, setSeen] = useState(() => typeof IntersectionObserver === "undefined");
  useEffect(() => {
    const element = ref.current;
    if (seen || !element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setSeen(true);
        observer.disconnect();
      }
    }, { rootMargin: margin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [seen]);
  return seen;
}

/** A counter that changes when the theme (data-theme/class on <html>) or the pixel ratio changes. */
export function useRepaintSignal(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    let observer: MutationObserver | undefined;
    if (typeof MutationObserver !== "undefined") {
      observer = new MutationObserver(bump);
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class", "style"] });
    }
    const query = typeof window.matchMedia === "function"
      ? window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`)
      : undefined;
    const schemes = typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : undefined;
    query?.addEventListener?.("change", bump);
    schemes?.addEventListener?.("change", bump);
    return () => {
      observer?.disconnect();
      query?.removeEventListener?.("change", bump);
      schemes?.removeEventListener?.("change", bump);
    };
  }, []);
  return version;
}
