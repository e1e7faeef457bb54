import { PlanError } from '../errors.js';
import type { Identifier, Pos } from '../sql/ast.js';
import type { BoundExpr } from './bound-expr.js';
import type { ColumnInfo } from './schema.js';

/** One relation visible in a FROM clause: its names and where its columns sit in the row. */
export interface ScopeRelation {
  /** The alias, or the stream name when there is no alias; null for an unaliased subquery. */
  readonly name: string | null;
  /** Other names the relation answers to (the stream name when aliased, schema-qualified forms). */
  readonly altNames: readonly string[];
  readonly columns: readonly ColumnInfo[];
  /** Columns that exist but are left out of `*` (APPROXIMATE_ARRIVAL_TIME). */
  readonly hidden: ReadonlySet<string>;
  readonly offset: number;
  /** Where this relation's own ROWTIME sits in the row (a side of a stream join); absent: ROWTIME is the row's time. */
  readonly rowtimeIndex?: number;
  /**
   * Columns merged into the other side's by JOIN ... USING / NATURAL JOIN: an unqualified name and `*` mean
   * the other side's column; qualified, this one is still readable.
   */
  readonly shadowed?: ReadonlySet<string>;
}

/** Names visible to an expression: relations of the FROM clause and, in a function body, parameters. */
export class Scope {
  constructor(
    readonly relations: readonly ScopeRelation[],
    readonly params: readonly { readonly name: string; readonly type: ColumnInfo['type'] }[] = [],
  ) {}

  /** Resolves a (possibly qualified) column reference; ROWTIME resolves to the row's time. */
  resolve(parts: readonly Identifier[], pos: Pos): BoundExpr {
    const col = parts[parts.length - 1];
    const qualifier = parts.length > 1 ? parts[parts.length - 2] : null;
    if (qualifier === null && this.params.length > 0) {
      const p = this.params.findIndex((x) => x.name === col.name);
      if (p >= 0) return { kind: 'param', index: p, type: this.params[p].type };
    }
    let rels = this.relations;
    if (qualifier !== null) {
      rels = this.relations.filter((r) => r.name === qualifier.name || r.altNames.includes(qualifier.name));
      if (rels.length === 0) {
        const known = this.relations.map((r) => r.name).filter((n) => n !== null);
        throw new PlanError(`unknown stream or alias ${quoteName(qualifier)} (in scope: ${known.map((n) => `"${n}"`).join(', ') || 'none'})`, qualifier.pos);
      }
    }
    if (!col.quoted && col.name === 'ROWTIME') {
      if (rels.length === 0) throw new PlanError('ROWTIME is not available here', pos);
      // `s.ROWTIME` of one side of a stream join is that side's time; unqualified ROWTIME is the output row's.
      if (qualifier !== null && rels.length === 1 && rels[0].rowtimeIndex !== undefined) return { kind: 'column', index: rels[0].rowtimeIndex, type: { kind: 'TIMESTAMP' } };
      return { kind: 'rowtime', type: { kind: 'TIMESTAMP' } };
    }
    const hits: BoundExpr[] = [];
    for (const r of rels) {
      if (qualifier === null && r.shadowed?.has(col.name)) continue;
      const i = r.columns.findIndex((c) => c.name === col.name);
      if (i >= 0) hits.push(readColumn(r.columns[i], r.offset + i));
    }
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new PlanError(`column ${quoteName(col)} is ambiguous; qualify it with the stream or alias`, col.pos);
    if (col.quoted && col.name === 'ROWTIME' && rels.length > 0) {
      if (qualifier !== null && rels.length === 1 && rels[0].rowtimeIndex !== undefined) return { kind: 'column', index: rels[0].rowtimeIndex, type: { kind: 'TIMESTAMP' } };
      return { kind: 'rowtime', type: { kind: 'TIMESTAMP' } };
    }
    const near = rels.flatMap((r) => r.columns.map((c) => c.name)).find((n) => n.toUpperCase() === col.name.toUpperCase());
    const hint = near !== undefined ? ` (a column "${near}" exists: identifiers are case-sensitive when quoted and upper-cased when not, so write "${near}")` : '';
    throw new PlanError(`unknown column ${quoteName(col)}${hint}`, col.pos);
  }
}

/** The identifier as the user should write it to get this exact stored name. */
export function quoteName(id: Identifier): string {
  return id.quoted ? `"${id.name}"` : `${id.name}`;
}

/**
 * A column read: a column that equals an expression of ROWTIME is that expression (so GROUP BY and ORDER BY
 * see a time key through a subquery or view); a column known monotonic says so.
 */
function readColumn(c: ColumnInfo, index: number): BoundExpr {
  if (c.ofRowtime !== undefined) return c.ofRowtime;
  return c.monotonic ? { kind: 'column', index, type: c.type, monotonic: true } : { kind: 'column', index, type: c.type };
}
