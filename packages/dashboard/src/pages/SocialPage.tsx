import {
  clusterColor,
  engagementBySegmentFigure,
  formatMetric,
  groupColor,
  liftFigure,
  percent,
  postClustersFigure,
} from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import { type SocialResult, workflowApi } from "../api.js";
import { AutoKField } from "../components/AutoKField.js";
import { ChartCard } from "../components/ChartCard.js";
import { datasetName } from "../components/datasetName.js";
import { Plot } from "../components/Plot.js";
import { DatasetPicker, useUploads, useWorkflowSamples } from "../components/workflows/DatasetPicker.js";
import { useDebounced, useWorkflowRequest } from "../components/workflows/useWorkflowRequest.js";
import { ControlSection, Tile, WorkflowShell } from "../components/workflows/WorkflowShell.js";
import type { PageContext } from "./registry.js";

const HOURS = Array.from({ length: 24 }, (_, h) => `${h} h`);
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

/** The largest shares of a mix, as "video 62% · photo 20%". */
function topMix(mix: Record<string, number>, n = 2): string {
  return Object.entries(mix)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${percent(v)}`)
    .join(" · ");
}

/** Social media: engagement features, account and post clusters, and what works when, with which content. */
export function SocialPage({ datasets, onError }: PageContext) {
  const samples = useWorkflowSamples(onError);
  const bundled = useMemo(() => (samples?.samples ?? []).filter((s) => s.workflow === "social"), [samples]);
  const [uploads, addUpload] = useUploads(datasets);
  const [dataset, setDataset] = useState<string | null>(null);
  const [accountAuto, setAccountAuto] = useState(false);
  const [accountK, setAccountK] = useState(5);
  const [postAuto, setPostAuto] = useState(true);
  const [postK, setPostK] = useState(4);
  const request = useWorkflowRequest<SocialResult>();
  const { run } = request;

  useEffect(() => {
    if (dataset === null && bundled.length > 0) setDataset(bundled[0].id);
  }, [dataset, bundled]);
  useDebounced(
    () => {
      if (!dataset) return;
      run("social", (jobId, signal) =>
        workflowApi.social(
          { dataset, accountK: accountAuto ? null : accountK, postK: postAuto ? null : postK, jobId },
          signal,
        ),
      );
    },
    dataset ? JSON.stringify([dataset, accountAuto, accountK, postAuto, postK]) : "",
    300,
  );

  const r = request.result;
  const name = datasetName(bundled, uploads, dataset, "Posts");

  const controls = (
    <>
      <ControlSection title="Posts">
        <DatasetPicker
          samples={bundled}
          uploads={uploads}
          value={dataset}
          maxUploadMb={100}
          testId="social-dataset"
          onChange={setDataset}
          onUploaded={addUpload}
          onError={onError}
        />
        <p className="wf-note">
          An upload needs the columns account, posted_at, likes, comments, shares and impressions or followers (type and
          text are used when present).
        </p>
      </ControlSection>
      <ControlSection title="Account segments">
        <AutoKField
          label="Account clusters"
          auto={accountAuto}
          onAutoChange={setAccountAuto}
          autoTestId="social-account-auto"
          k={accountK}
          onKChange={setAccountK}
          testId="social-account-k"
        />
      </ControlSection>
      <ControlSection title="Post clusters">
        <AutoKField
          label="Post clusters"
          auto={postAuto}
          onAutoChange={setPostAuto}
          autoTestId="social-post-auto"
          k={postK}
          onKChange={setPostK}
          testId="social-post-k"
        />
        <p className="wf-note">
          Lift = a post's engagement rate over its own account's median, so big and small accounts compare fairly.
        </p>
      </ControlSection>
    </>
  );

  const all = r?.whatWorks.find((g) => g.cluster === null);
  return (
    <WorkflowShell
      id="social"
      title={name}
      intro="Accounts and posts grouped by behaviour; which content, hours and days get engagement"
      controls={controls}
      request={request}
    >
      {r ? (
        <>
          <div className="metrics">
            <Tile
              label="Posts"
              value={r.nPosts.toLocaleString("en-US")}
              hint={`${r.firstPost.slice(0, 10)} to ${r.lastPost.slice(0, 10)}`}
              testId="posts"
            />
            <Tile
              label="Accounts"
              value={String(r.nAccounts)}
              hint={`${Math.round(r.windowDays)} days`}
              testId="accounts"
            />
            <Tile
              label="Median engagement"
              value={all ? `${(all.medianRate * 100).toFixed(2)}%` : "–"}
              hint={`per ${r.rateBasis === "impressions" ? "impression" : "follower"}`}
              testId="rate"
            />
            <Tile
              label="Account segments"
              value={String(r.accounts.k)}
              hint={`silhouette ${formatMetric(r.accounts.silhouette)}`}
              testId="account-k"
            />
            <Tile
              label="Post clusters"
              value={String(r.posts.k)}
              hint={r.posts.chosenBy === "user" ? "chosen" : `by ${r.posts.chosenBy}`}
              testId="post-k"
            />
            {r.comparison ? (
              <Tile
                label="vs known segments"
                value={formatMetric(r.comparison.ari)}
                hint={`ARI against ${r.comparison.segmentColumn}`}
                testId="ari"
              />
            ) : null}
          </div>
          {r.warnings.length > 0 ? <div className="banner banner-warning">{r.warnings.join(" · ")}</div> : null}
          <div className="grid">
            <ChartCard
              title="Engagement by account segment"
              subtitle="median engagement rate of each segment's accounts; dashed: all posts"
              busy={request.busy}
              testId="card-social-segments"
            >
              <Plot figure={engagementBySegmentFigure(r)} testId="social-segments" height={330} />
            </ChartCard>
            <ChartCard
              title="Post clusters"
              subtitle="kinds of posts (type, timing, text) and how they do against their account's usual"
              busy={request.busy}
              testId="card-social-posts"
            >
              <Plot figure={postClustersFigure(r.posts)} testId="social-posts" height={330} />
            </ChartCard>
            <ChartCard
              title="What works: content type"
              subtitle="lift by post type, for all accounts and each segment (1 = the account's typical post)"
              wide
              busy={request.busy}
              testId="card-social-type"
            >
              <Plot figure={liftFigure(r.whatWorks, "type", "bar", r.types)} testId="social-type" height={320} />
            </ChartCard>
            <ChartCard
              title="What works: hour of the day"
              subtitle="lift by posting hour (hours with fewer than 10 posts left out)"
              busy={request.busy}
              testId="card-social-hour"
            >
              <Plot figure={liftFigure(r.whatWorks, "hour", "line", HOURS)} testId="social-hour" height={330} lazy />
            </ChartCard>
            <ChartCard
              title="What works: day of the week"
              subtitle="lift by posting weekday"
              busy={request.busy}
              testId="card-social-day"
            >
              <Plot figure={liftFigure(r.whatWorks, "day", "line", DAYS)} testId="social-day" height={330} lazy />
            </ChartCard>
            <ChartCard title="Account segments" subtitle="who is in each segment" wide testId="card-social-accounts">
              <div className="wf-table-wrap">
                <table className="wf-table" data-testid="social-accounts">
                  <thead>
                    <tr>
                      <th>Segment</th>
                      <th className="num">Accounts</th>
                      <th className="num">Posts / week</th>
                      <th className="num">Followers</th>
                      <th className="num">Median rate</th>
                      <th>Content</th>
                      <th>Accounts</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.accounts.profiles.map((p) => (
                      <tr key={p.cluster}>
                        <td>
                          <span
                            className="wf-dot"
                            style={{ background: clusterColor(p.cluster), display: "inline-block" }}
                          />{" "}
                          <b>{p.cluster}</b> · {p.name}
                        </td>
                        <td className="num">{p.size}</td>
                        <td className="num">{p.postsPerWeek.toFixed(1)}</td>
                        <td className="num">{compact(p.followers)}</td>
                        <td className="num">{(p.medianRate * 100).toFixed(2)}%</td>
                        <td>{topMix(p.typeMix)}</td>
                        <td className="muted">
                          {p.accounts.slice(0, 4).join(", ")}
                          {p.accounts.length > 4 ? ` +${p.accounts.length - 4}` : ""}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </ChartCard>
            <ChartCard
              title="What works, in words"
              subtitle="per group: the best and the worst level of each attribute (by lift)"
              wide
              testId="card-social-summary"
            >
              <div className="wf-cluster-grid" data-testid="social-summary">
                {r.whatWorks.map((g) => (
                  <div key={g.group}>
                    <div className="wf-cluster-header">
                      <span className="wf-dot" style={{ background: groupColor(g) }} />
                      <h2>{g.group}</h2>
                      <span className="muted small">
                        {g.accounts} accounts · {g.posts.toLocaleString("en-US")} posts
                      </span>
                    </div>
                    <ul className="wf-summary">
                      {g.summary.slice(0, 5).map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            </ChartCard>
          </div>
        </>
      ) : (
        <div className="skeleton" style={{ height: 420 }} />
      )}
    </WorkflowShell>
  );
}
