import { formatValue } from "@clusterlab/charts";
import type { DatasetDetail } from "../api.js";

/** The first rows of the dataset, with each column's type. */
export function PreviewTable({ dataset }: { dataset: DatasetDetail }) {
  return (
    <div className="preview" data-testid="preview">
      <table>
        <thead>
          <tr>
            {dataset.columns.map((c) => (
              <th key={c.name} title={`${c.type}${c.missing ? `, ${c.missing} missing` : ""}`}>
                {c.name}
                <span className="col-type">{c.numeric ? "num" : "text"}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dataset.preview.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity but their position
            <tr key={i}>
              {row.map((v, j) => (
                <td key={dataset.columns[j].name} className={typeof v === "number" ? "num" : undefined}>
                  {formatValue(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
