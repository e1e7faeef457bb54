import { PlanError } from '../errors.js';
import type * as A from '../sql/ast.js';
import { formatSqlType, isCharacter, isDatetime, isNumeric, isYearMonthInterval, type SqlType, SqlTypes, type Value } from '../types/sql-type.js';
import type { BoundExpr, OperatorName, ScalarFunction } from './bound-expr.js';
import { isConstant } from './bound-expr.js';
import { castAllowed } from './cast-rules.js';
import { AGGREGATE_ALIASES, AGGREGATE_KINDS, ANALYTIC_ONLY_KINDS } from './function-kinds.js';
import type { ArgumentInfo, FunctionCatalog } from './function-catalog.js';
import { datetimeLiteral, intervalLiteral, numberLiteral } from './literals.js';
import { bindFieldAccess, resolveColumnPath } from './row-field-access.js';
import type { Scope } from './scope.js';
import { commonType, comparable, numericResultType } from './type-rules.js';

/** Aggregate and analytic function names: they need GROUP BY, WINDOWED BY or OVER. */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([...AGGREGATE_KINDS, ...Object.keys(AGGREGATE_ALIASES)]);
/** Functions that exist only with OVER. */
export const ANALYTIC_ONLY_FUNCTIONS: ReadonlySet<string> = new Set(ANALYTIC_ONLY_KINDS);

export interface UserFunction {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly type: SqlType }[];
  readonly returns: SqlType;
  readonly body: BoundExpr;
  readonly strict: boolean;
}

/** Hook to take over binding of a node (aggregates, group keys, analytic calls). */
export type BindHook = (expr: A.Expr, binder: ExpressionBinder) => BoundExpr | undefined;

/** Internal functions the binder creates itself (identity MONOTONIC, interval conversion). */
export const MONOTONIC_FN: ScalarFunction = { name: 'MONOTONIC', strict: false, invoke: (a) => a[0] };

function intervalType(q: A.IntervalQualifier): SqlType {
  return { kind: 'INTERVAL', start: q.start, end: q.end };
}
const MS: Record<string, number> = { DAY: 86_400_000, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 };

/**
 * Binds AST expressions to typed {@link BoundExpr}s over a {@link Scope}: resolves names, types every node,
 * resolves functions through the catalog and rejects what the dialect does not allow, with positions.
 */
export class ExpressionBinder {
  constructor(
    readonly scope: Scope,
    readonly catalog: FunctionCatalog,
    readonly udfs: ReadonlyMap<string, UserFunction>,
    readonly hook: BindHook | null = null,
    /** Text used in "aggregate not allowed" errors, e.g. 'in WHERE'. */
    readonly context = '',
  ) {}

  withHook(hook: BindHook | null, context = this.context): ExpressionBinder {
    return new ExpressionBinder(this.scope, this.catalog, this.udfs, hook, context);
  }

