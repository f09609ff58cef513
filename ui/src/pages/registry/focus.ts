// Focus a dialog's main field once it opens (after the Modal has placed its own focus).
import { useEffect, useRef } from "preact/hooks";

export function useInitialFocus<T extends HTMLInputElement | HTMLTextAreaElement>(select = false) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      ref.current?.focus();
      if (select) ref.current?.select();
    }, 0);
    return () => window.clearTimeout(timer);
  }, []);
  return ref;
}
