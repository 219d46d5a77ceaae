/**
 * scikit-learn's `_hc_cut`: starting from the root, repeatedly replace the cluster with the
 * largest node id by its two children until there are `nClusters`; cluster labels are the
 * positions in Python's `heapq` list of negated ids, so replaying heapq exactly gives the very
 * same label numbers as scikit-learn. `children` holds the merges as pairs (row-major).
 */
export function hcCut(nClusters: number, children: Int32Array, nLeaves: number): Int32Array {
  const merges = children.length / 2;
  const last = merges - 1;
  const heap: number[] = [-(Math.max(children[2 * last], children[2 * last + 1]) + 1)];
  for (let c = 1; c < nClusters; c++) {
    const row = -heap[0] - nLeaves;
    heapPush(heap, -children[2 * row]);
    heapPushPop(heap, -children[2 * row + 1]);
  }
  const labels = new Int32Array(nLeaves);
  const stack: number[] = [];
  for (let label = 0; label < heap.length; label++) {
    stack.push(-heap[label]);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      if (node < nLeaves) {
        labels[node] = label;
      } else {
        const r = node - nLeaves;
        stack.push(children[2 * r], children[2 * r + 1]);
      }
    }
  }
  return labels;
}

// Python's heapq (_siftdown / _siftup), on numbers.
function siftDown(heap: number[], start: number, pos: number): void {
  const item = heap[pos];
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos];
    if (item < parent) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

function siftUp(heap: number[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos];
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child] < heap[right])) child = right;
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}

function heapPush(heap: number[], item: number): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1);
}

function heapPushPop(heap: number[], item: number): number {
  if (heap.length > 0 && heap[0] < item) {
    const top = heap[0];
    heap[0] = item;
    siftUp(heap, 0);
    return top;
  }
  return item;
}
