/**
 * The subset of JSONPath that KDA input schemas accept (DG about-json-path.html): `$`, member access `.name`
 * (or `['name']`), one array element `[n]`, and the whole array `[0:]` (as text when it ends the path,
 * flattened into one row per element when more segments follow it; one array level is flattened, see
 * path-trie.ts). Anything else is rejected when the decoder is built, so a schema never silently maps nothing.
 */
import { ConfigError } from '../errors.js';

export type PathSegment =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  /** `[0:]`: every element of the array. */
  | { readonly kind: 'all' };

/** Thrown by {@link parseJsonPath}; callers wrap it in a ConfigError naming the field. */
export class JsonPathSyntaxError extends ConfigError {
  constructor(detail: string) {
    super(undefined, detail);
  }
}

/**
 * Parses a KDA JSONPath into its segments.
 *
 * @example
 * parseJsonPath('$.orders[0:].orderId') // [{kind:'key',name:'orders'}, {kind:'all'}, {kind:'key',name:'orderId'}]
 */
export function parseJsonPath(text: string): PathSegment[] {
  if (typeof text !== 'string' || text.length === 0) throw new JsonPathSyntaxError('a JSONPath is required (e.g. $.TICKER)');
  if (text[0] !== '$') throw new JsonPathSyntaxError(`'${text}' must start with '$'`);
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (text[i + 1] === '.') throw new JsonPathSyntaxError(`'${text}': recursive descent '..' is not supported`);
      let j = i + 1;
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
      const name = text.slice(i + 1, j);
      if (name.length === 0) throw new JsonPathSyntaxError(`'${text}': a member name is missing after '.' at position ${i}`);
      if (name === '*') throw new JsonPathSyntaxError(`'${text}': the wildcard '*' is not supported`);
      segments.push({ kind: 'key', name });
      i = j;
    } else if (c === '[') {
      const q = text[i + 1];
      if (q === "'" || q === '"') {
        const close = text.indexOf(q, i + 2);
        if (close < 0 || text[close + 1] !== ']') throw new JsonPathSyntaxError(`'${text}': unterminated quoted name at position ${i}`);
        segments.push({ kind: 'key', name: text.slice(i + 2, close) });
        i = close + 2;
        continue;
      }
      const close = text.indexOf(']', i);
      if (close < 0) throw new JsonPathSyntaxError(`'${text}': '[' at position ${i} is not closed`);
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) {
        const index = Number(inner);
        if (!Number.isSafeInteger(index)) throw new JsonPathSyntaxError(`'${text}': array index ${inner} is too large`);
        segments.push({ kind: 'index', index });
      } else if (/^0\s*:$/.test(inner)) {
        segments.push({ kind: 'all' });
      } else {
        throw new JsonPathSyntaxError(
          `'${text}': '[${inner}]' is not supported; use an element index like [0] or the whole array [0:]`,
        );
      }
      i = close + 1;
    } else {
      throw new JsonPathSyntaxError(`'${text}': unexpected '${c}' at position ${i}; expected '.' or '['`);
    }
  }
  return segments;
}

/** The path written back as text, in the canonical `$.a[0][0:]` form (for messages). */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (s.kind === 'key') out += /^[^.[\]'"]+$/.test(s.name) ? `.${s.name}` : `['${s.name}']`;
    else if (s.kind === 'index') out += `[${s.index}]`;
    else out += '[0:]';
  }
  return out;
}
