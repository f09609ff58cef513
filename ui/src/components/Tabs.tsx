// Tabs whose selection lives in the URL query (`tab=`), so reload keeps the tab.
import { updateQuery, useLocation } from "../router";

export function Tabs({ tabs, param = "tab" }: { tabs: { id: string; label: string }[]; param?: string }) {
  const { query } = useLocation();
  const active = query.get(param) ?? tabs[0]?.id;
  return (
    <div class="tabs" role="tablist">
      {tabs.map((tab) => (
        <button key={tab.id} role="tab" aria-selected={tab.id === active}
          class={`tab ${tab.id === active ? "active" : ""}`}
          onClick={() => updateQuery({ [param]: tab.id === tabs[0]?.id ? undefined : tab.id })}>
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function useTab(tabs: { id: string }[], param = "tab"): string {
  const { query } = useLocation();
  const value = query.get(param);
  return tabs.some((t) => t.id === value) ? (value as string) : tabs[0]?.id ?? "";
}
