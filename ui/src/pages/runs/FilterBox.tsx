// The run filter input: MLflow's filter grammar with key autocomplete. Enter applies (or takes
// the highlighted suggestion), Escape closes the suggestions, the server's parse error shows
// below in monospace with its caret under the bad token.
import { useEffect, useRef, useState } from "preact/hooks";
import { applySuggestion, suggest, type KeySource, type SuggestResult } from "./filterSuggest";

const KIND_LABEL: Record<string, string> = {
  entity: "", metrics: "metric", params: "param", tags: "tag", attributes: "attribute",
};

const NO_KEYS: KeySource = { metrics: [], params: [], tags: [] };

export function FilterBox({ value, onApply, error, keys }: {
  value: string;
  onApply: (filter: string) => void;
  error?: string;
  keys?: KeySource;
}) {
  const [draft, setDraft] = useState(value);
  const [result, setResult] = useState<SuggestResult | null>(null);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: "nearest" });
  }, [active]);

  const refresh = (text: string, cursor: number) => {
    setResult(suggest(text, cursor, keys ?? NO_KEYS));
    setActive(-1);
  };
  const close = () => { setResult(null); setActive(-1); };
  const apply = (text: string) => { close(); onApply(text.trim()); };
  const choose = (index: number) => {
    if (!result) return;
    const next = applySuggestion(draft, result, result.items[index]);
    setDraft(next.text);
    requestAnimationFrame(() => {
      const element = input.current;
      if (!element) return;
      element.focus();
      element.setSelectionRange(next.cursor, next.cursor);
    });
    if (result.items[index].kind === "entity") refresh(next.text, next.cursor);
    else close();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const open = !!result && result.items.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) {
        const element = event.currentTarget as HTMLInputElement;
        refresh(draft, element.selectionStart ?? draft.length);
        event.preventDefault();
        return;
      }
      event.preventDefault();
      const count = result.items.length;
      setActive((i) => (event.key === "ArrowDown" ? (i + 1) % count : (i <= 0 ? count - 1 : i - 1)));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (open && active >= 0) choose(active);
      else apply(draft);
    } else if (event.key === "Tab" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    }
  };

  const listId = "runs-filter-suggestions";
  const open = !!result && result.items.length > 0;
  return (
    <div class="filter-box grow">
      <div class={`filter-field ${error ? "has-error" : ""}`}>
        <span class="filter-icon" aria-hidden="true">⌕</span>
        <input ref={input} data-testid="filter-input" type="text" spellcheck={false} autocomplete="off"
          role="combobox" aria-label="Filter runs" aria-autocomplete="list" aria-expanded={open}
          aria-controls={listId} aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          placeholder="Filter runs: metrics.f1 > 0.8 and params.optimizer = 'adam'"
          value={draft}
          onInput={(e) => {
            const element = e.currentTarget as HTMLInputElement;
            setDraft(element.value);
            refresh(element.value, element.selectionStart ?? element.value.length);
          }}
          onKeyDown={onKeyDown}
          onClick={(e) => {
            const element = e.currentTarget as HTMLInputElement;
            refresh(element.value, element.selectionStart ?? element.value.length);
          }}
          onBlur={() => close()} />
        {(draft || value) && (
          <button type="button" class="filter-clear" data-testid="filter-clear" aria-label="Clear filter"
            title="Clear filter" onClick={() => { setDraft(""); apply(""); }}>✕</button>
        )}
        <button type="button" class="btn btn-small filter-apply" onClick={() => apply(draft)}
          disabled={draft.trim() === value.trim()} title="Apply the filter (Enter)">Apply</button>
        {open && result && (
          <ul class="filter-suggestions" id={listId} role="listbox" ref={list} data-testid="filter-suggestions">
            {result.items.map((item, index) => (
              <li key={item.insert} id={`${listId}-${index}`} role="option" data-index={index}
                aria-selected={index === active} class={index === active ? "active" : ""}
                onMouseDown={(e) => { e.preventDefault(); choose(index); }}
                onMouseEnter={() => setActive(index)}>
                <span class="mono">{item.insert}</span>
                {KIND_LABEL[item.kind] && <span class="suggestion-kind">{KIND_LABEL[item.kind]}</span>}
              </li>
            ))}
            {result.total > result.items.length && (
              <li class="suggestion-more" role="presentation">
                {result.total - result.items.length} more — keep typing to narrow
              </li>
            )}
          </ul>
        )}
      </div>
      {error && <pre class="filter-error" data-testid="filter-error" role="alert">{error}</pre>}
    </div>
  );
}
