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
import { fitNumber, roundToScale } from './builtins/cast-value.js';
import { formatWithPattern, parseWithPattern } from './builtins/datetime-text.js';
import { cached, javaRegExp, likeToRegExp, similarToRegExp, similarToRegExpSource } from './builtins/patterns.js';
import { ceilTo, floorTo, stepTimestamp, UNIT_MS } from './builtins/time-units.js';

/** Resolves one function name for given arguments; throws PlanError when they do not fit. */
export type FunctionResolver = (args: readonly ArgumentInfo[], call: FunctionCallExpr) => ResolvedScalar;

const DAY = 86_400_000;

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

function unitOf(call: FunctionCallExpr, a: ArgumentInfo | undefined): string | null {
  return a?.keyword ?? null;
}

// ------------------------------------------------------------------ string helpers
function substringFrom(s: string, start: number, len: number | null): string {
  // SQL semantics: characters from position `start` (1-based) for `len`; positions before 1 count against the length.
  let from = start;
  let end = len === null ? Infinity : start + len;
  if (len !== null && len < 0) throw new ExecutionError('SUBSTRING_ERROR', `negative substring length ${len}`);
  if (from < 1) from = 1;
  if (end < from) return '';
  end = Math.min(end, s.length + 1);
  if (from > s.length) return '';
  return s.slice(from - 1, end - 1);
}

function javaReplacement(repl: string): (m: string, ...groups: unknown[]) => string {
  return (m: string, ...rest: unknown[]) => {
    const groups = rest.slice(0, rest.findIndex((x) => typeof x === 'number')) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i];
      if (c === '\\' && i + 1 < repl.length) {
        out += repl[++i];
      } else if (c === '$') {
        let j = i + 1;
        let num = '';
        while (j < repl.length && /\d/.test(repl[j]) && (num === '' || Number(num + repl[j]) <= groups.length)) num += repl[j++];
        if (num === '') throw new ExecutionError('REGEX_REPLACE', `illegal group reference in replacement '${repl}'`);
        const g = Number(num);
        if (g > groups.length) throw new ExecutionError('REGEX_REPLACE', `no group ${g} in the regular expression`);
        out += g === 0 ? m : (groups[g - 1] ?? '');
        i = j - 1;
      } else out += c;
    }
    return out;
  };
}

const likeCache = () => cached((p: string, e: string | null) => likeToRegExp(p, e));
const similarCache = () => cached((p: string, e: string | null) => similarToRegExp(p, e));

