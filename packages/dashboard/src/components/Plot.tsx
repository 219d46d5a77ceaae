import type { Figure } from "@clusterlab/charts";
import Plotly, { type Config, type PlotMouseEvent } from "plotly.js-dist-min";
import { useEffect, useLayoutEffect, useRef } from "react";

/** A clicked point: its trace, its index in the trace, its coordinates and its `customdata`. */
export interface ClickedPoint {
  curveNumber: number;
  pointIndex: number;
  x: unknown;
  y: unknown;
  customdata: unknown;
}

interface PlotProps {
  figure: Figure;
  /** Used by the browser tests and screenshots: `data-testid`. */
  testId: string;
  height: number;
  /** Drawn before the charts of lower priority when several change at once (default 0). */
  priority?: number;
  /** Draw only once the chart is on screen (or near it); until then, keep the latest figure. */
  lazy?: boolean;
  /** Called with the x value of a clicked point. */
  onClickX?: (x: number) => void;
  /** Called with the clicked point. */
  onClickPoint?: (point: ClickedPoint) => void;
  /** Called with the trace of a clicked legend entry (the trace is not hidden). */
  onLegendClick?: (curveNumber: number) => void;
  /** Called with a clickable annotation's `name`. */
  onClickAnnotation?: (name: string) => void;
  /** Lasso / box selection: the selected points (trace and index in the trace), or null when cleared. */
  onSelected?: (points: { curveNumber: number; pointIndex: number }[] | null) => void;
  /** Lets the user drag the layout's shapes; called with the new y of shape 0 when one is dropped. */
  onShapeMoved?: (y: number) => void;
}

const REMOVED: Config["modeBarButtonsToRemove"] = ["autoScale2d", "toggleSpikelines"];

/** Image formats a chart can be saved as. */
export type ImageFormat = "png" | "svg";

/**
 * Saves a drawn chart as an image file (`name.png` / `name.svg`), at its size on screen; PNG at
 * twice the resolution. Resolves once the browser was handed the file.
 */
export function downloadChart(el: HTMLElement, format: ImageFormat, name: string): Promise<unknown> {
  const size = el.getBoundingClientRect();
  return Plotly.downloadImage(
    el as Plotly.Root as HTMLElement,
    {
      format,
      filename: name,
      width: Math.max(320, Math.round(size.width)),
      height: Math.max(200, Math.round(size.height)),
      scale: format === "png" ? 2 : 1,
    } as Parameters<typeof Plotly.downloadImage>[1],
  );
}

/** The mode bar's extra button: the chart as SVG (the camera button gives PNG). */
const SVG_BUTTON = {
  name: "downloadSvg",
  title: "Download plot as SVG",
  icon: {
    width: 1000,
    height: 1000,
    path: "M500 0l-250 320h170v330h160v-330h170zM100 750h800v150h-800z",
    transform: "matrix(1 0 0 -1 0 900)",
  },
  click: (gd: HTMLElement) => {
    void downloadChart(gd, "svg", gd.dataset.testid ?? "chart");
  },
};

interface PlotlyElement extends HTMLDivElement {
  on?: (event: string, cb: (e: never) => unknown) => void;
}

/**
 * Draws are queued and run on-screen charts first, then highest priority first, several per task
 * until TASK_BUDGET_MS has passed: when a new clustering changes every chart, the scatter and the
 * other charts in view appear first (those scrolled away follow), and the page answers input
 * between two tasks, without a frame rendered between every two charts.
 */
const pending = new Map<HTMLElement, { priority: number; draw: () => void }>();
let scheduled = false;

/** `data-plots-pending` on <html>: charts still to draw (0 once every view shows the latest result). */
function mark(): void {
  if (typeof document !== "undefined") document.documentElement.dataset.plotsPending = String(pending.size);
}

/** Charts drawn in one task, highest priority first, until this many milliseconds have passed. */
const TASK_BUDGET_MS = 40;

/** Charts on screen (or within this many pixels of it) are drawn before those further away. */
const NEAR_SCREEN_PX = 200;

/** Rank added for a chart on screen. */
const ON_SCREEN = 1000;

/** Longest task drawing the charts on screen together. */
const ON_SCREEN_BUDGET_MS = 400;

/** A chart's drawing order: on-screen charts first, then by their `priority`. */
function rank(el: HTMLElement, priority: number): number {
  const box = el.getBoundingClientRect();
  const onScreen = box.bottom > -NEAR_SCREEN_PX && box.top < window.innerHeight + NEAR_SCREEN_PX;
  return (onScreen ? ON_SCREEN : 0) + priority;
}

