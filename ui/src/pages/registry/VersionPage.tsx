// PLACEHOLDER page: replaced by the page's own implementation.
export function VersionPage(props: Record<string, string>) {
  return <div class="panel">VersionPage {JSON.stringify(props)}</div>;
}
