/**
 * Entry of the standalone report's script (`vite.report.config.ts` bundles it, with Plotly, into
 * one file): reads the payload from `<script type="application/json" id="clusterlab-report-data">`
 * and draws the page into `#report`.
 */
import "./report.css";
import type { ReportPayload } from "./figures.js";
import { renderReport } from "./render.js";

const DATA_ID = "clusterlab-report-data";

function start(): void {
  const root = document.getElementById("report");
  const data = document.getElementById(DATA_ID);
  if (!root || !data) return;
  let payload: ReportPayload;
  try {
    payload = JSON.parse(data.textContent ?? "") as ReportPayload;
  } catch (error) {
    root.textContent = `This report's data cannot be read: ${(error as Error).message}`;
    return;
  }
  renderReport(root, payload).catch((error: unknown) => {
    root.dataset.error = String(error);
    const message = document.createElement("p");
    message.className = "error";
    message.textContent = `A chart could not be drawn: ${(error as Error).message ?? String(error)}`;
    root.prepend(message);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
