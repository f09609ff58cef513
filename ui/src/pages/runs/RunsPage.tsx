// PLACEHOLDER page: replaced by the page's own implementation.
export function RunsPage(props: Record<string, string>) {
  return <div class="panel">RunsPage {JSON.stringify(props)}</div>;
}
