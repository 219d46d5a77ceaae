import type { ClusterResult } from "../api.js";
import { formatMetric } from "../format.js";

interface Metric {
  label: string;
  value: string;
  hint: string;
  testId: string;
}

/** The metric cards above the charts. */
export function MetricsCards({ result }: { result: ClusterResult }) {
  const m = result.metrics;
  const metrics: Metric[] = [
    { label: "Clusters", value: String(result.k), hint: `${result.nRows.toLocaleString("en-US")} rows`, testId: "k" },
    { label: "Silhouette", value: formatMetric(m.silhouette), hint: "−1 to 1, higher is better", testId: "silhouette" },
    {
      label: "Calinski-Harabasz",
      value: formatMetric(m.calinskiHarabasz),
      hint: "higher is better",
      testId: "calinski-harabasz",
    },
    {
      label: "Davies-Bouldin",
      value: formatMetric(m.daviesBouldin),
      hint: "lower is better",
      testId: "davies-bouldin",
    },
  ];
  if (m.inertia !== null) {
    metrics.push({ label: "Inertia", value: formatMetric(m.inertia), hint: "within-cluster SS", testId: "inertia" });
  }
  if (m.bic !== null)
    metrics.push({ label: "BIC", value: formatMetric(m.bic), hint: "lower is better", testId: "bic" });
  return (
    <div className="metrics" data-testid="metrics">
      {metrics.map((metric) => (
        <div className="metric" key={metric.label} data-testid={`metric-${metric.testId}`}>
          <div className="metric-label">{metric.label}</div>
          <div className="metric-value">{metric.value}</div>
          <div className="metric-hint">{metric.hint}</div>
        </div>
      ))}
    </div>
  );
}
