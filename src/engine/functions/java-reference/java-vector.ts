/** One JDK answer in java-reference-vectors.json: what `kind` computed from `args`. */
export interface JavaVector {
  readonly kind: 'parse' | 'format' | 'replace' | 'find' | 'double' | 'float';
  readonly args: readonly string[];
  readonly java: string;
}
