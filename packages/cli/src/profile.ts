import { COLUMN_ROLES, type ColumnProfile, type DatasetProfile, profileTable, readTable } from "@clusterlab/lab";
import type { ProfileArgs } from "./args.js";
import { type CommandIO, PROGRESS_MIN_ROWS, progressPrinter, secondsSince } from "./io.js";

/** What `clusterlab profile` computed: the profile (the `--json` output) and the timings. */
export interface ProfileReport {
  profile: DatasetProfile;
  timings: { loadSeconds: number; profileSeconds: number; totalSeconds: number };
}

/** Runs `clusterlab profile`: reads the table and profiles it (the caller prints the result). */
export async function runProfile(args: ProfileArgs, io: CommandIO): Promise<ProfileReport> {
  const start = performance.now();
  const table = await readTable(args.file, {
    format: args.format,
    delimiter: args.delimiter,
    header: args.header,
    encoding: args.encoding,
    table: args.table,
  });
  const loadSeconds = secondsSince(start);
  const progress = progressPrinter(io, !args.quiet && table.nRows > PROGRESS_MIN_ROWS);
  progress(
    `loaded ${table.nRows} rows x ${table.columns.length} columns from ${args.file} in ${loadSeconds.toFixed(2)}s`,
  );
  const profileStart = performance.now();
  const profile = profileTable(table, {
    roles: args.roles,
    ...(args.target !== undefined && { target: args.target }),
    seed: args.seed,
  });
  const profileSeconds = secondsSince(profileStart);
  progress(`profiled in ${profileSeconds.toFixed(2)}s`);
  return { profile, timings: { loadSeconds, profileSeconds, totalSeconds: secondsSince(start) } };
}

