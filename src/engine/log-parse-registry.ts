import { PlanError } from '../errors.js';
import type { Value } from '../types/sql-type.js';
import { formatSqlType, isCharacter } from '../types/sql-type.js';
import type { FunctionRegistry } from './function-registry.js';
import { LOG_PARSE_FUNCTION_NAMES, planLogParseFunction } from './logparse/index.js';

/**
 * Registers the row-valued log-parsing functions (REGEX_LOG_PARSE, FAST_REGEX_LOG_PARSE, W3C_LOG_PARSE,
 * VARIABLE_COLUMN_LOG_PARSE, FIXED_COLUMN_LOG_PARSE, SYS_LOG_PARSE). The arguments after the input string must be
 * literals: the parser is built at plan time from them, which gives the ROW type (COLUMN1.. or the typed column
 * list) that `(f(...)).COLUMN1` and `t.r.COLUMN1` read. A NULL input or no match gives a NULL ROW (every field
 * NULL); a typed field that does not convert throws ExecutionError, which sends the row to error_stream.
 *
 * @example
 * registerLogParseFunctions(createFunctionRegistry());
 */
export function registerLogParseFunctions(r: FunctionRegistry): FunctionRegistry {
  for (const name of LOG_PARSE_FUNCTION_NAMES) {
    r.register(name, (a, c) => {
      if (a.length === 0) throw new PlanError(`${name} needs the string to parse as its first argument`, c.pos);
      if (a[0].type.kind !== 'NULL' && !isCharacter(a[0].type)) {
        throw new PlanError(`argument 1 of ${name} must be a string, not ${formatSqlType(a[0].type)}`, c.args[0]?.pos ?? c.pos);
      }
      const constants: Value[] = a.slice(1).map((x, i) => {
        if (!('constant' in x)) throw new PlanError(`argument ${i + 2} of ${name} must be a constant (a literal), so the ROW's columns are known before the application starts`, c.args[i + 1]?.pos ?? c.pos);
        return x.constant as Value;
      });
      let parser;
      try {
        parser = planLogParseFunction(name, constants);
      } catch (e) {
        // The parsers know what is wrong with a pattern or column list, not where it is: point at the argument.
        if (e instanceof PlanError && e.line === undefined) throw new PlanError(e.detail, c.args[1]?.pos ?? c.pos);
        throw e;
      }
      const p = parser;
      return { fn: { name, strict: true, invoke: (v) => p.parse(v[0] as string) }, returnType: p.rowType };
    });
  }
  return r;
}
