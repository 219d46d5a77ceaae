import { clusterColor, formatBytes, paletteFigure, percent } from "@clusterlab/charts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type ImageSegmentResult, type ImageSpace, type WorkflowImage, withToken, workflowApi } from "../api.js";
import { ChartCard } from "../components/ChartCard.js";
import { DatasetOptions } from "../components/DatasetOptions.js";
import { Plot } from "../components/Plot.js";
import { useWorkflowSamples } from "../components/workflows/DatasetPicker.js";
import { useDebounced, useWorkflowRequest } from "../components/workflows/useWorkflowRequest.js";
import { ControlSection, Segmented, SliderField, Tile, WorkflowShell } from "../components/workflows/WorkflowShell.js";
import type { PageContext } from "./registry.js";

type View = "segmented" | "overlay" | "mask";

const ACCEPT = "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp";

/** The label mask drawn with the cluster colours (pixel value c -> `clusterColor(c)`, 255 transparent). */
function MaskCanvas({ src, width, height }: { src: string; width: number; height: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const image = new Image();
    image.onload = () => {
      const c = canvas.current;
      const ctx = c?.getContext("2d");
      if (!c || !ctx) return;
      ctx.drawImage(image, 0, 0);
      const pixels = ctx.getImageData(0, 0, c.width, c.height);
      const d = pixels.data;
      const rgb = Array.from({ length: 256 }, (_, v) => {
        const hex = clusterColor(v);
        const n = Number.parseInt(hex.slice(1), 16);
        return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      });
      for (let i = 0; i < d.length; i += 4) {
        const v = d[i];
        if (v === 255) {
          d[i + 3] = 0;
          continue;
        }
        d[i] = rgb[v][0];
        d[i + 1] = rgb[v][1];
        d[i + 2] = rgb[v][2];
        d[i + 3] = 255;
      }
      ctx.putImageData(pixels, 0, 0);
    };
    image.src = src;
  }, [src]);
  return <canvas ref={canvas} width={width} height={height} className="wf-image" data-testid="mask-canvas" />;
}

