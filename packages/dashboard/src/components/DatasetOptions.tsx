/** The `<option>`s of a dataset `<select>`: the samples, then (if any) the uploaded datasets. */
export function DatasetOptions(props: {
  samples: readonly { id: string; name: string }[];
  uploads: readonly { id: string; name: string }[];
  /** The samples' group label. */
  samplesLabel?: string;
}) {
  return (
    <>
      <optgroup label={props.samplesLabel ?? "Samples"}>
        {props.samples.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </optgroup>
      {props.uploads.length > 0 ? (
        <optgroup label="Uploaded">
          {props.uploads.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </optgroup>
      ) : null}
    </>
  );
}
