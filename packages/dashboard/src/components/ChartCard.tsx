import type { ReactNode } from "react";

interface ChartCardProps {
  title: string;
  subtitle?: ReactNode;
  wide?: boolean;
  busy?: boolean;
  children: ReactNode;
  testId?: string;
}

/** A titled panel of the results grid. */
export function ChartCard({ title, subtitle, wide, busy, children, testId }: ChartCardProps) {
  return (
    <section className={`card${wide ? " card-wide" : ""}${busy ? " card-busy" : ""}`} data-testid={testId}>
      <header className="card-header">
        <h2>{title}</h2>
        {subtitle ? <p className="card-subtitle">{subtitle}</p> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
