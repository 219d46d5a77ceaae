/** A JavaScript number from a SQL result value (number, bigint or numeric text). */
export function sqlNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") return Number(v);
  if (v === null || v === undefined) return Number.NaN;
  return Number(v);
}
