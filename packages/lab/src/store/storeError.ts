import { ClusterlabError } from "@clusterlab/core";

/**
 * A problem with the Clusterlab store: an unknown run or dataset id, a database file held by
 * another process, a file that cannot be opened. One-line message, e.g. `unknown run: "r-12"`.
 */
export class StoreError extends ClusterlabError {
  override readonly name = "StoreError";
}
