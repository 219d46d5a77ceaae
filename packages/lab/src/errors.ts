import { ClusterlabError } from "@clusterlab/core";

/**
 * A problem with an input or output file (missing, empty, malformed, wrong columns). The message
 * is one line meant for the user, e.g. `file not found: data.csv`.
 */
export class DataError extends ClusterlabError {
  override readonly name = "DataError";
}