  bind(e: A.Expr): BoundExpr {
    if (this.hook) {
      const r = this.hook(e, this);
      if (r !== undefined) return r;
    }
    switch (e.kind) {
      case 'Literal':
        return this.literal(e);
      case 'ColumnRef':
        return resolveColumnPath(this.scope, e.parts, e.pos);
      case 'Star':
        throw new PlanError('* is allowed only as a select item or in COUNT(*)', e.pos);
      case 'Unary':
        return this.unary(e);
      case 'Binary':
        return this.binary(e);
      case 'FunctionCall':
        return this.call(e);
      case 'Keyword':
        throw new PlanError(`unexpected keyword ${e.word}`, e.pos);
      case 'Cast':
        return this.cast(e);
      case 'Case':
        return this.caseExpr(e);
      case 'Between': {
        const x = this.bind(e.operand);
        const lo = this.bind(e.low);
        const hi = this.bind(e.high);
        this.checkComparable(x, lo, e.pos);
        this.checkComparable(x, hi, e.pos);
        const r: BoundExpr = {
          kind: 'op', op: 'and', type: SqlTypes.BOOLEAN, pos: e.pos,
          args: [op('ge', [x, lo], SqlTypes.BOOLEAN, e.pos), op('le', [x, hi], SqlTypes.BOOLEAN, e.pos)],
        };
        return e.negated ? op('not', [r], SqlTypes.BOOLEAN, e.pos) : r;
      }
      case 'InList': {
        const x = this.bind(e.operand);
        const list = e.list.map((v) => this.bind(v));
        for (const v of list) this.checkComparable(x, v, e.pos);
        const r = op('in', [x, ...list], SqlTypes.BOOLEAN, e.pos);
        return e.negated ? op('not', [r], SqlTypes.BOOLEAN, e.pos) : r;
      }
      case 'Like': {
        const args = [e.operand, e.pattern, ...(e.escape ? [e.escape] : [])].map((a) => this.bind(a));
        for (const a of args) {
          if (!isCharacter(a.type) && a.type.kind !== 'NULL') {
            throw new PlanError(`${e.op === 'LIKE' ? 'LIKE' : 'SIMILAR TO'} needs character operands, not ${formatSqlType(a.type)}`, e.pos);
          }
        }
        const r = this.resolveCall(e.op === 'LIKE' ? 'LIKE' : 'SIMILAR TO', args, e.pos, null);
        return e.negated ? op('not', [r], SqlTypes.BOOLEAN, e.pos) : r;
      }
      case 'Is': {
        const x = this.bind(e.operand);
        if (e.test === 'DISTINCT') {
          const y = this.bind(e.other!);
          this.checkComparable(x, y, e.pos);
          return op(e.negated ? 'is_not_distinct' : 'is_distinct', [x, y], SqlTypes.BOOLEAN, e.pos);
        }
        const name: OperatorName =
          e.test === 'NULL' || e.test === 'UNKNOWN'
            ? e.negated ? 'is_not_null' : 'is_null'
            : e.test === 'TRUE'
              ? e.negated ? 'is_not_true' : 'is_true'
              : e.negated ? 'is_not_false' : 'is_false';
        return op(name, [x], SqlTypes.BOOLEAN, e.pos);
      }
      case 'IntervalOf':
        return this.intervalOf(e);
      case 'FieldAccess':
        return bindFieldAccess(this.bind(e.operand), e.field, e.pos);
      case 'Cursor':
        throw new PlanError('CURSOR(...) is allowed only as an argument of a table function in FROM TABLE(...)', e.pos);
      case 'ScalarSubquery':
        throw new PlanError('a subquery is not allowed in an expression; use it in FROM', e.pos);
    }
  }

  private literal(e: A.LiteralExpr): BoundExpr {
    const v = e.value;
    switch (v.type) {
      case 'NUMBER': {
        const { value, type } = numberLiteral(v.text);
        return { kind: 'literal', value, type };
      }
      case 'STRING':
        return { kind: 'literal', value: v.value, type: { kind: 'CHAR', length: Math.max(v.value.length, 1) } };
      case 'BOOLEAN':
        return { kind: 'literal', value: v.value, type: SqlTypes.BOOLEAN };
      case 'NULL':
        return { kind: 'literal', value: null, type: SqlTypes.NULL };
      case 'TIMESTAMP':
      case 'DATE':
      case 'TIME':
        return { kind: 'literal', value: datetimeLiteral(v.type, v.text, e.pos), type: { kind: v.type } };
      case 'INTERVAL':
        return { kind: 'literal', value: intervalLiteral(v.text, v.qualifier, v.negative, e.pos), type: intervalType(v.qualifier) };
      case 'BINARY': {
        if (!/^([0-9a-fA-F]{2})*$/.test(v.hex)) throw new PlanError(`X'${v.hex}' is not a valid binary literal`, e.pos);
        const bytes = new Uint8Array(v.hex.length / 2);
        for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(v.hex.slice(i * 2, i * 2 + 2), 16);
        return { kind: 'literal', value: bytes, type: { kind: 'BINARY', length: bytes.length } };
      }
    }
  }

