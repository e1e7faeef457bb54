/**
 * The scalar function registry: name -> argument checking, return-type inference and implementation. The
 * planner sees it through the FunctionCatalog interface; implementations come from ./builtins (to be
 * replaced by the functions library in ./functions).
 */
import { ExecutionError, PlanError } from '../errors.js';
import type { FunctionCallExpr } from '../sql/index.js';
import type { ArgumentInfo, FunctionCatalog, ResolvedScalar, ScalarFunction } from '../plan/index.js';
import { numericResultType } from '../plan/index.js';
import { formatSqlType, isCharacter, isDatetime, isIntegerType, isNumeric, isYearMonthInterval, type SqlType, SqlTypes, type Value } from '../types/sql-type.js';
import * as F from './functions/index.js';
import { registerLogParseFunctions } from './log-parse-registry.js';
import type { TimeUnit, TrimSide } from './functions/index.js';

/** Resolves one function name for given arguments; throws PlanError when they do not fit. */
export type FunctionResolver = (args: readonly ArgumentInfo[], call: FunctionCallExpr) => ResolvedScalar;


function fn(name: string, invoke: (a: Value[]) => Value, strict = true): ScalarFunction {
  return { name, strict, invoke };
}

/** The registry: register resolvers by upper-case name. */
export class FunctionRegistry implements FunctionCatalog {
  private readonly resolvers = new Map<string, FunctionResolver>();

  register(name: string, resolver: FunctionResolver): this {
    this.resolvers.set(name.toUpperCase(), resolver);
    return this;
  }

  has(name: string): boolean {
    return this.resolvers.has(name.toUpperCase());
  }

  names(): string[] {
    return [...this.resolvers.keys()].sort();
  }

  resolve(name: string, args: readonly ArgumentInfo[], call: FunctionCallExpr): ResolvedScalar | undefined {
    const r = this.resolvers.get(name.toUpperCase());
    return r ? r(args, call) : undefined;
  }
}

// ------------------------------------------------------------------ argument checks
function arity(call: FunctionCallExpr, args: readonly ArgumentInfo[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new PlanError(`${call.name.name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`, call.pos);
  }
}
function need(call: FunctionCallExpr, a: ArgumentInfo | undefined, ok: (t: SqlType) => boolean, what: string, i: number): void {
  if (a && a.type.kind !== 'NULL' && !ok(a.type)) {
    throw new PlanError(`argument ${i + 1} of ${call.name.name} must be ${what}, not ${formatSqlType(a.type)}`, call.args[i]?.pos ?? call.pos);
  }
}
const numeric = (t: SqlType) => isNumeric(t);
const character = (t: SqlType) => isCharacter(t);
const varchar = (len: number | null = null): SqlType => ({ kind: 'VARCHAR', length: len });
const charLen = (t: SqlType) => (isCharacter(t) ? t.length : null);


