// PLACEHOLDER page: replaced by the page's own implementation.
export function RunPage(props: Record<string, string>) {
  return <div class="panel">RunPage {JSON.stringify(props)}</div>;
}
