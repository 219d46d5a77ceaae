import { ValidationError } from "../errors.js";
import type { Matrix } from "../matrix.js";
import { type UniqueLabels, uniqueLabels } from "./uniqueLabels.js";

/**
 * Validates the labels of an internal (data-based) metric: one integer label per row of `X`, with
 * `2 <= number of labels <= n - 1`. Returns them encoded (see `uniqueLabels`). -1 is an ordinary
 * label value, as in scikit-learn.
 */
export function checkLabelsForRows(X: Matrix, labels: ArrayLike<number>): UniqueLabels {
  if (labels == null || typeof labels.length !== "number") {
    throw new ValidationError(`invalid labels: expected an array of integer labels, got ${typeof labels}`);
  }
  if (labels.length !== X.rows) {
    throw new ValidationError(
      `invalid labels: length ${labels.length} does not match X rows ${X.rows} (one label per sample)`,
    );
  }
  const encoded = uniqueLabels(labels, "labels");
  const nLabels = encoded.values.length;
  if (!(nLabels > 1 && nLabels < X.rows)) {
    throw new ValidationError(
      `invalid labels: number of labels is ${nLabels} (valid values are 2 to n_samples - 1 = ${X.rows - 1}, inclusive)`,
    );
  }
  return encoded;
}
