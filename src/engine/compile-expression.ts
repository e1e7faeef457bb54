import type { BoundExpr } from '../plan/index.js';
import { isCharacter, isIntegerType, isYearMonthInterval, type SqlType, type Value } from '../types/sql-type.js';
import { addInterval, approxDivide, castValue, decimalDivide, integerDivide, roundToScale } from './functions/index.js';

/** A compiled expression: evaluates against one row and its ROWTIME. Throws ExecutionError on bad data. */
export type Evaluator = (row: readonly Value[], rowtime: number) => Value;

/** What compiled expressions may read besides the row: the clock. */
export interface EvalContext {
  /** Time when the current row is processed (CURRENT_ROW_TIMESTAMP). */
  rowClock(): number;
  /** Time when the query started (LOCALTIMESTAMP, CURRENT_TIMESTAMP...). */
  readonly queryStart: number;
}

/** Orders two non-null values of comparable types. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function valuesEqual(a: Value, b: Value): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return compareValues(a, b) === 0;
  return a === b;
}

/**
 * Compiles a bound expression once into a closure tree. Operators are specialised on their operand types
 * at compile time, so the per-row work is the arithmetic itself.
 */
export function compileExpression(e: BoundExpr, ctx: EvalContext): Evaluator {
  switch (e.kind) {
    case 'column': {
      const i = e.index;
      return (r) => r[i];
    }
    case 'rowtime':
      return (_r, t) => t;
    case 'literal': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const i = e.index;
      return (r) => r[i];
    }
    case 'now':
      if (e.which === 'row') return () => ctx.rowClock();
      return () => ctx.queryStart;
    case 'cast': {
      const x = compileExpression(e.operand, ctx);
      const from = e.operand.type;
      const to = e.type;
      return (r, t) => castValue(x(r, t), from, to);
    }
    case 'case': {
      const whens = e.whens.map((w) => ({ when: compileExpression(w.when, ctx), then: compileExpression(w.then, ctx) }));
      const otherwise = e.otherwise ? compileExpression(e.otherwise, ctx) : () => null;
      return (r, t) => {
        for (let i = 0; i < whens.length; i++) if (whens[i].when(r, t) === true) return whens[i].then(r, t);
        return otherwise(r, t);
      };
    }
    case 'call': {
      const args = e.args.map((a) => compileExpression(a, ctx));
      const f = e.fn.invoke;
      const strict = e.fn.strict;
      const n = args.length;
      return (r, t) => {
        const vals: Value[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = args[i](r, t);
          if (v === null && strict) return null;
          vals[i] = v;
        }
        return f(vals);
      };
    }
    case 'udf': {
      const args = e.args.map((a) => compileExpression(a, ctx));
      const body = compileExpression(e.body, ctx);
      const strict = e.strict;
      return (r, t) => {
        const vals: Value[] = new Array(args.length);
        for (let i = 0; i < args.length; i++) {
          const v = args[i](r, t);
          if (v === null && strict) return null;
          vals[i] = v;
        }
        return body(vals, t);
      };
    }
    case 'op':
      return compileOperator(e, ctx);
  }
}