function extractField(unit: string, v: number, t: SqlType): number {
  if (t.kind === 'INTERVAL') {
    if (isYearMonthInterval(t)) return unit === 'YEAR' ? Math.trunc(v / 12) : unit === 'MONTH' ? v % 12 : 0;
    const sign = v < 0 ? -1 : 1;
    const a = Math.abs(v);
    switch (unit) {
      case 'DAY':
        return sign * Math.floor(a / DAY);
      case 'HOUR':
        return sign * Math.floor((a % DAY) / 3_600_000);
      case 'MINUTE':
        return sign * Math.floor((a % 3_600_000) / 60_000);
      case 'SECOND':
        return (sign * (a % 60_000)) / 1000;
      default:
        return 0;
    }
  }
  if (t.kind === 'TIME') {
    switch (unit) {
      case 'HOUR':
        return Math.floor(v / 3_600_000);
      case 'MINUTE':
        return Math.floor((v % 3_600_000) / 60_000);
      case 'SECOND':
        return (v % 60_000) / 1000;
      default:
        throw new ExecutionError('EXTRACT', `cannot extract ${unit} from a TIME`);
    }
  }
  const d = new Date(v);
  switch (unit) {
    case 'YEAR':
      return d.getUTCFullYear();
    case 'QUARTER':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'MONTH':
      return d.getUTCMonth() + 1;
    case 'WEEK': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      return Math.floor((v - start) / DAY / 7) + 1;
    }
    case 'DAY':
      return d.getUTCDate();
    case 'DOW':
      return d.getUTCDay() + 1;
    case 'DOY':
      return Math.floor((v - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
    case 'HOUR':
      return d.getUTCHours();
    case 'MINUTE':
      return d.getUTCMinutes();
    case 'SECOND':
      return d.getUTCSeconds() + d.getUTCMilliseconds() / 1000;
    case 'MILLISECOND':
      return d.getUTCMilliseconds();
    case 'EPOCH':
      return Math.floor(v / 1000);
    default:
      throw new ExecutionError('EXTRACT', `unknown field ${unit}`);
  }
}

// ------------------------------------------------------------------ the default registry
/** A registry with every built-in scalar function of the dialect that this engine implements. */
export function createFunctionRegistry(): FunctionRegistry {
  const r = new FunctionRegistry();

  // ---- numeric
  r.register('ABS', (a, c) => {
    arity(c, a, 1);
    need(c, a[0], (t) => numeric(t) || t.kind === 'INTERVAL', 'numeric', 0);
    return { fn: fn('ABS', (v) => Math.abs(v[0] as number)), returnType: a[0].type.kind === 'NULL' ? SqlTypes.INTEGER : a[0].type };
  });
  r.register('MOD', (a, c) => {
    arity(c, a, 2);
    need(c, a[0], numeric, 'numeric', 0);
    need(c, a[1], numeric, 'numeric', 1);
    const t = isIntegerType(a[0].type) && isIntegerType(a[1].type) ? a[1].type : (numericResultType('div', a[0].type, a[1].type) ?? SqlTypes.DOUBLE);
    return {
      fn: fn('MOD', (v) => {
        const d = v[1] as number;
        if (d === 0) throw new ExecutionError('DIVISION_BY_ZERO', 'MOD by zero');
        return (v[0] as number) % d;
      }),
      returnType: t,
    };
  });
  const dbl = (name: string, f: (x: number, y?: number) => number, n = 1, check?: (x: number, y?: number) => void) =>
    r.register(name, (a, c) => {
      arity(c, a, n);
      a.forEach((x, i) => need(c, x, numeric, 'numeric', i));
      return {
        fn: fn(name, (v) => {
          if (check) check(v[0] as number, v[1] as number);
          return f(v[0] as number, v[1] as number);
        }),
        returnType: SqlTypes.DOUBLE,
      };
    });
  dbl('POWER', (x, y) => x ** y!, 2);
  dbl('EXP', Math.exp);
  dbl('LN', Math.log, 1, (x) => {
    if (x <= 0) throw new ExecutionError('INVALID_ARGUMENT', `LN of a non-positive number ${x}`);
  });
  dbl('LOG10', Math.log10, 1, (x) => {
    if (x <= 0) throw new ExecutionError('INVALID_ARGUMENT', `LOG10 of a non-positive number ${x}`);
  });
  dbl('SQRT', Math.sqrt, 1, (x) => {
    if (x < 0) throw new ExecutionError('INVALID_ARGUMENT', `SQRT of a negative number ${x}`);
  });
  const floorCeil = (name: string, up: boolean) =>
    r.register(name, (a, c) => {
      arity(c, a, 1, 2);
      const t = a[0].type;
      const unit = unitOf(c, a[1]);
      if (unit !== null) {
        if (isDatetime(t) || t.kind === 'NULL') {
          return { fn: fn(name, (v) => (up ? ceilTo(v[0] as number, unit) : floorTo(v[0] as number, unit))), returnType: t.kind === 'NULL' ? SqlTypes.TIMESTAMP : t };
        }
        if (t.kind === 'INTERVAL' && !isYearMonthInterval(t)) {
          const u = UNIT_MS[unit];
          if (u === undefined) throw new PlanError(`cannot round an interval to ${unit}`, c.pos);
          return { fn: fn(name, (v) => (up ? Math.ceil : Math.floor)((v[0] as number) / u) * u), returnType: t };
        }
        throw new PlanError(`${name}(x TO ${unit}) needs a datetime or interval, not ${formatSqlType(t)}`, c.pos);
      }
      need(c, a[0], numeric, 'numeric', 0);
      const rt: SqlType = t.kind === 'DECIMAL' ? { kind: 'DECIMAL', precision: t.precision, scale: 0 } : t.kind === 'NULL' ? SqlTypes.INTEGER : t;
      return { fn: fn(name, (v) => (up ? Math.ceil(v[0] as number) : Math.floor(v[0] as number)) || 0), returnType: rt };
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
        fn: fn('STEP', (v) => {
          const i = v[1] as number;
          if (i <= 0) throw new ExecutionError('INVALID_ARGUMENT', 'STEP interval must be positive');
          return stepTimestamp(v[0] as number, i, ym);
        }),
        returnType: t.kind === 'NULL' ? SqlTypes.TIMESTAMP : t,
      };
    }
    need(c, a[0], numeric, 'numeric or datetime', 0);
    need(c, a[1], numeric, 'numeric', 1);
    return {
      fn: fn('STEP', (v) => {
        const i = v[1] as number;
        if (i <= 0) throw new ExecutionError('INVALID_ARGUMENT', 'STEP size must be positive');
        return Math.floor((v[0] as number) / i) * i;
      }),
      returnType: t,
    };
  });
  r.register('EXTRACT', (a, c) => {
    arity(c, a, 2);
    const unit = a[0].keyword!;
    const t = a[1].type;
    if (!isDatetime(t) && t.kind !== 'INTERVAL' && t.kind !== 'NULL') throw new PlanError(`EXTRACT needs a datetime or interval, not ${formatSqlType(t)}`, c.pos);
    return {
      fn: fn('EXTRACT', (v) => extractField(unit, v[1] as number, t)),
      returnType: unit === 'SECOND' ? { kind: 'DECIMAL', precision: 5, scale: 3 } : SqlTypes.BIGINT,
    };
  });

  // ---- strings
  const caseFn = (name: string, f: (s: string) => string) =>
    r.register(name, (a, c) => {
      arity(c, a, 1);
      need(c, a[0], character, 'a string', 0);
      return { fn: fn(name, (v) => f(v[0] as string)), returnType: varchar(charLen(a[0].type)) };
    });
  caseFn('UPPER', (s) => s.toUpperCase());
  caseFn('LOWER', (s) => s.toLowerCase());
  caseFn('INITCAP', (s) => s.toLowerCase().replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, p: string, ch: string) => p + ch.toUpperCase()));
  for (const name of ['CHAR_LENGTH', 'CHARACTER_LENGTH']) {
    r.register(name, (a, c) => {
      arity(c, a, 1);
      need(c, a[0], character, 'a string', 0);
      return { fn: fn(name, (v) => (v[0] as string).length), returnType: SqlTypes.INTEGER };
    });
  }
  r.register('POSITION', (a, c) => {
    arity(c, a, 2, 3);
    need(c, a[0], character, 'a string', 0);
    need(c, a[1], character, 'a string', 1);
    return { fn: fn('POSITION', (v) => (v[1] as string).indexOf(v[0] as string, v[2] === undefined ? 0 : Math.max((v[2] as number) - 1, 0)) + 1), returnType: SqlTypes.INTEGER };
  });
  r.register('SUBSTRING', (a, c) => {
    need(c, a[0], character, 'a string', 0);
    const rt = varchar(charLen(a[0].type));
    if (c.syntax === 'similar') {
      const cache = cached((p: string, e: string | null) => {
        const marker = `${e}"`;
        const parts = p.split(marker);
        if (parts.length !== 3) throw new ExecutionError('INVALID_PATTERN', `SUBSTRING ... SIMILAR needs the pattern split in three by ${marker}: '${p}'`);
        // KDA finds the pattern inside the string (SQLREF example: '123456789' SIMILAR '23#"456#"78' gives '456').
        const src = `(?:${similarToRegExpSource(parts[0], e)})(${similarToRegExpSource(parts[1], e)})(?:${similarToRegExpSource(parts[2], e)})`;
        return new RegExp(src);
      });
      return {
        fn: fn('SUBSTRING', (v) => {
          const m = cache(v[1] as string, v[2] as string).exec(v[0] as string);
          return m ? m[1] : null;
        }),
        returnType: rt,
      };
    }
    arity(c, a, 2, 3);
    if (c.syntax === 'from' && isCharacter(a[1].type)) {
      const cache = cached((p: string) => javaRegExp(p));
      return {
        fn: fn('SUBSTRING', (v) => {
          const m = cache(v[1] as string).exec(v[0] as string);
          return m ? m[0] : null;
        }),
        returnType: rt,
      };
    }
    need(c, a[1], numeric, 'numeric', 1);
    need(c, a[2], numeric, 'numeric', 2);
    if (c.syntax === 'from') {
      return { fn: fn('SUBSTRING', (v) => substringFrom(v[0] as string, v[1] as number, v.length > 2 ? (v[2] as number) : null)), returnType: rt };
    }
    // Comma form: a start past the end gives NULL (KDA-SEMANTICS §0 item 11).
    return {
      fn: fn('SUBSTRING', (v) => {
        const s = v[0] as string;
        const p = v[1] as number;
        if (p > s.length) return null;
        return substringFrom(s, p, v.length > 2 ? (v[2] as number) : null);
      }),
      returnType: rt,
    };
  });
  r.register('TRIM', (a, c) => {
    arity(c, a, 3);
    need(c, a[1], character, 'a string', 1);
    need(c, a[2], character, 'a string', 2);
    const spec = a[0].keyword ?? 'BOTH';
    return {
      fn: fn('TRIM', (v) => {
        const ch = v[1] as string;
        if (ch.length !== 1) throw new ExecutionError('INVALID_ARGUMENT', `TRIM character must be exactly one character, got '${ch}'`);
        let s = v[2] as string;
        if (spec !== 'TRAILING') {
          let i = 0;
          while (i < s.length && s[i] === ch) i++;
          s = s.slice(i);
        }
        if (spec !== 'LEADING') {
          let j = s.length;
          while (j > 0 && s[j - 1] === ch) j--;
          s = s.slice(0, j);
        }
        return s;
      }),
      returnType: varchar(charLen(a[2].type)),
    };
  });
  r.register('OVERLAY', (a, c) => {
    arity(c, a, 3, 4);
    need(c, a[0], character, 'a string', 0);
    need(c, a[1], character, 'a string', 1);
    return {
      fn: fn('OVERLAY', (v) => {
        const s = v[0] as string;
        const rep = v[1] as string;
        const p = v[2] as number;
        const n = v.length > 3 ? (v[3] as number) : rep.length;
        return s.slice(0, Math.max(p - 1, 0)) + rep + s.slice(Math.max(p - 1 + n, 0));
      }),
      returnType: varchar(null),
    };
  });
  r.register('REGEX_REPLACE', (a, c) => {
    arity(c, a, 5);
    for (const i of [0, 1, 2]) need(c, a[i], character, 'a string', i);
    for (const i of [3, 4]) need(c, a[i], numeric, 'an integer', i);
    const cache = cached((p: string) => javaRegExp(p, 'g'));
    return {
      fn: fn('REGEX_REPLACE', (v) => {
        const s = v[0] as string;
        const start = v[3] as number;
        const occ = v[4] as number;
        if (start < 1) throw new ExecutionError('REGEX_REPLACE', `REGEX_REPLACE start position must be >= 1, got ${start}`);
        if (occ < 0) throw new ExecutionError('REGEX_REPLACE', `REGEX_REPLACE occurrence must be >= 0, got ${occ}`);
        if (start > s.length) return s;
        const re = cache(v[1] as string);
        re.lastIndex = 0;
        const repl = javaReplacement(v[2] as string);
        const head = s.slice(0, start - 1);
        const tail = s.slice(start - 1);
        if (occ === 0) return head + tail.replace(re, repl);
        let k = 0;
        return head + tail.replace(re, (...args: unknown[]) => (++k === occ ? repl(...(args as [string, ...unknown[]])) : (args[0] as string)));
      }),
      returnType: varchar(null),
    };
  });
  r.register('LIKE', (a, c) => {
    arity(c, a, 2, 3);
    const cache = likeCache();
    return { fn: fn('LIKE', (v) => cache(v[1] as string, v.length > 2 ? (v[2] as string) : null).test(v[0] as string)), returnType: SqlTypes.BOOLEAN };
  });
  r.register('SIMILAR TO', (a, c) => {
    arity(c, a, 2, 3);
    const cache = similarCache();
    return { fn: fn('SIMILAR TO', (v) => cache(v[1] as string, v.length > 2 ? (v[2] as string) : null).test(v[0] as string)), returnType: SqlTypes.BOOLEAN };
  });

  // ---- date and time
  const parseFn = (name: string, out: 'TIMESTAMP' | 'DATE' | 'TIME') =>
    r.register(name, (a, c) => {
      arity(c, a, 2);
      need(c, a[0], character, 'a format string', 0);
      need(c, a[1], character, 'a string', 1);
      return {
        fn: fn(name, (v) => {
          const t = parseWithPattern(v[0] as string, v[1] as string);
          return out === 'DATE' ? Math.floor(t / DAY) * DAY : out === 'TIME' ? ((t % DAY) + DAY) % DAY : t;
        }),
        returnType: { kind: out },
      };
    });
  parseFn('CHAR_TO_TIMESTAMP', 'TIMESTAMP');
  parseFn('CHAR_TO_DATE', 'DATE');
  parseFn('CHAR_TO_TIME', 'TIME');
  const formatFn = (name: string, kinds: string[]) =>
    r.register(name, (a, c) => {
      arity(c, a, 2);
      need(c, a[0], character, 'a format string', 0);
      need(c, a[1], (t) => kinds.includes(t.kind), kinds.join(' or '), 1);
      // A NULL datetime formats as the string 'null' (SQLREF TIMESTAMP_TO_CHAR).
      return { fn: fn(name, (v) => (v[0] === null ? null : v[1] === null ? 'null' : formatWithPattern(v[0] as string, v[1] as number)), false), returnType: varchar(null) };
    });
  formatFn('TIMESTAMP_TO_CHAR', ['TIMESTAMP', 'DATE']);
  formatFn('DATE_TO_CHAR', ['DATE', 'TIMESTAMP']);
  formatFn('TIME_TO_CHAR', ['TIME']);
  r.register('UNIX_TIMESTAMP', (a, c) => {
    arity(c, a, 1);
    need(c, a[0], isDatetime, 'a TIMESTAMP', 0);
    return { fn: fn('UNIX_TIMESTAMP', (v) => v[0]), returnType: SqlTypes.BIGINT };
  });
  r.register('TO_TIMESTAMP', (a, c) => {
    arity(c, a, 1);
    need(c, a[0], numeric, 'a BIGINT', 0);
    return { fn: fn('TO_TIMESTAMP', (v) => fitNumber(v[0] as number, SqlTypes.BIGINT)), returnType: SqlTypes.TIMESTAMP };
  });
  r.register('TSDIFF', (a, c) => {
    arity(c, a, 2);
    need(c, a[0], (t) => isDatetime(t) || numeric(t), 'a TIMESTAMP or BIGINT', 0);
    need(c, a[1], (t) => isDatetime(t) || numeric(t), 'a TIMESTAMP or BIGINT', 1);
    return { fn: fn('TSDIFF', (v) => (v[0] as number) - (v[1] as number)), returnType: SqlTypes.BIGINT };
  });
  r.register('ROUND', (a, c) => {
    arity(c, a, 1, 2);
    need(c, a[0], numeric, 'numeric', 0);
    return { fn: fn('ROUND', (v) => roundToScale(v[0] as number, v.length > 1 ? (v[1] as number) : 0)), returnType: a[0].type };
  });
  return r;
}
