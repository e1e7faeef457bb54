import { PlanError } from '../errors.js';
import type * as A from '../sql/ast.js';
import { formatSqlType, type SqlType } from '../types/sql-type.js';
import { castAllowed } from './cast-rules.js';
import { columnTraits, stripTraits } from './column-traits.js';
import { ExpressionBinder, type UserFunction } from './expression-binder.js';
import type { FunctionCatalog } from './function-catalog.js';
import type { ApplicationPlan, PumpPlan, RelNode } from './logical-plan.js';
import { planQuery } from './query-planner.js';
import { type ColumnInfo, ERROR_STREAM, type StreamInfo } from './schema.js';
import { Scope, quoteName } from './scope.js';
import { assignable } from './type-rules.js';

/**
 * Plans a parsed application: creates the streams, binds every pump's query against the streams defined
 * before it, and checks the INSERT column lists and types. All errors carry line and column.
 *
 * @param inputs the in-application input streams (created by the service with quoted names).
 * @param tables the reference-data tables (name -> columns), which a query may only join to a stream.
 */
export function planApplication(script: A.Script, inputs: readonly StreamInfo[], catalog: FunctionCatalog, tables: ReadonlyMap<string, readonly ColumnInfo[]> = new Map()): ApplicationPlan {
  const streams = new Map<string, StreamInfo>();
  for (const s of inputs) streams.set(s.name, s);
  const udfs = new Map<string, UserFunction>();
  const pumps = new Map<string, PumpPlan>();
  /** Streams a pump reads or writes: these cannot be redefined any more. */
  const pinned = new Set<string>();
  /** How many distinct pumps write each stream: what one pump writes is known of the stream only when it is the only writer. */
  const writers = new Map<string, Set<string>>();
  for (const st of script.statements) {
    if (st.kind === 'CreatePump') writers.set(st.target.name, (writers.get(st.target.name) ?? new Set()).add(st.name.name));
  }

  for (const st of script.statements) {
    switch (st.kind) {
      case 'CreateStream': {
        const name = st.name.name;
        if (name.toLowerCase() === ERROR_STREAM) throw new PlanError(`${quoteName(st.name)} is a reserved system stream name`, st.name.pos);
        const existing = streams.get(name);
        if (existing) {
          if (existing.kind === 'input') throw new PlanError(`${quoteName(st.name)} is the application's input stream and cannot be redefined`, st.name.pos);
          if (!st.orReplace) throw new PlanError(`stream ${quoteName(st.name)} already exists (use CREATE OR REPLACE STREAM)`, st.name.pos);
          if (pinned.has(name)) throw new PlanError(`stream ${quoteName(st.name)} cannot be redefined after a pump that uses it was created`, st.name.pos);
        }
        const seen = new Set<string>();
        for (const c of st.columns) {
          if (seen.has(c.name.name)) throw new PlanError(`column ${quoteName(c.name)} is defined twice`, c.name.pos);
          seen.add(c.name.name);
          if (!c.name.quoted && c.name.name === 'ROWTIME') throw new PlanError('ROWTIME is a system column and cannot be declared', c.name.pos);
        }
        streams.set(name, { name, kind: 'app', columns: st.columns.map((c) => ({ name: c.name.name, type: c.type, notNull: c.notNull })) });
        break;
      }
      case 'CreateFunction': {
        const name = st.name.name;
        if (udfs.has(name) && !st.orReplace) throw new PlanError(`function ${quoteName(st.name)} already exists (use CREATE OR REPLACE FUNCTION)`, st.name.pos);
        const params = st.params.map((p) => ({ name: p.name.name, type: p.type }));
        const binder = new ExpressionBinder(new Scope([], params), catalog, udfs, null, 'in a function body');
        const body = binder.bind(st.body);
        if (!castAllowed(body.type, st.returns) && !assignable(body.type, st.returns)) {
          throw new PlanError(`function ${name} returns ${formatSqlType(body.type)} but declares RETURNS ${formatSqlType(st.returns)}`, st.body.pos);
        }
        udfs.set(name, { name, params, returns: st.returns, body: body.type.kind === st.returns.kind ? body : { kind: 'cast', operand: body, type: st.returns, pos: st.body.pos }, strict: true });
        break;
      }
      case 'CreatePump': {
        const pname = st.name.name;
        if (pumps.has(pname) && !st.orReplace) throw new PlanError(`pump ${quoteName(st.name)} already exists (use CREATE OR REPLACE PUMP)`, st.name.pos);
        const target = streams.get(st.target.name);
        if (st.target.name.toLowerCase() === ERROR_STREAM) throw new PlanError('error_stream is a system stream; pumps cannot insert into it', st.target.pos);
        if (!target) {
          const near = [...streams.keys()].find((n) => n.toUpperCase() === st.target.name.toUpperCase());
          const hint = near ? ` (a stream "${near}" exists: quoted names are case-sensitive, unquoted ones are upper-cased)` : '';
          throw new PlanError(`unknown stream ${quoteName(st.target)}${hint}`, st.target.pos);
        }
        if (target.kind === 'input') throw new PlanError(`cannot insert into the input stream ${quoteName(st.target)}`, st.target.pos);
        const planned = planQuery(st.query, { streams, catalog, udfs, tables });
        const outCols = planned.rel.columns;
        let targetIndexes: number[];
        if (st.columns) {
          targetIndexes = st.columns.map((c) => {
            const i = target.columns.findIndex((tc) => tc.name === c.name);
            if (i < 0) throw new PlanError(`stream ${quoteName(st.target)} has no column ${quoteName(c)}`, c.pos);
            return i;
          });
          if (new Set(targetIndexes).size !== targetIndexes.length) throw new PlanError('a column is listed twice in the INSERT column list', st.columns[0].pos);
          if (outCols.length !== targetIndexes.length) {
            throw new PlanError(`the INSERT lists ${targetIndexes.length} column(s) but the SELECT produces ${outCols.length}`, planned.itemPositions[Math.min(targetIndexes.length, outCols.length - 1)] ?? st.pos);
          }
        } else {
          if (outCols.length > target.columns.length) {
            throw new PlanError(`the SELECT produces ${outCols.length} columns but stream ${quoteName(st.target)} has ${target.columns.length}`, planned.itemPositions[target.columns.length] ?? st.pos);
          }
          targetIndexes = outCols.map((_, i) => i);
        }
        outCols.forEach((c, i) => {
          const tc = target.columns[targetIndexes[i]];
          if (!assignable(c.type, tc.type)) {
            throw new PlanError(`cannot insert ${formatSqlType(c.type)} into column ${tc.name} ${formatSqlType(tc.type as SqlType)} of ${quoteName(st.target)}`, planned.itemPositions[i] ?? st.pos);
          }
        });
        for (const s of scannedStreams(planned.rel)) pinned.add(s);
        pinned.add(target.name);
        if (scannedStreams(planned.rel).includes(target.name)) throw new PlanError(`pump ${quoteName(st.name)} reads the stream it writes`, st.pos);
        pumps.set(pname, { name: pname, target: target.name, targetIndexes, query: planned.rel, pos: st.pos });
        if (writers.get(target.name)?.size === 1) streams.set(target.name, { ...target, columns: streamColumnTraits(target.columns, planned.rel, targetIndexes) });
        break;
      }
    }
  }
  return { streams: [...streams.values()], pumps: [...pumps.values()] };
}

/** The streams a query reads. */
export function scannedStreams(rel: RelNode): string[] {
  switch (rel.kind) {
    case 'Scan':
      return [rel.stream];
    case 'Union':
      return rel.inputs.flatMap(scannedStreams);
    case 'StreamJoin':
      return [...scannedStreams(rel.left), ...scannedStreams(rel.right)];
    default:
      return scannedStreams(rel.input);
  }
}

/**
 * The columns of a stream written by one pump, with what is known of them from that pump's query (a time key
 * such as STEP(s.ROWTIME BY ...) stays one for the stream's readers, since pumps copy ROWTIME). Only a value
 * stored unchanged (same type) keeps its traits.
 */
function streamColumnTraits(columns: readonly ColumnInfo[], rel: RelNode, targetIndexes: readonly number[]): ColumnInfo[] {
  const out = columns.map(stripTraits);
  targetIndexes.forEach((t, i) => {
    const from = rel.columns[i];
    if (formatSqlType(from.type) !== formatSqlType(out[t].type)) return;
    const traits = columnTraits(rel, i);
    if (traits.ofRowtime !== undefined || traits.monotonic) out[t] = { ...out[t], ...traits };
  });
  return out;
}
