import { formatMetric } from "@clusterlab/charts";
import { type ClusterResult, NOISE_ALGORITHMS } from "../api.js";

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
  ];
  if (result.nNoise > 0 || NOISE_ALGORITHMS.includes(result.algorithm)) {
    metrics.push({
      label: "Noise",
      value: result.nNoise.toLocaleString("en-US"),
      hint: `${((result.nNoise / Math.max(1, result.nRows)) * 100).toFixed(1)}% of rows, drawn grey`,
      testId: "noise",
    });
  }
  metrics.push(
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
  );
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
