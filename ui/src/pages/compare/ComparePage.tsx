// PLACEHOLDER page: replaced by the page's own implementation.
export function ComparePage(props: Record<string, string>) {
  return <div class="panel">ComparePage {JSON.stringify(props)}</div>;
}
