/**
 * The column mappings of a JSON schema compiled, once per decoder, into a trie over member names and array
 * indexes. The scanner walks a document and the trie together: a member whose name is not in the trie is
 * skipped without being materialised.
 */
import { ConfigError } from '../errors.js';
import { Buffer } from 'node:buffer';
import type { PathSegment } from './json-path.js';
import { formatJsonPath } from './json-path.js';

/** A column whose value is the JSON value at a trie node. */
export interface Terminal {
  readonly column: number;
  /** `$.arr[0:]`: the whole array as its JSON text (NULL when the value is not an array). */
  readonly wholeArray: boolean;
  /** The column takes one value per element of the flattened array. */
  readonly inFlatten: boolean;
  /**
   * For REAL and DOUBLE columns the largest magnitude they hold: a JSON number within it goes in unchanged,
   * without a coercion call (the commonest numeric case). -1 for other columns.
   */
  readonly plainNumberMax: number;
}

/** An object member the trie descends into; `bytes` let the scanner match a key without decoding it. */
export interface TrieKey {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly node: TrieNode;
}

/** A member name predicted at a position of an object (see TrieNode.order). */
export interface PredictedKey {
  readonly bytes: Uint8Array;
  readonly node: TrieNode | null;
}

export class TrieNode {
  readonly keys: TrieKey[] = [];
  readonly byName = new Map<string, TrieNode>();
  /** Children by array index (sparse). */
  readonly indexes: (TrieNode | undefined)[] = [];
  /** `[0:]` followed by more segments: the subtree applied to every element (flattening). */
  flatten: TrieNode | null = null;
  readonly terminals: Terminal[] = [];
  /**
   * For arrays: the node to scan element i with (index child merged with the flatten subtree); elements past
   * the end use `flatten`. Built by {@link finishTrie}.
   */
  elementNodes: (TrieNode | null)[] = [];
  /**
   * The member names last seen at each position of the objects this node scans (raw bytes and the child
   * they lead to, null when unmapped). Records of a stream mostly share one layout, so the scanner first
   * checks the name predicted for the position: one comparison instead of a scan and a lookup.
   */
  readonly order: (PredictedKey | undefined)[] = [];
  /** The node's only terminal when it has no children (the common leaf `$.x`): a shorter scan path. */
  leaf: Terminal | null = null;

  child(name: string): TrieNode {
    let node = this.byName.get(name);
    if (node === undefined) {
      node = new TrieNode();
      this.addKey(name, node);
    }
    return node;
  }

  addKey(name: string, node: TrieNode): void {
    const bytes = new Uint8Array(Buffer.from(name, 'utf8'));
    this.byName.set(name, node);
    this.keys.push({ name, bytes, node });
  }

  indexChild(index: number): TrieNode {
    let node = this.indexes[index];
    if (node === undefined) {
      node = new TrieNode();
      this.indexes[index] = node;
    }
    return node;
  }

  /** Whether the scanner must walk into an array at this node (rather than skip it). */
  get walksArrays(): boolean {
    return this.flatten !== null || this.indexes.length > 0;
  }
}

/** Merges two subtrees that apply to the same value (an index child and the flatten subtree). */
function merge(a: TrieNode, b: TrieNode): TrieNode {
  const m = new TrieNode();
  m.terminals.push(...a.terminals, ...b.terminals);
  for (const src of [a, b]) {
    for (const k of src.keys) {
      const existing = m.byName.get(k.name);
      if (existing === undefined) m.addKey(k.name, k.node);
      else {
        const merged = merge(existing, k.node);
        m.byName.set(k.name, merged);
        const i = m.keys.findIndex((x) => x.name === k.name);
        m.keys[i] = { ...m.keys[i], node: merged };
      }
    }
    src.indexes.forEach((node, i) => {
      if (node === undefined) return;
      const existing = m.indexes[i];
      m.indexes[i] = existing === undefined ? node : merge(existing, node);
    });
  }
  m.flatten = a.flatten && b.flatten ? merge(a.flatten, b.flatten) : (a.flatten ?? b.flatten);
  return m;
}