  private unary(e: A.UnaryExpr): BoundExpr {
    const x = this.bind(e.operand);
    if (e.op === 'NOT') {
      this.checkBoolean(x, e.pos, 'NOT');
      return op('not', [x], SqlTypes.BOOLEAN, e.pos);
    }
    if (!isNumeric(x.type) && x.type.kind !== 'INTERVAL' && x.type.kind !== 'NULL') {
      throw new PlanError(`unary ${e.op} needs a number or an interval, not ${formatSqlType(x.type)}`, e.pos);
    }
    if (e.op === '+') return x;
    if (x.kind === 'literal' && typeof x.value === 'number') return { kind: 'literal', value: -x.value, type: x.type };
    return op('neg', [x], x.type, e.pos);
  }

  private checkBoolean(x: BoundExpr, pos: A.Pos, what: string): void {
    if (x.type.kind !== 'BOOLEAN' && x.type.kind !== 'NULL') throw new PlanError(`${what} needs a BOOLEAN operand, not ${formatSqlType(x.type)}`, pos);
  }

  private checkComparable(a: BoundExpr, b: BoundExpr, pos: A.Pos): void {
    if (!comparable(a.type, b.type)) throw new PlanError(`cannot compare ${formatSqlType(a.type)} with ${formatSqlType(b.type)}`, pos);
  }

  /**
   * Operands of a comparison, with a character operand compared to a number, datetime or boolean converted to
   * that type (as an implicit CAST; a value that does not convert is a row error).
   */
  private comparisonOperands(a: BoundExpr, b: BoundExpr, pos: A.Pos): [BoundExpr, BoundExpr] {
    const convertible = (t: SqlType) => isNumeric(t) || isDatetime(t) || t.kind === 'BOOLEAN';
    if (isCharacter(a.type) && convertible(b.type)) return [{ kind: 'cast', operand: a, type: b.type, pos }, b];
    if (isCharacter(b.type) && convertible(a.type)) return [a, { kind: 'cast', operand: b, type: a.type, pos }];
    this.checkComparable(a, b, pos);
    return [a, b];
  }

  private binary(e: A.BinaryExpr): BoundExpr {
    const a = this.bind(e.left);
    const b = this.bind(e.right);
    const ta = a.type;
    const tb = b.type;
    const mismatch = (): never => {
      throw new PlanError(`operator ${e.op} cannot be applied to ${formatSqlType(ta)} and ${formatSqlType(tb)}`, e.pos);
    };
    switch (e.op) {
      case 'AND':
      case 'OR':
        this.checkBoolean(a, e.left.pos, e.op);
        this.checkBoolean(b, e.right.pos, e.op);
        return op(e.op === 'AND' ? 'and' : 'or', [a, b], SqlTypes.BOOLEAN, e.pos);
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const name = ({ '=': 'eq', '<>': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const)[e.op];
        return op(name, this.comparisonOperands(a, b, e.pos), SqlTypes.BOOLEAN, e.pos);
      }
      case '||': {
        if ((isCharacter(ta) || ta.kind === 'NULL') && (isCharacter(tb) || tb.kind === 'NULL')) {
          const la = isCharacter(ta) ? ta.length : 0;
          const lb = isCharacter(tb) ? tb.length : 0;
          return op('concat', [a, b], { kind: 'VARCHAR', length: la === null || lb === null ? null : la + lb }, e.pos);
        }
        return mismatch();
      }
      case '+':
      case '-': {
        const name = e.op === '+' ? 'add' : 'sub';
        const n = numericResultType(name, ta, tb);
        if (n) return op(name, [a, b], n, e.pos);
        if (isDatetime(ta) && tb.kind === 'INTERVAL') return op(name, [a, b], ta, e.pos);
        if (e.op === '+' && ta.kind === 'INTERVAL' && isDatetime(tb)) return op(name, [b, a], tb, e.pos);
        if (ta.kind === 'INTERVAL' && tb.kind === 'INTERVAL') {
          if (isYearMonthInterval(ta) !== isYearMonthInterval(tb)) mismatch();
          return op(name, [a, b], widerInterval(ta, tb), e.pos);
        }
        if ((ta.kind === 'NULL' && (isDatetime(tb) || tb.kind === 'INTERVAL')) || (tb.kind === 'NULL' && (isDatetime(ta) || ta.kind === 'INTERVAL'))) {
          return { kind: 'literal', value: null, type: ta.kind === 'NULL' ? tb : ta };
        }
        if (e.op === '-' && isDatetime(ta) && isDatetime(tb)) {
          throw new PlanError('the difference of two datetimes needs an interval qualifier: write (a - b) SECOND, (a - b) DAY TO SECOND, ...', e.pos);
        }
        return mismatch();
      }
      case '*': {
        const n = numericResultType('mul', ta, tb);
        if (n) return op('mul', [a, b], n, e.pos);
        if (ta.kind === 'INTERVAL' && isNumeric(tb)) return op('mul', [a, b], ta, e.pos);
        if (isNumeric(ta) && tb.kind === 'INTERVAL') return op('mul', [b, a], tb, e.pos);
        return mismatch();
      }
      case '/': {
        const n = numericResultType('div', ta, tb);
        if (n) return op('div', [a, b], n, e.pos);
        if (ta.kind === 'INTERVAL' && isNumeric(tb)) return op('div', [a, b], ta, e.pos);
        return mismatch();
      }
    }
  }