/** Image segmentation: pixels clustered by colour (CIELAB or RGB, optionally with position). */
export function ImagePage({ onError }: PageContext) {
  const samples = useWorkflowSamples(onError);
  const bundled = useMemo(() => (samples?.samples ?? []).filter((s) => s.workflow === "image"), [samples]);
  const [uploaded, setUploaded] = useState<WorkflowImage[]>([]);
  const [image, setImage] = useState<string>("coffee");
  const [k, setK] = useState(6);
  const [space, setSpace] = useState<ImageSpace>("lab");
  const [spatial, setSpatial] = useState(0);
  const [view, setView] = useState<View>("segmented");
  const [uploading, setUploading] = useState(false);
  const request = useWorkflowRequest<ImageSegmentResult>();
  const { run } = request;

  // Images uploaded earlier are kept by the server: list them too.
  useEffect(() => {
    workflowApi
      .images()
      .then((r) => setUploaded((list) => [...r.images.filter((i) => !list.some((l) => l.id === i.id)), ...list]))
      .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
  }, [onError]);

  useDebounced(
    () => run("image", (jobId, signal) => workflowApi.segmentImage({ image, k, space, spatial, jobId }, signal)),
    JSON.stringify([image, k, space, spatial]),
    120,
  );

  const maxMb = samples?.maxImageMb ?? 25;
  const upload = useCallback(
    (file: File | undefined) => {
      if (!file) return;
      if (file.size > maxMb * 1048576) {
        onError(`image too large: ${file.name} is ${formatBytes(file.size)}, over the ${maxMb} MB limit`);
        return;
      }
      setUploading(true);
      workflowApi
        .uploadImage(file)
        .then((img) => {
          setUploaded((list) => [...list, img]);
          setImage(img.id);
        })
        .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)))
        .finally(() => setUploading(false));
    },
    [maxMb, onError],
  );

  const info =
    uploaded.find((u) => u.id === image) ??
    bundled
      .filter((s) => s.id === image)
      .map((s) => ({
        id: s.id,
        name: s.name,
        width: s.width ?? 0,
        height: s.height ?? 0,
        originalUrl: `/api/workflows/images/${s.id}/original`,
      }))[0];
  const shown = request.result;
  const base = (info?.name ?? "image").replace(/\.[^.]*$/, "");

  const controls = (
    <>
      <ControlSection title="Image">
        <label className="field">
          Image
          <select value={image} data-testid="image-select" onChange={(e) => setImage(e.target.value)}>
            <DatasetOptions samples={bundled} uploads={uploaded} samplesLabel="Bundled example" />
          </select>
        </label>
        <label className={`dropzone${uploading ? " dropzone-busy" : ""}`} data-testid="image-dropzone">
          <input
            type="file"
            accept={ACCEPT}
            data-testid="image-upload"
            onChange={(e) => {
              upload(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
          <span className="dropzone-icon" aria-hidden="true">
            ⇪
          </span>
          <span className="dropzone-text">
            {uploading ? (
              "Uploading…"
            ) : (
              <>
                Upload an image or <span className="link">browse</span>
              </>
            )}
          </span>
          <span className="dropzone-hint">PNG, JPEG or WebP · up to {maxMb} MB</span>
        </label>
      </ControlSection>
      <ControlSection title="Segmentation">
        <SliderField label="Colours (k)" value={k} min={2} max={16} testId="image-k" onChange={setK} />
        <div className="field">
          Colour space
          <Segmented
            value={space}
            testId="image-space"
            options={[
              { value: "lab", label: "CIELAB" },
              { value: "rgb", label: "RGB" },
            ]}
            onChange={setSpace}
          />
        </div>
        <SliderField
          label="Spatial weight"
          value={spatial}
          min={0}
          max={2}
          step={0.1}
          testId="image-spatial"
          format={(v) => v.toFixed(1)}
          onChange={setSpatial}
        />
        <p className="wf-note">
          k-means on the pixels' colours{spatial > 0 ? " and positions" : ""}, fitted on a sample of at most 50 000
          pixels, then every pixel is assigned. 0 = colour only; around 0.5–1 gives compact regions.
        </p>
      </ControlSection>
      {shown ? (
        <ControlSection title="Download">
          <a className="button" href={shown.segmented} download={`${base}-segmented-k${shown.k}.png`}>
            Segmented image (PNG)
          </a>
          <a className="button button-secondary" href={shown.mask} download={`${base}-mask-k${shown.k}.png`}>
            Label mask (PNG)
          </a>
        </ControlSection>
      ) : null}
    </>
  );

  return (
    <WorkflowShell
      id="image"
      title={info?.name ?? "Image"}
      intro={
        info ? (
          <>
            {info.width} × {info.height} pixels · pixels clustered by colour into a palette
          </>
        ) : (
          "Pixels clustered by colour"
        )
      }
      controls={controls}
      request={request}
      busy={request.busy || uploading}
    >
      {shown ? (
        <div className="metrics">
          <Tile label="Colours" value={String(shown.k)} hint={`of k = ${k} asked`} testId="k" />
          <Tile
            label="Pixels"
            value={shown.pixels.toLocaleString("en-US")}
            hint={`fitted on ${shown.sampleSize.toLocaleString("en-US")}`}
            testId="pixels"
          />
          <Tile
            label="Distinct colours"
            value={shown.distinctColors.toLocaleString("en-US")}
            hint="in the original"
            testId="distinct"
          />
          <Tile
            label="Largest colour"
            value={percent(shown.palette[0]?.share ?? 0)}
            hint={shown.palette[0]?.hex ?? ""}
            testId="largest"
          />
          <Tile
            label="Segmentation"
            value={
              shown.segmentSeconds < 1
                ? `${Math.round(shown.segmentSeconds * 1000)} ms`
                : `${shown.segmentSeconds.toFixed(1)} s`
            }
            hint={
              shown.cached ? "cached: no refit" : `to fit and assign, in ${shown.space === "lab" ? "CIELAB" : "RGB"}`
            }
            testId="time"
          />
        </div>
      ) : (
        <div className="metrics metrics-placeholder skeleton" />
      )}
      {shown && shown.warnings.length > 0 ? (
        <div className="banner banner-warning">{shown.warnings.join(" · ")}</div>
      ) : null}
      <div className="grid">
        <ChartCard
          title="Original"
          subtitle={info ? `${info.width} × ${info.height}` : undefined}
          testId="card-original"
        >
          {info ? (
            <img
              className="wf-image"
              src={withToken(info.originalUrl)}
              alt={`original: ${info.name}`}
              data-testid="original-image"
            />
          ) : (
            <div className="empty">Loading…</div>
          )}
        </ChartCard>
        <ChartCard
          title={view === "segmented" ? "Segmented" : view === "overlay" ? "Boundaries" : "Label mask"}
          subtitle={
            shown
              ? view === "segmented"
                ? `every pixel painted with its cluster's mean colour (${shown.k} colours)`
                : view === "overlay"
                  ? "cluster boundaries drawn over the original"
                  : "one colour per cluster (the chart colours)"
              : undefined
          }
          busy={request.busy}
          testId="card-segmented"
          actions={
            <Segmented
              value={view}
              testId="image-view"
              options={[
                { value: "segmented", label: "Segmented" },
                { value: "overlay", label: "Overlay" },
                { value: "mask", label: "Mask" },
              ]}
              onChange={setView}
            />
          }
        >
          {shown ? (
            view === "mask" ? (
              <MaskCanvas src={shown.mask} width={shown.width} height={shown.height} />
            ) : (
              <img
                className="wf-image"
                src={view === "segmented" ? shown.segmented : shown.overlay}
                alt={view}
                data-testid="segmented-image"
                data-k={shown.k}
              />
            )
          ) : (
            <div className="empty">Segmenting…</div>
          )}
        </ChartCard>
        <ChartCard
          title="Palette"
          subtitle="each cluster's mean colour and its share of the pixels"
          wide
          busy={request.busy}
          testId="card-palette"
        >
          {shown ? (
            <div className="wf-palette">
              <Plot figure={paletteFigure(shown.palette)} testId="palette" height={Math.max(160, 34 * shown.k + 50)} />
              <ul className="wf-swatches" data-testid="swatches">
                {shown.palette.map((p, c) => (
                  <li key={p.hex + String(c)}>
                    <span className="wf-swatch" style={{ background: p.hex }} />
                    <span className="wf-swatch-hex">{p.hex}</span>
                    <span className="muted">{percent(p.share)}</span>
                    <span className="wf-swatch-lab muted">
                      L* {p.lab[0].toFixed(0)} a* {p.lab[1].toFixed(0)} b* {p.lab[2].toFixed(0)}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <div className="skeleton" style={{ height: 200 }} />
          )}
        </ChartCard>
      </div>
    </WorkflowShell>
  );
}