function compileOperator(e: Extract<BoundExpr, { kind: 'op' }>, ctx: EvalContext): Evaluator {
  const args = e.args.map((a) => compileExpression(a, ctx));
  const [a, b] = args;
  const ta: SqlType = e.args[0]?.type;
  const tb: SqlType = e.args[1]?.type;
  const type = e.type;
  const fit = numericFitter(type);
  switch (e.op) {
    case 'add':
    case 'sub': {
      const sign = e.op === 'add' ? 1 : -1;
      if ((ta.kind === 'TIMESTAMP' || ta.kind === 'DATE' || ta.kind === 'TIME') && tb.kind === 'INTERVAL') {
        const kind = ta.kind;
        const ym = isYearMonthInterval(tb);
        return (r, t) => {
          const x = a(r, t);
          const y = b(r, t);
          return x === null || y === null ? null : addInterval(kind, x as number, sign * (y as number), ym);
        };
      }
      if (sign === 1) {
        if (fit === null) {
          return (r, t) => {
            const x = a(r, t);
            if (x === null) return null;
            const y = b(r, t);
            return y === null ? null : (x as number) + (y as number);
          };
        }
        return (r, t) => {
          const x = a(r, t);
          if (x === null) return null;
          const y = b(r, t);
          return y === null ? null : fit((x as number) + (y as number));
        };
      }
      return (r, t) => {
        const x = a(r, t);
        if (x === null) return null;
        const y = b(r, t);
        if (y === null) return null;
        const v = (x as number) - (y as number);
        return fit === null ? v : fit(v);
      };
    }
    case 'mul':
      return (r, t) => {
        const x = a(r, t);
        if (x === null) return null;
        const y = b(r, t);
        if (y === null) return null;
        const v = (x as number) * (y as number);
        return fit === null ? v : fit(v);
      };
    case 'div': {
      if (isIntegerType(type)) {
        return (r, t) => {
          const x = a(r, t);
          if (x === null) return null;
          const y = b(r, t);
          return y === null ? null : integerDivide(x as number, y as number);
        };
      }
      if (type.kind === 'DECIMAL') {
        const scale = type.scale;
        return (r, t) => {
          const x = a(r, t);
          if (x === null) return null;
          const y = b(r, t);
          return y === null ? null : decimalDivide(x as number, y as number, scale);
        };
      }
      // DOUBLE / REAL, and interval / number (kept exact in milliseconds, so FLOOR(... / 10 TO SECOND) floors once).
      return (r, t) => {
        const x = a(r, t);
        if (x === null) return null;
        const y = b(r, t);
        return y === null ? null : approxDivide(x as number, y as number);
      };
    }
    case 'neg':
      return (r, t) => {
        const x = a(r, t);
        return x === null ? null : -(x as number) || 0;
      };
    case 'concat':
      return (r, t) => {
        const x = a(r, t);
        if (x === null) return null;
        const y = b(r, t);
        return y === null ? null : (x as string) + (y as string);
      };
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const padded = isCharacter(ta) && isCharacter(tb) && (ta.kind === 'CHAR' || tb.kind === 'CHAR');
      const test = { eq: (c: number) => c === 0, ne: (c: number) => c !== 0, lt: (c: number) => c < 0, le: (c: number) => c <= 0, gt: (c: number) => c > 0, ge: (c: number) => c >= 0 }[e.op];
      if (!padded && (e.op === 'eq' || e.op === 'ne')) {
        const want = e.op === 'eq';
        return (r, t) => {
          const x = a(r, t);
          if (x === null) return null;
          const y = b(r, t);
          if (y === null) return null;
          return valuesEqual(x, y) === want;
        };
      }
      return (r, t) => {
        let x = a(r, t);
        if (x === null) return null;
        let y = b(r, t);
        if (y === null) return null;
        if (padded) {
          // CHAR comparison ignores trailing blanks (PAD SPACE).
          x = (x as string).replace(/ +$/, '');
          y = (y as string).replace(/ +$/, '');
        }
        return test(compareValues(x, y));
      };
    }
    case 'and':
      return (r, t) => {
        const x = a(r, t);
        if (x === false) return false;
        const y = b(r, t);
        if (y === false) return false;
        return x === null || y === null ? null : true;
      };
    case 'or':
      return (r, t) => {
        const x = a(r, t);
        if (x === true) return true;
        const y = b(r, t);
        if (y === true) return true;
        return x === null || y === null ? null : false;
      };
    case 'not':
      return (r, t) => {
        const x = a(r, t);
        return x === null ? null : !x;
      };
    case 'is_null':
      return (r, t) => a(r, t) === null;
    case 'is_not_null':
      return (r, t) => a(r, t) !== null;
    case 'is_true':
      return (r, t) => a(r, t) === true;
    case 'is_not_true':
      return (r, t) => a(r, t) !== true;
    case 'is_false':
      return (r, t) => a(r, t) === false;
    case 'is_not_false':
      return (r, t) => a(r, t) !== false;
    case 'is_distinct':
    case 'is_not_distinct': {
      const want = e.op === 'is_not_distinct';
      return (r, t) => {
        const x = a(r, t);
        const y = b(r, t);
        const same = x === null || y === null ? x === y : valuesEqual(x, y);
        return same === want;
      };
    }
    case 'in': {
      const list = args.slice(1);
      return (r, t) => {
        const x = a(r, t);
        if (x === null) return null;
        let sawNull = false;
        for (const ev of list) {
          const y = ev(r, t);
          if (y === null) sawNull = true;
          else if (valuesEqual(x, y)) return true;
        }
        return sawNull ? null : false;
      };
    }
    case 'coalesce':
      return (r, t) => {
        for (const ev of args) {
          const v = ev(r, t);
          if (v !== null) return v;
        }
        return null;
      };
  }
}

/** Post-processing of a numeric result to its type: DECIMAL rounds to its scale; others are kept. */
function numericFitter(type: SqlType): ((v: number) => number) | null {
  if (type.kind === 'DECIMAL') {
    const s = type.scale;
    return (v) => roundToScale(v, s);
  }
  return null;
}