  private intervalOf(e: A.IntervalCastExpr): BoundExpr {
    const q = e.qualifier;
    const type = intervalType(q);
    const unitMs = MS[q.end] ?? 1;
    const o = e.operand;
    if (o.kind === 'Binary' && o.op === '-') {
      const a = this.bind(o.left);
      const b = this.bind(o.right);
      if (isDatetime(a.type) && isDatetime(b.type)) {
        if (isYearMonthInterval(type)) {
          const fn: ScalarFunction = { name: 'MONTHS_BETWEEN', strict: true, invoke: (v) => monthsBetween(v[0] as number, v[1] as number) };
          return { kind: 'call', fn, args: [a, b], type, pos: e.pos };
        }
        const fn: ScalarFunction = {
          name: `DIFF_${q.end}`,
          strict: true,
          // Truncated toward zero to the qualifier's last field (SECOND keeps milliseconds).
          invoke: (v) => (q.end === 'SECOND' ? (v[0] as number) - (v[1] as number) : Math.trunc(((v[0] as number) - (v[1] as number)) / unitMs) * unitMs),
        };
        return { kind: 'call', fn, args: [a, b], type, pos: e.pos };
      }
    }
    const x = this.bind(o);
    if (x.type.kind === 'INTERVAL') return { kind: 'cast', operand: x, type, pos: e.pos };
    if (isNumeric(x.type)) {
      const factor = isYearMonthInterval(type) ? (q.end === 'YEAR' ? 12 : 1) : unitMs;
      return op('mul', [x, { kind: 'literal', value: factor, type: SqlTypes.INTEGER }], type, e.pos);
    }
    throw new PlanError(`cannot read ${formatSqlType(x.type)} as an interval ${q.start}`, e.pos);
  }

  private cast(e: A.CastExpr): BoundExpr {
    const x = this.bind(e.operand);
    if (!castAllowed(x.type, e.type)) {
      throw new PlanError(`invalid cast from ${formatSqlType(x.type)} to ${formatSqlType(e.type)}`, e.pos);
    }
    return { kind: 'cast', operand: x, type: e.type, pos: e.pos };
  }