function runNext(): void {
  scheduled = false;
  const started = performance.now();
  // Every chart's rank, read once before drawing: a box read after a draw forces a layout of the
  // whole page (tens of milliseconds per read on a large page), and a draw does not move the
  // charts (each keeps its height).
  const ranks = new Map<HTMLElement, number>();
  for (const [el, job] of pending) ranks.set(el, rank(el, job.priority));
  for (;;) {
    let best: HTMLElement | null = null;
    let bestRank = Number.NEGATIVE_INFINITY;
    for (const el of pending.keys()) {
      const r = ranks.get(el) ?? Number.NEGATIVE_INFINITY;
      if (r > bestRank) {
        best = el;
        bestRank = r;
      }
    }
    if (best === null) break;
    // Past the budget, stop before a chart off screen; the charts on screen are drawn in the same
    // task (up to ON_SCREEN_BUDGET_MS), so one frame shows them all updated (a frame in between
    // costs 0.1-0.2 s of rasterising without a GPU).
    const elapsed = performance.now() - started;
    if (elapsed >= TASK_BUDGET_MS && (bestRank < ON_SCREEN || elapsed >= ON_SCREEN_BUDGET_MS)) break;
    const job = pending.get(best)!;
    pending.delete(best);
    job.draw();
  }
  mark();
  schedule();
}

function schedule(): void {
  mark();
  if (scheduled || pending.size === 0) return;
  scheduled = true;
  setTimeout(runNext, 0);
}

/** A Plotly chart, drawn with `Plotly.react` (fast in-place updates) and purged on unmount. */
export function Plot(props: PlotProps) {
  const { figure, testId, height, onSelected, onShapeMoved, lazy } = props;
  const ref = useRef<HTMLDivElement>(null);
  const handlers = useRef(props);
  handlers.current = props;
  const visible = useRef(!lazy);
  const draw = useRef<(() => void) | null>(null);
  const selectable = onSelected !== undefined;
  const draggable = onShapeMoved !== undefined;

  // A layout effect: the draw is queued in the same commit as the new result (the draw itself runs later).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const config: Partial<Config> = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: selectable ? REMOVED : [...(REMOVED ?? []), "select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", scale: 2, filename: testId },
      modeBarButtonsToAdd: [SVG_BUTTON as unknown as NonNullable<Config["modeBarButtonsToAdd"]>[number]],
      edits: draggable ? { shapePosition: true } : {},
    };
    draw.current = () => {
      const started = performance.now();
      void Plotly.react(el, figure.data, { ...figure.layout, height }, config).then((gd) => {
        el.dataset.rendered = String(Number(el.dataset.rendered ?? "0") + 1);
        // How long the last draw took (latency measurements).
        el.dataset.drawMs = String(Math.round(performance.now() - started));
        el.dataset.drawnAt = String(Math.round(performance.now()));
        const plot = gd as unknown as PlotlyElement;
        if (el.dataset.bound || !plot.on) return;
        el.dataset.bound = "1";
        bindEvents(plot, handlers);
      });
    };
    if (visible.current) {
      pending.set(el, { priority: handlers.current.priority ?? 0, draw: draw.current });
      schedule();
    }
  }, [figure, height, selectable, draggable, testId]);

  // Lazy charts: draw the latest figure when they come near the screen.
  useEffect(() => {
    const el = ref.current;
    if (!lazy || !el || typeof IntersectionObserver === "undefined") {
      visible.current = true;
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        const now = entries.some((e) => e.isIntersecting);
        if (now && !visible.current && draw.current) {
          pending.set(el, { priority: handlers.current.priority ?? 0, draw: draw.current });
          schedule();
        }
        visible.current = now;
      },
      { rootMargin: "300px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [lazy]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) {
        pending.delete(el);
        Plotly.purge(el);
      }
    };
  }, []);

  return <div ref={ref} className="plot" data-testid={testId} style={{ height }} />;
}

function bindEvents(plot: PlotlyElement, handlers: { current: PlotProps }): void {
  if (!plot.on) return;
  plot.on("plotly_click", (e: PlotMouseEvent) => {
    const p = e.points[0];
    if (!p) return;
    const x = p.x;
    if (typeof x === "number") handlers.current.onClickX?.(x);
    handlers.current.onClickPoint?.({
      curveNumber: p.curveNumber,
      pointIndex: (p as unknown as { pointIndex: number }).pointIndex,
      x: p.x,
      y: p.y,
      customdata: p.customdata,
    });
  });
  plot.on("plotly_legendclick", (e: { curveNumber: number }) => {
    if (!handlers.current.onLegendClick) return true;
    handlers.current.onLegendClick(e.curveNumber);
    return false;
  });
  plot.on("plotly_legenddoubleclick", () => !handlers.current.onLegendClick);
  plot.on("plotly_clickannotation", (e: { annotation: { name?: string } }) => {
    if (e.annotation.name !== undefined) handlers.current.onClickAnnotation?.(e.annotation.name);
  });
  plot.on("plotly_selected", (e: { points?: { curveNumber: number; pointIndex: number }[] } | undefined) => {
    if (!e?.points) return;
    handlers.current.onSelected?.(e.points.map((p) => ({ curveNumber: p.curveNumber, pointIndex: p.pointIndex })));
  });
  plot.on("plotly_deselect", () => handlers.current.onSelected?.(null));
  plot.on("plotly_relayout", (e: Record<string, unknown>) => {
    const y0 = e["shapes[0].y0"];
    const y1 = e["shapes[0].y1"];
    if (typeof y0 === "number" && handlers.current.onShapeMoved) {
      handlers.current.onShapeMoved(typeof y1 === "number" ? (y0 + y1) / 2 : y0);
    }
  });
}