/** A number with about 4 significant digits: `43.92`, `0.0123`, `4202`, `1.235e+7`. */
export function formatNumber(x: number | null): string {
  if (x === null || Number.isNaN(x)) return "n/a";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x !== 0 && (Math.abs(x) >= 1e7 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function padLeft(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 3)}...`;
}

/** The summary cell of a column in the report table. */
function columnSummary(c: ColumnProfile): string {
  if (c.count === 0) return "all missing";
  const categorical = c.role === "categorical" || c.role === "constant" || (c.role === "target" && c.categories);
  if (categorical && c.categories) {
    const cats = c.categories;
    const shown = cats.top
      .slice(0, 3)
      .map((t) => `${clip(t.value, 20)} ${t.count} (${percent(t.share)})`)
      .join(", ");
    const more = cats.top.length > 3 || cats.otherValues > 0 ? `, ... (${c.distinct} values)` : "";
    return shown + more;
  }
  if (c.numeric) {
    const n = c.numeric;
    return `mean ${formatNumber(n.mean)}, std ${formatNumber(n.std)}, min ${formatNumber(n.min)}, median ${formatNumber(n.median)}, max ${formatNumber(n.max)}`;
  }
  if (c.range) return `${c.range.min} .. ${c.range.max}`;
  if (c.lengths) return `length ${c.lengths.min}..${c.lengths.max} (mean ${formatNumber(c.lengths.mean)})`;
  return "";
}

/** Roles worth explaining: everything that is not an ordinary feature, and integer codes. */
function roleNotes(profile: DatasetProfile): string[] {
  const lines: string[] = [];
  for (const c of profile.columns) {
    const integerCode = c.role === "categorical" && c.numeric !== null && !c.userSet;
    if (c.role !== "numeric" && (c.role !== "categorical" || integerCode)) {
      const hint = integerCode ? `; --role ${c.name}=numeric to use it as a number` : "";
      lines.push(`${c.name}: ${c.role}, ${c.reason}${hint}`);
    } else if (c.userSet) {
      lines.push(`${c.name}: ${c.role}, ${c.reason}`);
    }
  }
  return lines;
}

/** The human-readable report of `clusterlab profile`. */
export function formatProfileReport(report: ProfileReport): string {
  const p = report.profile;
  const roleCounts = COLUMN_ROLES.map((role) => [role, p.columns.filter((c) => c.role === role).length] as const)
    .filter(([, count]) => count > 0)
    .map(([role, count]) => `${count} ${role}`)
    .join(", ");
  const lines = [
    `clusterlab profile ${p.source}`,
    `  rows        ${p.nRows}`,
    `  columns     ${p.nColumns} (${roleCounts})`,
    `  features    ${p.features.length}${p.features.length > 0 ? `: ${clip(p.features.join(", "), 100)}` : ""}`,
    `  target      ${p.target ?? "none (--target to name one)"}`,
    "",
  ];

  const nameWidth = Math.min(28, Math.max(6, ...p.columns.map((c) => c.name.length)));
  const typeWidth = Math.min(14, Math.max(4, ...p.columns.map((c) => c.type.length)));
  const missingCells = p.columns.map((c) => (c.missing === 0 ? "0" : `${c.missing} (${percent(c.missingShare)})`));
  const missingWidth = Math.max(7, ...missingCells.map((s) => s.length));
  const distinctWidth = Math.max(8, ...p.columns.map((c) => String(c.distinct).length));
  lines.push(
    `  ${pad("column", nameWidth)}  ${pad("role", 11)}  ${pad("type", typeWidth)}  ${padLeft("missing", missingWidth)}  ${padLeft("distinct", distinctWidth)}  summary`,
  );
  p.columns.forEach((c, j) => {
    lines.push(
      `  ${pad(clip(c.name, nameWidth), nameWidth)}  ${pad(c.role, 11)}  ${pad(clip(c.type, typeWidth), typeWidth)}  ${padLeft(missingCells[j], missingWidth)}  ${padLeft(String(c.distinct), distinctWidth)}  ${columnSummary(c)}`,
    );
  });
  lines.push("");

  const notes = roleNotes(p);
  notes.forEach((note, i) => {
    lines.push(`  ${i === 0 ? pad("roles", 12) : " ".repeat(12)}${note}`);
  });

  const m = p.missing;
  if (m.rows === 0) {
    lines.push("  missing     none");
  } else {
    const cols = m.columns
      .slice(0, 6)
      .map((c) => `${c.name} ${c.missing}`)
      .join(", ");
    const more = m.columns.length > 6 ? `, ... (${m.columns.length} columns)` : "";
    lines.push(`  missing     ${m.rows} rows (${percent(m.rowShare)}) have a missing value: ${cols}${more}`);
  }

  if (p.hopkins) {
    const h = p.hopkins;
    lines.push(
      `  hopkins     ${h.statistic.toFixed(3)}: ${h.interpretation} (about 0.5 for random data, towards 1 when clustered;`,
      `              ${h.columns.length} standardised numeric features, ${h.rows} rows, ${h.sampleSize} probes)`,
    );
  }
  if (p.correlation && p.correlation.top.length > 0) {
    const top = p.correlation.top.slice(0, 5);
    const width = Math.max(...top.map((t) => t.a.length + t.b.length + 3));
    top.forEach((t, i) => {
      const sign = t.r < 0 ? "-" : " ";
      lines.push(
        `  ${i === 0 ? pad("correlated", 12) : " ".repeat(12)}${pad(`${t.a} ~ ${t.b}`, width)}  ${sign}${Math.abs(t.r).toFixed(3)}`,
      );
    });
  }
  if (p.pca) {
    const [a, b] = p.pca.explainedVarianceRatio;
    lines.push(
      `  pca         PC1 ${percent(a)}, PC2 ${percent(b)} of the variance of ${p.pca.columns.length} standardised numeric features (--json for the map)`,
    );
  }
  p.notes.forEach((note, i) => {
    lines.push(`  ${i === 0 ? pad("notes", 12) : " ".repeat(12)}${note}`);
  });
  const t = report.timings;
  lines.push(
    "",
    `  time        load ${t.loadSeconds.toFixed(2)}s, profile ${t.profileSeconds.toFixed(2)}s, total ${t.totalSeconds.toFixed(2)}s`,
  );
  return `${lines.join("\n")}\n`;
}
