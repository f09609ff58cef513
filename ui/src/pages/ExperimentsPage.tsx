// PLACEHOLDER page: replaced by the page's own implementation.
export function ExperimentsPage(props: Record<string, string>) {
  return <div class="panel">ExperimentsPage {JSON.stringify(props)}</div>;
}
