import { SliderField } from "./workflows/WorkflowShell.js";

/** A "choose k by silhouette" checkbox over a k slider (the slider disabled while the checkbox is on). */
export function AutoKField(props: {
  label: string;
  auto: boolean;
  onAutoChange: (auto: boolean) => void;
  /** Test id of the checkbox. */
  autoTestId: string;
  k: number;
  onKChange: (k: number) => void;
  /** Test id of the slider. */
  testId: string;
  min?: number;
  max?: number;
}) {
  return (
    <>
      <label className="check wf-inline">
        <input
          type="checkbox"
          checked={props.auto}
          data-testid={props.autoTestId}
          onChange={(e) => props.onAutoChange(e.target.checked)}
        />
        choose k by silhouette
      </label>
      <SliderField
        label={props.label}
        value={props.k}
        min={props.min ?? 2}
        max={props.max ?? 10}
        disabled={props.auto}
        testId={props.testId}
        onChange={props.onKChange}
      />
    </>
  );
}
