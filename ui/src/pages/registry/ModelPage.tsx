// PLACEHOLDER page: replaced by the page's own implementation.
export function ModelPage(props: Record<string, string>) {
  return <div class="panel">ModelPage {JSON.stringify(props)}</div>;
}
