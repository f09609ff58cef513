// PLACEHOLDER page: replaced by the page's own implementation.
export function ModelsPage(props: Record<string, string>) {
  return <div class="panel">ModelsPage {JSON.stringify(props)}</div>;
}
