import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseScript } from '../sql/index.js';
import { SqlTypes, type Value } from '../types/sql-type.js';
import { planApplication } from './application-planner.js';
import type { FunctionCatalog } from './function-catalog.js';
import type { RelNode } from './logical-plan.js';
import type { ColumnInfo, StreamInfo } from './schema.js';
import type { ResolvedTableFunction } from './table-function-catalog.js';

const INPUT: StreamInfo = {
  name: 'SOURCE_SQL_STREAM_001',
  kind: 'input',
  columns: [
    { name: 'a', type: SqlTypes.DOUBLE },
    { name: 'k', type: SqlTypes.varchar(8) },
  ],
};

/** A catalog with one table function ECHO_SCORE: the CURSOR's columns plus SCORE DOUBLE; it records its calls. */
function fakeCatalog() {
  const calls: { name: string; columns: readonly ColumnInfo[]; args: readonly Value[] }[] = [];
  const catalog: FunctionCatalog = {
    resolve: () => undefined,
    resolveTableFunction: (name, columns, args): ResolvedTableFunction | undefined => {
      if (name !== 'ECHO_SCORE') return undefined;
      calls.push({ name, columns, args });
      if (args.some((x) => x === 'bad')) throw new PlanError("ECHO_SCORE: 'bad' is not allowed");
      return {
        name,
        outputColumns: [...columns, { name: 'SCORE', type: SqlTypes.DOUBLE }],
      };
    },
  };
  return { catalog, calls };
}

function plan(sql: string, catalog: FunctionCatalog) {
  return planApplication(parseScript(sql), [INPUT], catalog);
}

function planError(sql: string, catalog: FunctionCatalog): PlanError {
  try {
    plan(sql, catalog);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
}

const DEST = 'CREATE STREAM D (a DOUBLE, k VARCHAR(8), s DOUBLE);\n';

describe('FROM TABLE(F(CURSOR(...), args)) planning', () => {
  it('plans the CURSOR as the input, evaluates the constant arguments and exposes the output columns', () => {
    const { catalog, calls } = fakeCatalog();
    const p = plan(DEST + "CREATE PUMP P AS INSERT INTO D SELECT STREAM * FROM TABLE(ECHO_SCORE(CURSOR(SELECT STREAM * FROM \"SOURCE_SQL_STREAM_001\"), 3, -2.5, 'x', TRUE));", catalog);
    expect(calls).toHaveLength(1);
    expect(calls[0].args).toEqual([3, -2.5, 'x', true]);
    // SELECT * of the input leaves APPROXIMATE_ARRIVAL_TIME out.
    expect(calls[0].columns.map((c) => c.name)).toEqual(['a', 'k']);
    const rel = p.pumps[0].query;
    const tf = findNode(rel, 'TableFunction');
    expect(tf?.columns.map((c) => c.name)).toEqual(['a', 'k', 'SCORE']);
    // The node is plain data (name and constant arguments); the engine builds the running function from it.
    expect(tf?.kind === 'TableFunction' && tf.fn).toEqual({ name: 'ECHO_SCORE', args: [3, -2.5, 'x', true] });
    expect(rel.columns.map((c) => c.name)).toEqual(['a', 'k', 'SCORE']);
  });

  it('reads output columns by name, through an alias, and with AS t(c, ...) renames', () => {
    const { catalog } = fakeCatalog();
    const p = plan(
      'CREATE STREAM D (s DOUBLE, x DOUBLE);\nCREATE PUMP P AS INSERT INTO D SELECT STREAM t.SCORE, t.x FROM TABLE(ECHO_SCORE(CURSOR(SELECT STREAM "a" FROM "SOURCE_SQL_STREAM_001"))) AS t(x);',
      catalog,
    );
    const rel = p.pumps[0].query;
    expect(rel.kind).toBe('Project');
    if (rel.kind !== 'Project') return;
    expect(rel.exprs).toEqual([
      { kind: 'column', index: 1, type: SqlTypes.DOUBLE },
      { kind: 'column', index: 0, type: SqlTypes.DOUBLE },
    ]);
  });

  it('reports a non-constant argument at its position', () => {
    const { catalog } = fakeCatalog();
    const e = planError(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM * FROM TABLE(ECHO_SCORE(\n  CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), CURRENT_ROW_TIMESTAMP));', catalog);
    expect([e.line, e.column]).toEqual([3, 57]);
    expect(e.message).toMatch(/must be constants/);
  });

  it('adds the call position to an argument error of the function', () => {
    const { catalog } = fakeCatalog();
    const e = planError(DEST + "CREATE PUMP P AS INSERT INTO D SELECT STREAM * FROM TABLE(\n    ECHO_SCORE(CURSOR(SELECT STREAM * FROM \"SOURCE_SQL_STREAM_001\"), 'bad'));", catalog);
    expect([e.line, e.column]).toEqual([3, 5]);
    expect(e.message).toMatch(/'bad' is not allowed/);
  });

  it('needs CURSOR(...) first and a known function', () => {
    const { catalog } = fakeCatalog();
    const noCursor = planError(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM * FROM TABLE(ECHO_SCORE(1, 2));', catalog);
    expect(noCursor.message).toMatch(/first argument of ECHO_SCORE must be CURSOR/);
    expect([noCursor.line, noCursor.column]).toEqual([2, 70]);
    const unknown = planError(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM * FROM TABLE(NOPE(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001")));', catalog);
    expect(unknown.message).toMatch(/unknown table function NOPE/);
    expect([unknown.line, unknown.column]).toEqual([2, 59]);
  });

  it('rejects an unknown column of the function output with its position', () => {
    const { catalog } = fakeCatalog();
    const line = 'CREATE PUMP P AS INSERT INTO D SELECT STREAM "a", "k", ANOMALY_SCORE FROM TABLE(ECHO_SCORE(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001")));';
    const e = planError(DEST + line, catalog);
    expect(e.message).toMatch(/unknown column ANOMALY_SCORE/);
    expect([e.line, e.column]).toEqual([2, line.indexOf('ANOMALY_SCORE') + 1]);
  });
});

function findNode(rel: RelNode, kind: RelNode['kind']): RelNode | undefined {
  if (rel.kind === kind) return rel;
  if (rel.kind === 'Scan') return undefined;
  if (rel.kind === 'Union') return rel.inputs.map((r) => findNode(r, kind)).find((r) => r !== undefined);
  if (rel.kind === 'StreamJoin') return findNode(rel.left, kind) ?? findNode(rel.right, kind);
  return findNode(rel.input, kind);
}
