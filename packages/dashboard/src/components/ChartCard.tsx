import { type ReactNode, useEffect, useRef, useState } from "react";
import { downloadChart, type ImageFormat } from "./Plot.js";

interface ChartCardProps {
  title: string;
  subtitle?: ReactNode;
  wide?: boolean;
  busy?: boolean;
  children: ReactNode;
  testId?: string;
  /** Controls on the right of the title (e.g. a select). */
  actions?: ReactNode;
}

/** "Cluster sizes" -> "cluster-sizes": the file name of a chart's image. */
export function imageFileName(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "chart"
  );
}

/**
 * A titled panel of the results grid. When it holds Plotly charts, its header offers them as PNG
 * and SVG images (each chart of the card, at its size on screen; PNG at twice the resolution).
 */
export function ChartCard({ title, subtitle, wide, busy, children, testId, actions }: ChartCardProps) {
  const body = useRef<HTMLDivElement>(null);
  const [charts, setCharts] = useState(0);

  // Offer the image buttons once a chart is drawn in the card (and while one is there).
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const count = () => setCharts(el.querySelectorAll(".js-plotly-plot").length);
    count();
    const observer = new MutationObserver(count);
    observer.observe(el, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);

  const save = (format: ImageFormat) => {
    const plots = body.current ? Array.from(body.current.querySelectorAll<HTMLElement>(".js-plotly-plot")) : [];
    const name = imageFileName(title);
    plots.forEach((plot, i) => {
      void downloadChart(plot, format, plots.length > 1 ? `${name}-${i + 1}` : name);
    });
  };

  return (
    <section className={`card${wide ? " card-wide" : ""}${busy ? " card-busy" : ""}`} data-testid={testId}>
      <header className="card-header">
        <div className="card-titles">
          <h2>{title}</h2>
          {subtitle ? <p className="card-subtitle">{subtitle}</p> : null}
        </div>
        {actions || charts > 0 ? (
          <div className="card-actions">
            {actions}
            {charts > 0 ? (
              <span className="export-image">
                <button
                  type="button"
                  title={`Save "${title}" as PNG`}
                  data-testid="export-png"
                  onClick={() => save("png")}
                >
                  PNG
                </button>
                <button
                  type="button"
                  title={`Save "${title}" as SVG`}
                  data-testid="export-svg"
                  onClick={() => save("svg")}
                >
                  SVG
                </button>
              </span>
            ) : null}
          </div>
        ) : null}
      </header>
      <div className="card-body" ref={body}>
        {children}
      </div>
    </section>
  );
}
