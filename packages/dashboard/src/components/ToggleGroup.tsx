/** A chart card's row of buttons choosing one view (`fieldset.segmented`, the chosen one `on`). */
export function ToggleGroup<T extends string | number>(props: {
  /** The group's `aria-label`. */
  label: string;
  value: T;
  options: readonly { value: T; label: string; testId?: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="segmented" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          className={props.value === o.value ? "on" : ""}
          data-testid={o.testId}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  );
}
