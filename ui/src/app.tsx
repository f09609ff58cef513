// The shell: top bar (navigation, theme) and the page chosen by the hash route.
import { useEffect, useState } from "preact/hooks";
import { ComparePage } from "./pages/compare/ComparePage";
import { ExperimentsPage } from "./pages/ExperimentsPage";
import { MetricPage } from "./pages/metric/MetricPage";
import { ModelPage } from "./pages/registry/ModelPage";
import { ModelsPage } from "./pages/registry/ModelsPage";
import { VersionPage } from "./pages/registry/VersionPage";
import { RunPage } from "./pages/run/RunPage";
import { RunsPage } from "./pages/runs/RunsPage";
import { EmptyState } from "./components/common";
import { applyTheme, initialTheme, type Theme } from "./lib/theme";
import { href, matchPath, routes, useLocation } from "./router";

function Page({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === "/" || path === "/experiments") return <ExperimentsPage />;
  if ((m = matchPath("/experiments/:experimentId", path))) return <RunsPage experimentIds={m.experimentId} />;
  if (path === "/compare-experiments") return <RunsPage experimentIds="" />;
  if ((m = matchPath("/experiments/:experimentId/runs/:runId", path))) return <RunPage {...m} />;
  if (path === "/compare-runs") return <ComparePage />;
  if (path === "/metric") return <MetricPage />;
  if (path === "/models") return <ModelsPage />;
  if ((m = matchPath("/models/:name", path))) return <ModelPage {...m} />;
  if ((m = matchPath("/models/:name/versions/:version", path))) return <VersionPage {...m} />;
  return (
    <EmptyState title="Page not found">
      Nothing lives at <code>{path}</code>. <a href={href(routes.experiments())}>Go to experiments</a>.
    </EmptyState>
  );
}

export function App() {
  const { path } = useLocation();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => applyTheme(theme), []);
  const section = path.startsWith("/models") ? "models" : "experiments";
  const toggle = () => {
    const next = theme === "dark" ? "light" : "dark";
    setTheme(next);
    applyTheme(next, true);
  };
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href={href(routes.experiments())}><img src="./favicon.svg" alt="" />mltrail</a>
        <nav class="topnav" aria-label="Main">
          <a href={href(routes.experiments())} class={section === "experiments" ? "active" : ""}>Experiments</a>
          <a href={href(routes.models())} class={section === "models" ? "active" : ""}>Models</a>
        </nav>
        <span class="spacer" />
        <a class="btn btn-ghost" href="docs" target="_blank" rel="noopener">API docs</a>
        <button class="btn btn-ghost" data-testid="theme-toggle" onClick={toggle}
          aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} mode`}>
          {theme === "dark" ? "☀ Light" : "☾ Dark"}
        </button>
      </header>
      <main class="content" key={path}>
        <Page path={path} />
      </main>
    </div>
  );
}