/** Computes `elementNodes` everywhere below `node` (after all paths were added). */
export function finishTrie(node: TrieNode): void {
  for (const k of node.keys) finishTrie(k.node);
  for (const n of node.indexes) if (n !== undefined) finishTrie(n);
  if (node.flatten) finishTrie(node.flatten);
  // A plain loop, not map(): `indexes` is sparse and map() would keep its holes.
  const elementNodes: (TrieNode | null)[] = [];
  for (let i = 0; i < node.indexes.length; i++) {
    const n = node.indexes[i];
    elementNodes.push(n === undefined ? node.flatten : node.flatten ? merge(n, node.flatten) : n);
  }
  node.elementNodes = elementNodes;
  const plainLeaf = node.keys.length === 0 && !node.walksArrays && node.terminals.length === 1 && !node.terminals[0].wholeArray;
  node.leaf = plainLeaf ? node.terminals[0] : null;
  for (const n of node.elementNodes) if (n !== null && n !== node.flatten && !node.indexes.includes(n)) finishTrie(n);
}

/** A mapping the trie cannot hold; `detail` says why, and the caller names the field. */
export class MappingError extends ConfigError {
  constructor(detail: string) {
    super(undefined, detail);
  }
}

export interface CompiledTrie {
  readonly root: TrieNode;
  /** The flattened array's path (e.g. `$.orders[0:]`), or null when no column flattens. */
  readonly flattenPath: string | null;
  /** Per column: whether it takes one value per flattened element. */
  readonly inFlatten: readonly boolean[];
}

/**
 * Builds the trie of a schema's column paths (already relative to the row); `plainNumberMax` per column, see
 * Terminal.
 * `onError(column, message)` is
 * called for a mapping the trie rejects (then the build stops by throwing MappingError from the callback).
 */
export function buildTrie(
  paths: readonly (readonly PathSegment[])[],
  plainNumberMax: readonly number[],
  onError: (column: number, message: string) => never,
): CompiledTrie {
  const root = new TrieNode();
  let flattenPath: string | null = null;
  let flattenColumn = -1;
  const inFlatten: boolean[] = [];
  paths.forEach((segments, column) => {
    // KDA dereferences one array level: a `[0:]` followed by more of the path flattens that array, and a path
    // may do that once. A `[0:]` that ends the path returns the whole array as text, inside a flattened element
    // too (`$.txs[0:].inputs[0:]`: one row per transaction, its inputs as JSON text).
    const wholeArray = segments.length > 0 && segments[segments.length - 1].kind === 'all';
    const flattens = segments.slice(0, wholeArray ? -1 : undefined).flatMap((s, i) => (s.kind === 'all' ? [i] : []));
    if (flattens.length > 1) {
      onError(column, `only one array level can be dereferenced: ${formatJsonPath(segments)} goes into the elements of ${flattens.length} arrays (KDA flattens one, and returns an array at the end of a path as its JSON text)`);
    }
    const allAt = flattens.length > 0 ? flattens[0] : -1;
    const flattening = allAt >= 0;
    if (flattening) {
      const prefix = formatJsonPath(segments.slice(0, allAt + 1));
      if (flattenPath !== null && flattenPath !== prefix) {
        onError(column, `only one array can be flattened per schema: columns[${flattenColumn}] already flattens ${flattenPath}, this one flattens ${prefix}`);
      }
      flattenPath = prefix;
      flattenColumn = column;
    }
    let node = root;
    const end = wholeArray ? segments.length - 1 : segments.length;
    for (let i = 0; i < end; i++) {
      const s = segments[i];
      if (s.kind === 'key') node = node.child(s.name);
      else if (s.kind === 'index') node = node.indexChild(s.index);
      else {
        node.flatten ??= new TrieNode();
        node = node.flatten;
      }
    }
    node.terminals.push({ column, wholeArray, inFlatten: flattening, plainNumberMax: plainNumberMax[column] ?? -1 });
    inFlatten.push(flattening);
  });
  finishTrie(root);
  return { root, flattenPath, inFlatten };
}
