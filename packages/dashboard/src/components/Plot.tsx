import Plotly, { type Config, type PlotMouseEvent } from "plotly.js-dist-min";
import { useEffect, useRef } from "react";
import type { Figure } from "../charts/theme.js";

interface PlotProps {
  figure: Figure;
  /** Used by the browser tests and screenshots: `data-testid`. */
  testId: string;
  height: number;
  /** Called with the x value of a clicked point. */
  onClickX?: (x: number) => void;
}

const CONFIG: Partial<Config> = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
  toImageButtonOptions: { format: "png", scale: 2 },
};

/** A Plotly chart, drawn with `Plotly.react` (fast in-place updates) and purged on unmount. */
export function Plot({ figure, testId, height, onClickX }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(onClickX);
  clickRef.current = onClickX;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    void Plotly.react(el, figure.data, { ...figure.layout, height }, CONFIG).then((gd) => {
      el.dataset.rendered = String(Number(el.dataset.rendered ?? "0") + 1);
      const plot = gd as unknown as { on?: (event: string, cb: (e: PlotMouseEvent) => void) => void };
      if (!el.dataset.clickBound && plot.on) {
        el.dataset.clickBound = "1";
        plot.on("plotly_click", (e) => {
          const x = e.points[0]?.x;
          if (typeof x === "number") clickRef.current?.(x);
        });
      }
    });
  }, [figure, height]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) Plotly.purge(el);
    };
  }, []);

  return <div ref={ref} className="plot" data-testid={testId} style={{ height }} />;
}