  private caseExpr(e: A.CaseExpr): BoundExpr {
    const operand = e.operand ? this.bind(e.operand) : null;
    let type: SqlType = SqlTypes.NULL;
    const whens = e.whens.map((w) => {
      let cond = this.bind(w.when);
      if (operand) {
        this.checkComparable(operand, cond, w.when.pos);
        cond = op('eq', [operand, cond], SqlTypes.BOOLEAN, w.when.pos);
      } else this.checkBoolean(cond, w.when.pos, 'WHEN');
      const then = this.bind(w.then);
      const t = commonType(type, then.type);
      if (t === null) throw new PlanError(`CASE branches have incompatible types ${formatSqlType(type)} and ${formatSqlType(then.type)}`, w.then.pos);
      type = t;
      return { when: cond, then };
    });
    let otherwise: BoundExpr | null = null;
    if (e.otherwise) {
      otherwise = this.bind(e.otherwise);
      const t = commonType(type, otherwise.type);
      if (t === null) throw new PlanError(`CASE branches have incompatible types ${formatSqlType(type)} and ${formatSqlType(otherwise.type)}`, e.otherwise.pos);
      type = t;
    }
    return { kind: 'case', whens, otherwise, type };
  }

  private call(e: A.FunctionCallExpr): BoundExpr {
    const name = e.name.name;
    if (!e.name.quoted || this.udfs.has(name)) {
      const udf = this.udfs.get(name);
      if (udf) return this.udfCall(udf, e);
    }
    if (e.over !== null || AGGREGATE_FUNCTIONS.has(name) || ANALYTIC_ONLY_FUNCTIONS.has(name)) {
      if (e.over !== null) throw new PlanError(`${name}(...) OVER is not allowed ${this.context || 'here'}`, e.pos);
      if (ANALYTIC_ONLY_FUNCTIONS.has(name)) throw new PlanError(`${name} needs an OVER window`, e.pos);
      throw new PlanError(`aggregate function ${name} is not allowed ${this.context || 'here'}: use it with GROUP BY (a monotonic key), WINDOWED BY STAGGER or OVER a window`, e.pos);
    }
    if (e.star) throw new PlanError(`${name}(*) is not a function call; only COUNT(*) takes *`, e.pos);
    if (e.distinct) throw new PlanError(`DISTINCT is allowed only in aggregate functions, not in ${name}`, e.pos);
    switch (name) {
      case 'MONOTONIC': {
        if (e.args.length !== 1) throw new PlanError('MONOTONIC takes one argument', e.pos);
        const x = this.bind(e.args[0]);
        return { kind: 'call', fn: MONOTONIC_FN, args: [x], type: x.type, pos: e.pos };
      }
      case 'COALESCE': {
        if (e.args.length === 0) throw new PlanError('COALESCE needs at least one argument', e.pos);
        const args = e.args.map((a) => this.bind(a));
        let type: SqlType = SqlTypes.NULL;
        for (const a of args) {
          const t = commonType(type, a.type);
          if (t === null) throw new PlanError(`COALESCE arguments have incompatible types ${formatSqlType(type)} and ${formatSqlType(a.type)}`, e.pos);
          type = t;
        }
        return op('coalesce', args, type, e.pos);
      }
      case 'NULLIF': {
        if (e.args.length !== 2) throw new PlanError('NULLIF takes two arguments', e.pos);
        const [a, b] = e.args.map((x) => this.bind(x));
        this.checkComparable(a, b, e.pos);
        return { kind: 'case', whens: [{ when: op('eq', [a, b], SqlTypes.BOOLEAN, e.pos), then: { kind: 'literal', value: null, type: a.type } }], otherwise: a, type: a.type };
      }
      case 'CURRENT_ROW_TIMESTAMP':
        return { kind: 'now', which: 'row', type: SqlTypes.TIMESTAMP };
      case 'CURRENT_TIMESTAMP':
      case 'LOCALTIMESTAMP':
        return { kind: 'now', which: 'query', type: SqlTypes.TIMESTAMP };
      case 'CURRENT_DATE':
        return { kind: 'cast', operand: { kind: 'now', which: 'query', type: SqlTypes.TIMESTAMP }, type: SqlTypes.DATE, pos: e.pos };
      case 'CURRENT_TIME':
      case 'LOCALTIME':
        return { kind: 'cast', operand: { kind: 'now', which: 'query', type: SqlTypes.TIMESTAMP }, type: SqlTypes.TIME, pos: e.pos };
      default:
        break;
    }
    if (this.catalog.has !== undefined && !this.catalog.has(name)) throw new PlanError(`unknown function ${name}`, e.pos);
    const args = e.args.map((a) => (a.kind === 'Keyword' ? ({ kind: 'literal', value: a.word, type: { kind: 'VARCHAR', length: a.word.length }, keyword: a.word } as BoundExpr & { keyword: string }) : this.bind(a)));
    return this.resolveCall(name, args, e.pos, e);
  }

