import type { ReactNode } from "react";

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

/** A titled panel of the results grid. */
export function ChartCard({ title, subtitle, wide, busy, children, testId, actions }: ChartCardProps) {
  return (
    <section className={`card${wide ? " card-wide" : ""}${busy ? " card-busy" : ""}`} data-testid={testId}>
      <header className="card-header">
        <div className="card-titles">
          <h2>{title}</h2>
          {subtitle ? <p className="card-subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
