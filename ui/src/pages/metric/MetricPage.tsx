// PLACEHOLDER page: replaced by the charts work.
export function MetricPage() {
  return <div class="panel">MetricPage</div>;
}