  private resolveCall(name: string, args: BoundExpr[], pos: A.Pos, call: A.FunctionCallExpr | null): BoundExpr {
    const infos: ArgumentInfo[] = args.map((a) => {
      const kw = (a as { keyword?: string }).keyword;
      const constant = isConstant(a);
      return { type: a.type, isConstant: constant, ...(a.kind === 'literal' ? { constant: a.value as Value } : {}), ...(kw !== undefined ? { keyword: kw } : {}) };
    });
    const synthetic: A.FunctionCallExpr = call ?? {
      kind: 'FunctionCall', name: { name, quoted: false, pos }, args: [], distinct: false, star: false, syntax: 'call', nullTreatment: null, fromLast: false, over: null, pos,
    };
    const r = this.catalog.resolve(name, infos, synthetic);
    if (r === undefined) throw new PlanError(`unknown function ${name}`, pos);
    return { kind: 'call', fn: r.fn, args, type: r.returnType, pos };
  }

  private udfCall(udf: UserFunction, e: A.FunctionCallExpr): BoundExpr {
    if (e.args.length !== udf.params.length) {
      throw new PlanError(`function ${udf.name} takes ${udf.params.length} argument(s), got ${e.args.length}`, e.pos);
    }
    const args = e.args.map((a, i) => {
      const x = this.bind(a);
      const want = udf.params[i].type;
      if (!castAllowed(x.type, want) && x.type.kind !== 'NULL') {
        throw new PlanError(`argument ${i + 1} of ${udf.name} must be ${formatSqlType(want)}, not ${formatSqlType(x.type)}`, a.pos);
      }
      return x;
    });
    return { kind: 'udf', name: udf.name, body: udf.body, args, strict: udf.strict, type: udf.returns };
  }
}

export function op(name: OperatorName, args: BoundExpr[], type: SqlType, pos: A.Pos): BoundExpr {
  return { kind: 'op', op: name, args, type, pos };
}

const FIELD_ORDER = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
function widerInterval(a: SqlType, b: SqlType): SqlType {
  if (a.kind !== 'INTERVAL' || b.kind !== 'INTERVAL') return a;
  const s = Math.min(FIELD_ORDER.indexOf(a.start), FIELD_ORDER.indexOf(b.start));
  const e = Math.max(FIELD_ORDER.indexOf(a.end), FIELD_ORDER.indexOf(b.end));
  return { kind: 'INTERVAL', start: FIELD_ORDER[s], end: FIELD_ORDER[e] };
}

function monthsBetween(a: number, b: number): number {
  const da = new Date(a);
  const db = new Date(b);
  let m = (da.getUTCFullYear() - db.getUTCFullYear()) * 12 + (da.getUTCMonth() - db.getUTCMonth());
  const ra = a - Date.UTC(da.getUTCFullYear(), da.getUTCMonth(), 1);
  const rb = b - Date.UTC(db.getUTCFullYear(), db.getUTCMonth(), 1);
  if (m > 0 && ra < rb) m--;
  if (m < 0 && ra > rb) m++;
  return m;
}