// ------------------------------------------------------------------ the default registry
/** A registry with every built-in scalar function of the dialect that this engine implements. */
export function createFunctionRegistry(): FunctionRegistry {
  const r = new FunctionRegistry();
  const n = (v: Value) => v as number;
  const str = (v: Value) => v as string;

  // ---- numeric
  r.register('ABS', (a, c) => {
    arity(c, a, 1);
    need(c, a[0], (t) => numeric(t) || t.kind === 'INTERVAL', 'numeric', 0);
    return { fn: fn('ABS', (v) => F.abs(n(v[0]))), returnType: a[0].type.kind === 'NULL' ? SqlTypes.INTEGER : a[0].type };
  });
  r.register('MOD', (a, c) => {
    arity(c, a, 2);
    need(c, a[0], numeric, 'numeric', 0);
    need(c, a[1], numeric, 'numeric', 1);
    const t = isIntegerType(a[0].type) && isIntegerType(a[1].type) ? a[1].type : (numericResultType('div', a[0].type, a[1].type) ?? SqlTypes.DOUBLE);
    return { fn: fn('MOD', (v) => F.mod(n(v[0]), n(v[1]))), returnType: t };
  });
  const dbl = (name: string, f: (...x: number[]) => number | null, count = 1) =>
    r.register(name, (a, c) => {
      arity(c, a, count);
      a.forEach((x, i) => need(c, x, numeric, 'numeric', i));
      return { fn: fn(name, (v) => f(...(v as number[]))), returnType: SqlTypes.DOUBLE };
    });
  dbl('POWER', (x, y) => F.power(x, y), 2);
  dbl('EXP', (x) => F.exp(x));
  dbl('LN', (x) => F.ln(x));
  dbl('LOG10', (x) => F.log10(x));
  dbl('SQRT', (x) => {
    if (x < 0) throw new ExecutionError(F.FunctionErrorNames.invalidArgument, `SQRT of a negative number ${x}`);
    return Math.sqrt(x);
  });
  const floorCeil = (name: string, up: boolean) =>
    r.register(name, (a, c) => {
      arity(c, a, 1, 2);
      const t = a[0].type;
      const unit = a[1]?.keyword as TimeUnit | undefined;
      if (unit !== undefined) {
        if (isDatetime(t) || t.kind === 'NULL') {
          return { fn: fn(name, (v) => (up ? F.ceilDatetime(n(v[0]), unit) : F.floorDatetime(n(v[0]), unit))), returnType: t.kind === 'NULL' ? SqlTypes.TIMESTAMP : t };
        }
        if (t.kind === 'INTERVAL') {
          const ym = isYearMonthInterval(t);
          return { fn: fn(name, (v) => (up ? F.ceilInterval(n(v[0]), unit, ym) : F.floorInterval(n(v[0]), unit, ym))), returnType: t };
        }
        throw new PlanError(`${name}(x TO ${unit}) needs a datetime or interval, not ${formatSqlType(t)}`, c.pos);
      }
      need(c, a[0], numeric, 'numeric', 0);
      const rt: SqlType = t.kind === 'DECIMAL' ? { kind: 'DECIMAL', precision: t.precision, scale: 0 } : t.kind === 'NULL' ? SqlTypes.INTEGER : t;
      return { fn: fn(name, (v) => (up ? F.ceil(n(v[0])) : F.floor(n(v[0])))), returnType: rt };
    });
  floorCeil('FLOOR', false);
  floorCeil('CEIL', true);
  floorCeil('CEILING', true);
  r.register('STEP', (a, c) => {
    arity(c, a, 2);
    const t = a[0].type;
    const by = a[1].type;
    if (isDatetime(t) || (t.kind === 'NULL' && by.kind === 'INTERVAL')) {
      if (by.kind !== 'INTERVAL') throw new PlanError('STEP(datetime BY ...) needs an INTERVAL', c.pos);
      const ym = isYearMonthInterval(by);
      return {
        fn: fn('STEP', (v) => (ym ? F.stepDatetimeMonths(n(v[0]), n(v[1])) : F.stepDatetime(n(v[0]), n(v[1])))),
        returnType: t.kind === 'NULL' ? SqlTypes.TIMESTAMP : t,
      };
    }
    need(c, a[0], numeric, 'numeric or datetime', 0);
    need(c, a[1], numeric, 'numeric', 1);
    return { fn: fn('STEP', (v) => F.stepNumber(n(v[0]), n(v[1]))), returnType: t };
  });
  r.register('EXTRACT', (a, c) => {
    arity(c, a, 2);
    const unit = a[0].keyword as TimeUnit;
    const t = a[1].type;
    if (!isDatetime(t) && t.kind !== 'INTERVAL' && t.kind !== 'NULL') throw new PlanError(`EXTRACT needs a datetime or interval, not ${formatSqlType(t)}`, c.pos);
    const impl =
      t.kind === 'INTERVAL'
        ? (v: Value[]) => F.extractInterval(unit, n(v[1]), isYearMonthInterval(t))
        : (v: Value[]) => F.extractDatetime(unit, n(v[1]), t.kind === 'DATE' || t.kind === 'TIME' ? t.kind : 'TIMESTAMP');
    return { fn: fn('EXTRACT', impl), returnType: unit === 'SECOND' ? { kind: 'DECIMAL', precision: 5, scale: 3 } : SqlTypes.BIGINT };
  });

  // ---- strings
  const caseFn = (name: string, f: (s: string) => string | null) =>
    r.register(name, (a, c) => {
      arity(c, a, 1);
      need(c, a[0], character, 'a string', 0);
      return { fn: fn(name, (v) => f(str(v[0]))), returnType: varchar(charLen(a[0].type)) };
    });
  caseFn('UPPER', F.upper);
  caseFn('LOWER', F.lower);
  caseFn('INITCAP', F.initcap);
  for (const name of ['CHAR_LENGTH', 'CHARACTER_LENGTH']) {
    r.register(name, (a, c) => {
      arity(c, a, 1);
      need(c, a[0], character, 'a string', 0);
      return { fn: fn(name, (v) => F.charLength(str(v[0]))), returnType: SqlTypes.INTEGER };
    });
  }
  r.register('POSITION', (a, c) => {
    arity(c, a, 2);
    need(c, a[0], character, 'a string', 0);
    need(c, a[1], character, 'a string', 1);
    return { fn: fn('POSITION', (v) => F.position(str(v[0]), str(v[1]))), returnType: SqlTypes.INTEGER };
  });
  r.register('SUBSTRING', (a, c) => {
    need(c, a[0], character, 'a string', 0);
    const rt = varchar(charLen(a[0].type));
    if (c.syntax === 'similar') {
      arity(c, a, 3);
      return { fn: fn('SUBSTRING', (v) => F.substringSimilar(str(v[0]), str(v[1]), str(v[2]))), returnType: rt };
    }
    arity(c, a, 2, 3);
    if (c.syntax === 'from' && isCharacter(a[1].type)) {
      if (a.length > 2) throw new PlanError('SUBSTRING(s FROM regex) takes no FOR', c.pos);
      return { fn: fn('SUBSTRING', (v) => F.substringRegex(str(v[0]), str(v[1]))), returnType: rt };
    }
    need(c, a[1], numeric, 'numeric', 1);
    need(c, a[2], numeric, 'numeric', 2);
    const impl = c.syntax === 'from' ? F.substringFrom : F.substringComma;
    const substring = fn('SUBSTRING', (v) => (v.length > 2 ? impl(str(v[0]), n(v[1]), n(v[2])) : impl(str(v[0]), n(v[1]))));
    return { fn: { ...substring, syntax: c.syntax }, returnType: rt };
  });
  r.register('TRIM', (a, c) => {
    arity(c, a, 3);
    need(c, a[1], character, 'a string', 1);
    need(c, a[2], character, 'a string', 2);
    const side = (a[0].keyword ?? 'BOTH') as TrimSide;
    return { fn: fn('TRIM', (v) => F.trim(side, str(v[1]), str(v[2]))), returnType: varchar(charLen(a[2].type)) };
  });
  r.register('OVERLAY', (a, c) => {
    arity(c, a, 3, 4);
    need(c, a[0], character, 'a string', 0);
    need(c, a[1], character, 'a string', 1);
    return { fn: fn('OVERLAY', (v) => (v.length > 3 ? F.overlay(str(v[0]), str(v[1]), n(v[2]), n(v[3])) : F.overlay(str(v[0]), str(v[1]), n(v[2])))), returnType: varchar(null) };
  });
  r.register('REGEX_REPLACE', (a, c) => {
    arity(c, a, 5);
    for (const i of [0, 1, 2]) need(c, a[i], character, 'a string', i);
    for (const i of [3, 4]) need(c, a[i], numeric, 'an integer', i);
    return { fn: fn('REGEX_REPLACE', (v) => F.regexReplace(str(v[0]), str(v[1]), str(v[2]), n(v[3]), n(v[4]))), returnType: varchar(null) };
  });
  r.register('LIKE', (a, c) => {
    arity(c, a, 2, 3);
    return { fn: fn('LIKE', (v) => (v.length > 2 ? F.like(str(v[0]), str(v[1]), str(v[2])) : F.like(str(v[0]), str(v[1])))), returnType: SqlTypes.BOOLEAN };
  });
  r.register('SIMILAR TO', (a, c) => {
    arity(c, a, 2, 3);
    return { fn: fn('SIMILAR TO', (v) => (v.length > 2 ? F.similarTo(str(v[0]), str(v[1]), str(v[2])) : F.similarTo(str(v[0]), str(v[1])))), returnType: SqlTypes.BOOLEAN };
  });

  // ---- date and time
  const parseFn = (name: string, f: (fmt: string | null, s: string | null) => number | null, out: SqlType) =>
    r.register(name, (a, c) => {
      arity(c, a, 2);
      need(c, a[0], character, 'a format string', 0);
      need(c, a[1], character, 'a string', 1);
      return { fn: fn(name, (v) => f(str(v[0]), str(v[1]))), returnType: out };
    });
  parseFn('CHAR_TO_TIMESTAMP', F.charToTimestamp, SqlTypes.TIMESTAMP);
  parseFn('CHAR_TO_DATE', F.charToDate, SqlTypes.DATE);
  parseFn('CHAR_TO_TIME', F.charToTime, SqlTypes.TIME);
  const formatFn = (name: string, f: (fmt: string | null, v: number | null) => string | null, kinds: string[]) =>
    r.register(name, (a, c) => {
      arity(c, a, 2);
      need(c, a[0], character, 'a format string', 0);
      need(c, a[1], (t) => kinds.includes(t.kind), kinds.join(' or '), 1);
      // Not strict: a NULL datetime formats as the string 'null' (SQLREF TIMESTAMP_TO_CHAR).
      return { fn: fn(name, (v) => f(str(v[0]), n(v[1])), false), returnType: varchar(null) };
    });
  formatFn('TIMESTAMP_TO_CHAR', F.timestampToChar, ['TIMESTAMP', 'DATE']);
  formatFn('DATE_TO_CHAR', F.dateToChar, ['DATE', 'TIMESTAMP']);
  formatFn('TIME_TO_CHAR', F.timeToChar, ['TIME']);
  r.register('UNIX_TIMESTAMP', (a, c) => {
    arity(c, a, 1);
    need(c, a[0], isDatetime, 'a TIMESTAMP', 0);
    return { fn: fn('UNIX_TIMESTAMP', (v) => F.unixTimestamp(n(v[0]))), returnType: SqlTypes.BIGINT };
  });
  r.register('TO_TIMESTAMP', (a, c) => {
    arity(c, a, 1);
    need(c, a[0], numeric, 'a BIGINT', 0);
    return { fn: fn('TO_TIMESTAMP', (v) => F.toTimestamp(n(v[0]))), returnType: SqlTypes.TIMESTAMP };
  });
  r.register('TSDIFF', (a, c) => {
    arity(c, a, 2);
    need(c, a[0], (t) => isDatetime(t) || numeric(t), 'a TIMESTAMP or BIGINT', 0);
    need(c, a[1], (t) => isDatetime(t) || numeric(t), 'a TIMESTAMP or BIGINT', 1);
    return { fn: fn('TSDIFF', (v) => F.tsdiff(n(v[0]), n(v[1]))), returnType: SqlTypes.BIGINT };
  });
  registerLogParseFunctions(r);
  return r;
}
