/** The name of the chosen dataset among the samples and the uploads, or `fallback` when none matches. */
export function datasetName(
  samples: readonly { id: string; name: string }[],
  uploads: readonly { id: string; name: string }[],
  id: string | null,
  fallback: string,
): string {
  return samples.find((s) => s.id === id)?.name ?? uploads.find((u) => u.id === id)?.name ?? fallback;
}
