/** A labelled `<select>` over a fixed list of `{ value, label }` choices (as on the workflow pages). */
export function OptionSelect<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  testId: string;
  onChange: (value: T) => void;
}) {
  return (
    <label className="field">
      {props.label}
      <select value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
