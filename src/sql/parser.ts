import { SqlSyntaxError } from '../errors.js';
import { parseSqlType, SqlTypeSyntaxError, type SqlType } from '../types/sql-type.js';
import type * as A from './ast.js';
import { tokenize } from './lexer.js';
import { RESERVED_FUNCTION_NAMES, RESERVED_WORDS } from './reserved-words.js';
import { describeToken, type Token } from './token.js';

const INTERVAL_FIELDS = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
/** Units accepted by FLOOR/CEIL(x TO unit) and EXTRACT. */
const TIME_UNITS = new Set(['YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'DOW', 'DOY', 'EPOCH']);
const COMPARISON_OPS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
/** Functions written without parentheses. */
const NILADIC = new Set(['CURRENT_ROW_TIMESTAMP', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'LOCALTIMESTAMP']);

/**
 * Parses a whole application (a series of CREATE STREAM / PUMP / FUNCTION statements separated by `;`).
 * Throws {@link SqlSyntaxError} with the line, column and what was expected at the first error.
 *
 * @example
 * parseScript('CREATE STREAM s (a INTEGER);').statements[0].kind // 'CreateStream'
 */
export function parseScript(sql: string): A.Script {
  return new Parser(tokenize(sql)).script();
}

/** Parses one expression (used by tests and tools). */
export function parseExpression(sql: string): A.Expr {
  const p = new Parser(tokenize(sql));
  const e = p.expr();
  p.expectEof();
  return e;
}

/** Parses one query (SELECT ... or a UNION). */
export function parseQuery(sql: string): A.Query {
  const p = new Parser(tokenize(sql));
  const q = p.query();
  p.expectEof();
  return q;
}

/**
 * How deep an application's syntax tree may get, so that parsing, planning and compiling (which recurse once
 * per level) stay well inside the call stack and a deeper input is a syntax error rather than a crash:
 * MAX_NESTING_DEPTH levels of parentheses, subqueries, function calls, NOT or signs, or MAX_CHAIN_DEPTH
 * operators in a chain (`a + b + ...`, `x OR y OR ...`; each makes the tree one level deeper), or a mix
 * (a nesting level costs as much as NESTING_COST chained operators). Far above what applications write.
 */
export const MAX_CHAIN_DEPTH = 1000;
const NESTING_COST = 4;
export const MAX_NESTING_DEPTH = MAX_CHAIN_DEPTH / NESTING_COST;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Runs `f` one nesting level deeper; past MAX_NESTING_DEPTH it is a syntax error at `t`. */
  private nested<T>(t: Token, f: () => T): T {
    this.depth += NESTING_COST;
    if (this.depth > MAX_CHAIN_DEPTH) {
      throw new SqlSyntaxError(`nesting deeper than ${MAX_NESTING_DEPTH} levels (parentheses, subqueries, function calls, NOT or signs)`, { line: t.line, column: t.column });
    }
    const r = f();
    this.depth -= NESTING_COST;
    return r;
  }

  /**
   * One more operator in a chain (`a + b + c`, `x OR y OR z`): each makes the tree one level deeper, and what
   * comes after the parser (binding, compiling) walks that depth recursively. The caller gives the levels back.
   */
  private chained(t: Token): void {
    if (++this.depth > MAX_CHAIN_DEPTH) {
      throw new SqlSyntaxError(`expression nested deeper than ${MAX_CHAIN_DEPTH} levels (each operator of a chain such as a ${t.text} b ${t.text} c is one level, a parenthesis ${NESTING_COST})`, { line: t.line, column: t.column });
    }
  }

  // ------------------------------------------------------------ token helpers
  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text === word;
  }
  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === op;
  }
  private acceptWord(word: string): boolean {
    if (this.isWord(word)) {
      this.i++;
      return true;
    }
    return false;
  }
  private acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.i++;
      return true;
    }
    return false;
  }
  private fail(expected: readonly string[], t: Token = this.peek()): never {
    const what = expected.length === 1 ? expected[0] : `one of ${expected.join(', ')}`;
    throw new SqlSyntaxError(`expected ${what} but found ${describeToken(t)}`, t, expected);
  }
  private expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail([word]);
    return this.next();
  }
  private expectOp(op: string): Token {
    if (!this.isOp(op)) this.fail([`'${op}'`]);
    return this.next();
  }
  expectEof(): void {
    if (this.peek().kind !== 'eof') this.fail(['end of input']);
  }
  private pos(t: Token = this.peek()): A.Pos {
    return { line: t.line, column: t.column };
  }

  /** An identifier: quoted, or unquoted and not reserved. */
  private identifier(what = 'identifier'): A.Identifier {
    const t = this.peek();
    if (t.kind === 'quoted') {
      this.next();
      return { name: t.text, quoted: true, pos: this.pos(t) };
    }
    if (t.kind === 'ident') {
      if (RESERVED_WORDS.has(t.text)) {
        throw new SqlSyntaxError(`'${t.raw}' is a reserved word; quote it ("${t.raw}") to use it as ${what === 'identifier' ? 'an identifier' : `a ${what}`}`, t, [what]);
      }
      this.next();
      return { name: t.text, quoted: false, pos: this.pos(t) };
    }
    return this.fail([what]);
  }
  private isIdentifierStart(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'quoted' || (t.kind === 'ident' && !RESERVED_WORDS.has(t.text));
  }

  // ------------------------------------------------------------ statements
  script(): A.Script {
    const statements: A.Statement[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.acceptOp(';')) continue;
      statements.push(this.statement());
      if (this.peek().kind !== 'eof') this.expectOp(';');
    }
    return { statements };
  }

  private statement(): A.Statement {
    const start = this.peek();
    this.expectWord('CREATE');
    let orReplace = false;
    if (this.acceptWord('OR')) {
      this.expectWord('REPLACE');
      orReplace = true;
    }
    if (this.acceptWord('STREAM')) return this.createStream(orReplace, start);
    if (this.acceptWord('PUMP')) return this.createPump(orReplace, start);
    if (this.acceptWord('FUNCTION')) return this.createFunction(orReplace, start);
    return this.fail(['STREAM', 'PUMP', 'FUNCTION']);
  }

  private createStream(orReplace: boolean, start: Token): A.CreateStreamStatement {
    const name = this.identifier('stream name');
    this.expectOp('(');
    const columns: A.ColumnDef[] = [];
    do {
      const ct = this.peek();
      const cname = this.identifier('column name');
      const type = this.dataType(false);
      let notNull = false;
      if (this.acceptWord('NOT')) {
        this.expectWord('NULL');
        notNull = true;
      } else this.acceptWord('NULL');
      columns.push({ name: cname, type, notNull, pos: this.pos(ct) });
    } while (this.acceptOp(','));
    this.expectOp(')');
    let description: string | null = null;
    if (this.acceptWord('DESCRIPTION')) {
      const t = this.peek();
      if (t.kind !== 'string') this.fail(['a string literal']);
      this.next();
      description = t.text;
    }
    return { kind: 'CreateStream', orReplace, name, columns, description, pos: this.pos(start) };
  }

  private createPump(orReplace: boolean, start: Token): A.CreatePumpStatement {
    const name = this.identifier('pump name');
    this.expectWord('AS');
    this.expectWord('INSERT');
    this.expectWord('INTO');
    const target = this.identifier('stream name');
    let columns: A.Identifier[] | null = null;
    if (this.isOp('(') && !this.isWord('SELECT', 1)) {
      this.next();
      columns = [];
      do columns.push(this.identifier('column name'));
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    const query = this.query();
    return { kind: 'CreatePump', orReplace, name, target, columns, query, pos: this.pos(start) };
  }

  private createFunction(orReplace: boolean, start: Token): A.CreateFunctionStatement {
    const name = this.identifier('function name');
    this.expectOp('(');
    const params: A.FunctionParam[] = [];
    if (!this.isOp(')')) {
      do params.push({ name: this.identifier('parameter name'), type: this.dataType(true) });
      while (this.acceptOp(','));
    }
    this.expectOp(')');
    this.expectWord('RETURNS');
    const returns = this.dataType(true);
    // Routine characteristics, in any order, until RETURN.
    for (;;) {
      if (this.acceptWord('LANGUAGE')) this.expectWord('SQL');
      else if (this.acceptWord('CONTAINS')) this.expectWord('SQL');
      else if (this.acceptWord('DETERMINISTIC')) continue;
      else if (this.isWord('NOT') && this.isWord('DETERMINISTIC', 1)) this.i += 2;
      else if (this.isWord('NO') && this.isWord('SQL', 1)) this.i += 2;
      else if (this.isWord('READS') || this.isWord('MODIFIES')) {
        this.next();
        this.expectWord('SQL');
        this.expectWord('DATA');
      } else if (this.isWord('RETURNS') && this.isWord('NULL', 1)) {
        this.i += 2;
        this.expectWord('ON');
        this.expectWord('NULL');
        this.expectWord('INPUT');
      } else if (this.isWord('CALLED')) {
        this.next();
        this.expectWord('ON');
        this.expectWord('NULL');
        this.expectWord('INPUT');
      } else break;
    }
    this.expectWord('RETURN');
    const body = this.expr();
    return { kind: 'CreateFunction', orReplace, name, params, returns, body, pos: this.pos(start) };
  }

  /** A data type; INTERVAL types only where `allowInterval` (CAST, function signatures). */
  private dataType(allowInterval: boolean): SqlType {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(['a data type']);
    if (t.text === 'INTERVAL') {
      if (!allowInterval) {
        throw new SqlSyntaxError('INTERVAL is allowed only in expressions, not as a column type', t, ['a column data type']);
      }
      this.next();
      const q = this.intervalQualifier();
      return { kind: 'INTERVAL', start: q.start, end: q.end };
    }
    this.next();
    let text = t.text;
    if ((text === 'DOUBLE' && this.isWord('PRECISION')) || ((text === 'CHARACTER' || text === 'CHAR') && this.isWord('VARYING'))) {
      text += ' ' + this.next().text;
    }
    if (this.acceptOp('(')) {
      const a = this.peek();
      if (a.kind !== 'number') this.fail(['a length or precision']);
      this.next();
      text += `(${a.text}`;
      if (this.acceptOp(',')) {
        const b = this.peek();
        if (b.kind !== 'number') this.fail(['a scale']);
        this.next();
        text += `,${b.text}`;
      }
      this.expectOp(')');
      text += ')';
    }
    try {
      return parseSqlType(text);
    } catch (e) {
      if (e instanceof SqlTypeSyntaxError) throw new SqlSyntaxError(e.message, t, ['a data type']);
      throw e;
    }
  }

  private intervalQualifier(): A.IntervalQualifier {
    const t = this.peek();
    if (t.kind !== 'ident' || !INTERVAL_FIELDS.has(t.text)) this.fail(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
    this.next();
    const start = t.text as A.IntervalField;
    this.skipPrecision();
    let end = start;
    if (this.acceptWord('TO')) {
      const e = this.peek();
      if (e.kind !== 'ident' || !INTERVAL_FIELDS.has(e.text)) this.fail(['MONTH', 'HOUR', 'MINUTE', 'SECOND']);
      this.next();
      end = e.text as A.IntervalField;
      this.skipPrecision();
    }
    return { start, end };
  }
  private skipPrecision(): void {
    if (this.isOp('(') && this.peek(1).kind === 'number') {
      this.i += 2;
      if (this.acceptOp(',')) this.next();
      this.expectOp(')');
    }
  }

  // ------------------------------------------------------------ queries
  query(): A.Query {
    let left: A.Query = this.queryTerm();
    while (this.isWord('UNION')) {
      const t = this.next();
      const all = this.acceptWord('ALL');
      if (!all) this.acceptWord('DISTINCT');
      let right = this.queryTerm();
      let orderBy: readonly A.OrderItem[] | null = null;
      if (right.kind === 'Select' && right.orderBy !== null && right.orderWithin === null) {
        // The ORDER BY parsed with the last SELECT sorts the whole union (SQLREF ORDER BY example).
        orderBy = right.orderBy;
        right = { ...right, orderBy: null };
      }
      left = { kind: 'Union', all, left, right, orderBy, pos: this.pos(t) };
    }
    return left;
  }

  private queryTerm(): A.Query {
    if (this.isOp('(') && (this.isWord('SELECT', 1) || this.isOp('(', 1))) {
      const t = this.next();
      const q = this.nested(t, () => this.query());
      this.expectOp(')');
      return q;
    }
    return this.select();
  }

  private select(): A.SelectQuery {
    const start = this.expectWord('SELECT');
    const stream = this.acceptWord('STREAM');
    let distinct = false;
    if (this.acceptWord('DISTINCT')) distinct = true;
    else this.acceptWord('ALL');
    const items: A.SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    this.expectWord('FROM');
    const from = this.fromClause();
    let where: A.Expr | null = null;
    if (this.acceptWord('WHERE')) where = this.expr();
    let groupBy: A.Expr[] | null = null;
    let stagger: A.StaggerSpec | null = null;
    if (this.isWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      groupBy = [];
      do groupBy.push(this.expr());
      while (this.acceptOp(','));
    } else if (this.isWord('WINDOWED')) {
      const wt = this.next();
      this.expectWord('BY');
      this.expectWord('STAGGER');
      this.expectOp('(');
      const partitionBy: A.Expr[] = [];
      if (this.acceptWord('PARTITION')) {
        this.expectWord('BY');
        do partitionBy.push(this.expr());
        while (this.acceptOp(','));
      }
      this.expectWord('RANGE');
      const range = this.expr();
      this.expectOp(')');
      stagger = { partitionBy, range, pos: this.pos(wt) };
    }
    let having: A.Expr | null = null;
    if (this.acceptWord('HAVING')) having = this.expr();
    const windows: A.NamedWindow[] = [];
    if (this.acceptWord('WINDOW')) {
      do {
        const name = this.identifier('window name');
        this.expectWord('AS');
        windows.push({ name, spec: this.windowSpecInParens() });
      } while (this.acceptOp(','));
    }
    let orderBy: A.OrderItem[] | null = null;
    let orderWithin: A.Expr | null = null;
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      orderBy = this.orderItems();
      if (this.acceptWord('WITHIN')) orderWithin = this.expr();
    }
    return { kind: 'Select', stream, distinct, items, from, where, groupBy, stagger, having, windows, orderBy, orderWithin, pos: this.pos(start) };
  }

  private orderItems(): A.OrderItem[] {
    const items: A.OrderItem[] = [];
    do {
      const t = this.peek();
      const expr = this.expr();
      let descending = false;
      if (this.acceptWord('DESC')) descending = true;
      else this.acceptWord('ASC');
      items.push({ expr, descending, pos: this.pos(t) });
    } while (this.acceptOp(','));
    return items;
  }

  private selectItem(): A.SelectItem {
    const t = this.peek();
    if (this.isOp('*')) {
      this.next();
      return { expr: { kind: 'Star', qualifier: null, pos: this.pos(t) }, alias: null, pos: this.pos(t) };
    }
    if (this.isIdentifierStart() && this.isOp('.', 1) && this.isOp('*', 2)) {
      const q = this.identifier();
      this.i += 2;
      return { expr: { kind: 'Star', qualifier: q, pos: this.pos(t) }, alias: null, pos: this.pos(t) };
    }
    const expr = this.expr();
    let alias: A.Identifier | null = null;
    if (this.acceptWord('AS')) {
      // `AS ROWTIME` sets the output row's time (T-sort and re-timing idioms).
      if (this.isWord('ROWTIME')) {
        const rt = this.next();
        alias = { name: 'ROWTIME', quoted: false, pos: this.pos(rt) };
      } else alias = this.identifier('alias');
    } else if (this.isIdentifierStart()) alias = this.identifier('alias');
    return { expr, alias, pos: this.pos(t) };
  }

  private fromClause(): A.FromItem {
    let left = this.fromItem();
    for (;;) {
      const t = this.peek();
      let joinKind: A.JoinKind | null = null;
      const natural = this.acceptWord('NATURAL');
      if (natural && !this.isWord('JOIN') && !this.isWord('INNER') && !this.isWord('LEFT') && !this.isWord('RIGHT') && !this.isWord('FULL')) {
        this.fail(['JOIN', 'INNER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN']);
      }
      if (!natural && this.acceptOp(',')) joinKind = 'COMMA';
      else if (this.isWord('JOIN')) {
        this.next();
        joinKind = 'INNER';
      } else if (this.isWord('INNER')) {
        this.next();
        this.expectWord('JOIN');
        joinKind = 'INNER';
      } else if (this.isWord('CROSS')) {
        this.next();
        this.expectWord('JOIN');
        joinKind = 'CROSS';
      } else if (this.isWord('LEFT') || this.isWord('RIGHT') || this.isWord('FULL')) {
        joinKind = this.next().text as A.JoinKind;
        this.acceptWord('OUTER');
        this.expectWord('JOIN');
      } else if (this.isWord('OUTER') && this.isWord('JOIN', 1)) {
        this.i += 2;
        joinKind = 'FULL';
      }
      if (joinKind === null) return left;
      const right = this.fromItem();
      let on: A.Expr | null = null;
      let using: A.Identifier[] | null = null;
      if (joinKind !== 'COMMA' && joinKind !== 'CROSS' && !natural) {
        if (this.acceptWord('USING')) {
          this.expectOp('(');
          using = [this.identifier('column name')];
          while (this.acceptOp(',')) using.push(this.identifier('column name'));
          this.expectOp(')');
        } else {
          if (!this.isWord('ON')) this.fail(['ON', 'USING']);
          this.next();
          on = this.expr();
        }
      }
      left = { kind: 'Join', joinKind, left, right, on, using, natural, pos: this.pos(t) };
    }
  }

  private fromItem(): A.FromItem {
    const t = this.peek();
    if (this.isOp('(')) {
      if (this.isWord('SELECT', 1) || this.isOp('(', 1)) {
        this.next();
        const query = this.nested(t, () => this.query());
        this.expectOp(')');
        const window = this.optionalOver();
        const alias = this.optionalAlias();
        return { kind: 'Subquery', query, alias, window: window ?? this.optionalOver(), pos: this.pos(t) };
      }
      this.next();
      const inner = this.nested(t, () => this.fromClause());
      this.expectOp(')');
      return inner;
    }
    if (this.isWord('TABLE') && this.isOp('(', 1)) {
      this.i += 2;
      const callTok = this.peek();
      const call = this.primary();
      if (call.kind !== 'FunctionCall') this.fail(['a table function call'], callTok);
      this.expectOp(')');
      const alias = this.optionalAlias();
      return { kind: 'TableFunction', call, alias, pos: this.pos(t) };
    }
    const name: A.Identifier[] = [this.identifier('stream name')];
    while (this.isOp('.')) {
      this.next();
      name.push(this.identifier('stream name'));
    }
    let window = this.optionalOver();
    const alias = this.optionalAlias();
    window = window ?? this.optionalOver();
    return { kind: 'StreamRef', name, alias, window, pos: this.pos(t) };
  }

  private optionalOver(): A.WindowSpec | null {
    if (!this.isWord('OVER')) return null;
    this.next();
    return this.windowRef();
  }

  private optionalAlias(): A.Alias | null {
    let name: A.Identifier | null = null;
    if (this.acceptWord('AS')) name = this.identifier('alias');
    else if (this.isIdentifierStart()) name = this.identifier('alias');
    if (name === null) return null;
    let columns: A.Identifier[] | null = null;
    if (this.isOp('(')) {
      this.next();
      columns = [];
      do columns.push(this.identifier('column alias'));
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    return { name, columns };
  }

  /** After OVER: a window name or a parenthesised specification. */
  private windowRef(): A.WindowSpec {
    const t = this.peek();
    if (this.isOp('(')) return this.windowSpecInParens();
    const baseName = this.identifier('window name');
    return { baseName, partitionBy: [], orderBy: [], frame: null, pos: this.pos(t) };
  }

  private windowSpecInParens(): A.WindowSpec {
    const t = this.expectOp('(');
    let baseName: A.Identifier | null = null;
    if (this.isIdentifierStart() && !this.isWord('PARTITION') && !this.isWord('ORDER') && !this.isWord('ROWS') && !this.isWord('RANGE')) {
      baseName = this.identifier('window name');
    }
    const partitionBy: A.Expr[] = [];
    if (this.acceptWord('PARTITION')) {
      this.expectWord('BY');
      do partitionBy.push(this.expr());
      while (this.acceptOp(','));
    }
    let orderBy: A.OrderItem[] = [];
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      orderBy = this.orderItems();
    }
    let frame: A.WindowFrame | null = null;
    if (this.isWord('ROWS') || this.isWord('RANGE')) {
      const ft = this.next();
      const unit = ft.text as 'ROWS' | 'RANGE';
      if (this.acceptWord('BETWEEN')) {
        const start = this.frameBound();
        this.expectWord('AND');
        const end = this.frameBound();
        frame = { unit, start, end, pos: this.pos(ft) };
      } else {
        const start = this.frameBound();
        frame = { unit, start, end: { kind: 'CurrentRow', pos: start.pos }, pos: this.pos(ft) };
      }
    }
    this.expectOp(')');
    return { baseName, partitionBy, orderBy, frame, pos: this.pos(t) };
  }

  private frameBound(): A.FrameBound {
    const t = this.peek();
    if (this.acceptWord('UNBOUNDED')) {
      if (this.acceptWord('PRECEDING')) return { kind: 'UnboundedPreceding', pos: this.pos(t) };
      this.expectWord('FOLLOWING');
      return { kind: 'UnboundedFollowing', pos: this.pos(t) };
    }
    if (this.acceptWord('CURRENT')) {
      this.expectWord('ROW');
      return { kind: 'CurrentRow', pos: this.pos(t) };
    }
    const offset = this.additive();
    if (this.acceptWord('PRECEDING')) return { kind: 'Preceding', offset, pos: this.pos(t) };
    if (this.acceptWord('FOLLOWING')) return { kind: 'Following', offset, pos: this.pos(t) };
    return this.fail(['PRECEDING', 'FOLLOWING']);
  }

  // ------------------------------------------------------------ expressions
  expr(): A.Expr {
    return this.or();
  }

  private or(): A.Expr {
    return this.nested(this.peek(), () => this.orTerms());
  }

  private orTerms(): A.Expr {
    let left = this.and();
    const depth = this.depth;
    while (this.isWord('OR')) {
      const t = this.next();
      this.chained(t);
      left = { kind: 'Binary', op: 'OR', left, right: this.and(), pos: this.pos(t) };
    }
    this.depth = depth;
    return left;
  }

  private and(): A.Expr {
    let left = this.not();
    const depth = this.depth;
    while (this.isWord('AND')) {
      const t = this.next();
      this.chained(t);
      left = { kind: 'Binary', op: 'AND', left, right: this.not(), pos: this.pos(t) };
    }
    this.depth = depth;
    return left;
  }

  private not(): A.Expr {
    if (this.isWord('NOT')) {
      const t = this.next();
      return { kind: 'Unary', op: 'NOT', operand: this.nested(t, () => this.not()), pos: this.pos(t) };
    }
    return this.predicate();
  }

  private predicate(): A.Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISON_OPS.has(t.text)) {
      this.next();
      const op = (t.text === '!=' ? '<>' : t.text) as A.BinaryOp;
      return { kind: 'Binary', op, left, right: this.additive(), pos: this.pos(t) };
    }
    if (this.isWord('IS')) {
      this.next();
      const negated = this.acceptWord('NOT');
      if (this.acceptWord('DISTINCT')) {
        this.expectWord('FROM');
        return { kind: 'Is', operand: left, test: 'DISTINCT', other: this.additive(), negated, pos: this.pos(t) };
      }
      for (const test of ['NULL', 'TRUE', 'FALSE', 'UNKNOWN'] as const) {
        if (this.acceptWord(test)) return { kind: 'Is', operand: left, test, other: null, negated, pos: this.pos(t) };
      }
      return this.fail(['NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'DISTINCT FROM']);
    }
    let negated = false;
    if (this.isWord('NOT') && (this.isWord('BETWEEN', 1) || this.isWord('IN', 1) || this.isWord('LIKE', 1) || this.isWord('SIMILAR', 1))) {
      this.next();
      negated = true;
    }
    if (this.acceptWord('BETWEEN')) {
      this.acceptWord('ASYMMETRIC');
      const low = this.additive();
      this.expectWord('AND');
      const high = this.additive();
      return { kind: 'Between', operand: left, low, high, negated, pos: this.pos(t) };
    }
    if (this.acceptWord('IN')) {
      this.expectOp('(');
      const list: A.Expr[] = [];
      do list.push(this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
      return { kind: 'InList', operand: left, list, negated, pos: this.pos(t) };
    }
    if (this.isWord('LIKE') || (this.isWord('SIMILAR') && this.isWord('TO', 1))) {
      const op = this.isWord('LIKE') ? 'LIKE' : 'SIMILAR';
      this.i += op === 'LIKE' ? 1 : 2;
      const pattern = this.additive();
      let escape: A.Expr | null = null;
      if (this.acceptWord('ESCAPE')) escape = this.additive();
      return { kind: 'Like', op, operand: left, pattern, escape, negated, pos: this.pos(t) };
    }
    if (negated) this.fail(['BETWEEN', 'IN', 'LIKE', 'SIMILAR TO']);
    return left;
  }

  private additive(): A.Expr {
    let left = this.multiplicative();
    const depth = this.depth;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.text === '+' || t.text === '-' || t.text === '||')) {
        this.next();
        this.chained(t);
        left = { kind: 'Binary', op: t.text as A.BinaryOp, left, right: this.multiplicative(), pos: this.pos(t) };
      } else {
        this.depth = depth;
        return left;
      }
    }
  }

  private multiplicative(): A.Expr {
    let left = this.unary();
    const depth = this.depth;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.text === '*' || t.text === '/')) {
        this.next();
        this.chained(t);
        left = { kind: 'Binary', op: t.text as A.BinaryOp, left, right: this.unary(), pos: this.pos(t) };
      } else if (t.kind === 'op' && t.text === '%') {
        this.next();
        this.chained(t);
        const right = this.unary();
        left = call({ name: 'MOD', quoted: false, pos: this.pos(t) }, [left, right], this.pos(t));
      } else {
        this.depth = depth;
        return left;
      }
    }
  }

  private unary(): A.Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      const operand = this.nested(t, () => this.unary());
      // Fold a sign into a numeric literal so `-4` stays a literal (window bounds, DEFAULT values).
      if (operand.kind === 'Literal' && operand.value.type === 'NUMBER' && t.text === '-') {
        return { kind: 'Literal', value: { type: 'NUMBER', text: '-' + operand.value.text }, pos: this.pos(t) };
      }
      return { kind: 'Unary', op: t.text as '-' | '+', operand, pos: this.pos(t) };
    }
    return this.postfix();
  }

  private postfix(): A.Expr {
    let e = this.primary();
    while (this.isOp('.') && (this.peek(1).kind === 'ident' || this.peek(1).kind === 'quoted')) {
      const t = this.next();
      const f = this.peek();
      this.next();
      const field: A.Identifier = { name: f.text, quoted: f.kind === 'quoted', pos: this.pos(f) };
      if (e.kind === 'ColumnRef') e = { kind: 'ColumnRef', parts: [...e.parts, field], pos: e.pos };
      else e = { kind: 'FieldAccess', operand: e, field, pos: this.pos(t) };
    }
    return e;
  }

  primary(): A.Expr {
    const t = this.peek();
    const p = this.pos(t);
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'Literal', value: { type: 'NUMBER', text: t.text }, pos: p };
      case 'string': {
        this.next();
        let value = t.text;
        if (/^u&/i.test(t.raw)) {
          let esc = '\\';
          if (this.acceptWord('UESCAPE')) {
            const e = this.peek();
            if (e.kind !== 'string' || e.text.length !== 1) this.fail(['a one-character escape string']);
            this.next();
            esc = e.text;
          }
          value = unicodeUnescape(value, esc, t);
        }
        // Adjacent string literals concatenate (SQL standard).
        while (this.peek().kind === 'string' && !/^u&/i.test(this.peek().raw) && this.peek().line > t.line) {
          value += this.next().text;
        }
        return { kind: 'Literal', value: { type: 'STRING', value }, pos: p };
      }
      case 'quoted':
        return this.columnRef();
      case 'op':
        if (t.text === '(') return this.parenthesised();
        return this.fail(['an expression']);
      case 'eof':
        return this.fail(['an expression']);
      default:
        break;
    }
    // ident
    const w = t.text;
    switch (w) {
      case 'NULL':
        this.next();
        return { kind: 'Literal', value: { type: 'NULL' }, pos: p };
      case 'TRUE':
      case 'FALSE':
        this.next();
        return { kind: 'Literal', value: { type: 'BOOLEAN', value: w === 'TRUE' }, pos: p };
      case 'UNKNOWN':
        this.next();
        return { kind: 'Literal', value: { type: 'BOOLEAN', value: null }, pos: p };
      case 'TIMESTAMP':
      case 'DATE':
      case 'TIME':
        if (this.peek(1).kind === 'string') {
          this.next();
          const s = this.next();
          return { kind: 'Literal', value: { type: w, text: s.text }, pos: p };
        }
        break;
      case 'X':
        if (this.peek(1).kind === 'string' && this.peek(1).offset === t.offset + 1) {
          this.next();
          const s = this.next();
          return { kind: 'Literal', value: { type: 'BINARY', hex: s.text }, pos: p };
        }
        break;
      case 'INTERVAL':
        return this.intervalLiteral();
      case 'CASE':
        return this.caseExpr();
      case 'CAST': {
        this.next();
        this.expectOp('(');
        const operand = this.expr();
        this.expectWord('AS');
        const type = this.dataType(true);
        this.expectOp(')');
        return { kind: 'Cast', operand, type, pos: p };
      }
      case 'CURSOR': {
        this.next();
        this.expectOp('(');
        const query = this.query();
        this.expectOp(')');
        return { kind: 'Cursor', query, pos: p };
      }
      case 'ROWTIME':
        this.next();
        return { kind: 'ColumnRef', parts: [{ name: 'ROWTIME', quoted: false, pos: p }], pos: p };
      case 'APPROXIMATE_ARRIVAL_TIME':
        this.next();
        return { kind: 'ColumnRef', parts: [{ name: 'APPROXIMATE_ARRIVAL_TIME', quoted: false, pos: p }], pos: p };
      default:
        break;
    }
    if (NILADIC.has(w) && !this.isOp('(', 1)) {
      this.next();
      return call({ name: w, quoted: false, pos: p }, [], p);
    }
    if (this.isOp('(', 1) && (!RESERVED_WORDS.has(w) || RESERVED_FUNCTION_NAMES.has(w))) return this.functionCall();
    if (RESERVED_WORDS.has(w)) {
      throw new SqlSyntaxError(`expected an expression but found reserved word '${t.raw}' (quote it to use it as a name)`, t, ['an expression']);
    }
    return this.columnRef();
  }

  private columnRef(): A.Expr {
    const t = this.peek();
    const first = this.identifier('column name');
    // A quoted or unquoted name followed by '(' is a call (user functions may be quoted).
    if (this.isOp('(')) {
      this.i--;
      return this.functionCall();
    }
    const parts: A.Identifier[] = [first];
    while (this.isOp('.') && (this.peek(1).kind === 'quoted' || this.peek(1).kind === 'ident')) {
      this.next();
      const f = this.next();
      parts.push({ name: f.text, quoted: f.kind === 'quoted', pos: this.pos(f) });
    }
    return { kind: 'ColumnRef', parts, pos: this.pos(t) };
  }

  private parenthesised(): A.Expr {
    const t = this.next();
    if (this.isWord('SELECT')) {
      const query = this.query();
      this.expectOp(')');
      return { kind: 'ScalarSubquery', query, pos: this.pos(t) };
    }
    const e = this.expr();
    this.expectOp(')');
    const n = this.peek();
    if (n.kind === 'ident' && INTERVAL_FIELDS.has(n.text)) {
      const qualifier = this.intervalQualifier();
      return { kind: 'IntervalOf', operand: e, qualifier, pos: this.pos(t) };
    }
    return e;
  }

  private intervalLiteral(): A.Expr {
    const t = this.next();
    let negative = false;
    if (this.acceptOp('-')) negative = true;
    else this.acceptOp('+');
    const s = this.peek();
    let text: string;
    if (s.kind === 'string') text = s.text;
    else if (s.kind === 'number') text = s.text;
    else return this.fail(["an interval string such as '10'"]);
    this.next();
    const qualifier = this.intervalQualifier();
    return { kind: 'Literal', value: { type: 'INTERVAL', text, negative, qualifier }, pos: this.pos(t) };
  }

  private caseExpr(): A.Expr {
    const t = this.next();
    let operand: A.Expr | null = null;
    if (!this.isWord('WHEN')) operand = this.expr();
    const whens: { when: A.Expr; then: A.Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expr();
      this.expectWord('THEN');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) this.fail(['WHEN']);
    let otherwise: A.Expr | null = null;
    if (this.acceptWord('ELSE')) otherwise = this.expr();
    this.expectWord('END');
    return { kind: 'Case', operand, whens, otherwise, pos: this.pos(t) };
  }

  private keyword(allowed: ReadonlySet<string>, what: string): A.KeywordExpr {
    const t = this.peek();
    if (t.kind !== 'ident' || !allowed.has(t.text)) this.fail([what]);
    this.next();
    return { kind: 'Keyword', word: t.text, pos: this.pos(t) };
  }

  private functionCall(): A.Expr {
    const nt = this.next();
    const name: A.Identifier = { name: nt.text, quoted: nt.kind === 'quoted', pos: this.pos(nt) };
    const p = this.pos(nt);
    this.expectOp('(');
    const special = nt.kind === 'ident' ? nt.text : '';
    const args: A.Expr[] = [];
    let syntax: A.FunctionCallExpr['syntax'] = 'call';
    let distinct = false;
    let star = false;
    switch (special) {
      case 'EXTRACT': {
        args.push(this.keyword(TIME_UNITS, 'a time unit'));
        this.expectWord('FROM');
        args.push(this.expr());
        syntax = 'keyword';
        break;
      }
      case 'POSITION': {
        args.push(this.additive());
        this.expectWord('IN');
        args.push(this.additive());
        if (this.acceptWord('FROM')) args.push(this.additive());
        syntax = 'keyword';
        break;
      }
      case 'SUBSTRING': {
        args.push(this.expr());
        if (this.acceptWord('FROM')) {
          syntax = 'from';
          args.push(this.expr());
          if (this.acceptWord('FOR')) args.push(this.expr());
        } else if (this.acceptWord('SIMILAR')) {
          syntax = 'similar';
          args.push(this.additive());
          this.expectWord('ESCAPE');
          args.push(this.additive());
        } else {
          while (this.acceptOp(',')) args.push(this.expr());
        }
        break;
      }
      case 'OVERLAY': {
        args.push(this.expr());
        this.expectWord('PLACING');
        args.push(this.expr());
        this.expectWord('FROM');
        args.push(this.expr());
        if (this.acceptWord('FOR')) args.push(this.expr());
        syntax = 'keyword';
        break;
      }
      case 'TRIM': {
        syntax = 'keyword';
        let spec = 'BOTH';
        let sawSpec = false;
        if (this.isWord('LEADING') || this.isWord('TRAILING') || this.isWord('BOTH')) {
          spec = this.next().text;
          sawSpec = true;
        }
        args.push({ kind: 'Keyword', word: spec, pos: p });
        if (sawSpec && this.acceptWord('FROM')) {
          args.push({ kind: 'Literal', value: { type: 'STRING', value: ' ' }, pos: p });
          args.push(this.expr());
        } else {
          const first = this.expr();
          if (this.acceptWord('FROM')) {
            args.push(first);
            args.push(this.expr());
          } else {
            if (sawSpec) this.fail(['FROM']);
            args.push({ kind: 'Literal', value: { type: 'STRING', value: ' ' }, pos: p });
            args.push(first);
          }
        }
        break;
      }
      case 'FLOOR':
      case 'CEIL':
      case 'CEILING': {
        args.push(this.expr());
        if (this.acceptWord('TO')) args.push(this.keyword(TIME_UNITS, 'a time unit'));
        break;
      }
      case 'STEP': {
        args.push(this.expr());
        this.expectWord('BY');
        args.push(this.expr());
        syntax = 'keyword';
        break;
      }
      default: {
        if (this.isOp('*') && this.isOp(')', 1)) {
          this.next();
          star = true;
          break;
        }
        if (this.acceptWord('DISTINCT')) distinct = true;
        else this.acceptWord('ALL');
        if (!this.isOp(')')) {
          do args.push(this.expr());
          while (this.acceptOp(','));
        }
      }
    }
    this.expectOp(')');
    let nullTreatment: 'RESPECT' | 'IGNORE' | null = null;
    let fromLast = false;
    for (let k = 0; k < 2; k++) {
      if ((this.isWord('IGNORE') || this.isWord('RESPECT')) && this.isWord('NULLS', 1)) {
        nullTreatment = this.next().text as 'RESPECT' | 'IGNORE';
        this.next();
      } else if (this.isWord('FROM') && (this.isWord('FIRST', 1) || this.isWord('LAST', 1))) {
        this.next();
        fromLast = this.next().text === 'LAST';
      }
    }
    let over: A.WindowSpec | null = null;
    if (this.acceptWord('OVER')) over = this.windowRef();
    return { kind: 'FunctionCall', name, args, distinct, star, syntax, nullTreatment, fromLast, over, pos: p };
  }
}

function call(name: A.Identifier, args: A.Expr[], pos: A.Pos): A.FunctionCallExpr {
  return { kind: 'FunctionCall', name, args, distinct: false, star: false, syntax: 'call', nullTreatment: null, fromLast: false, over: null, pos };
}

/** Resolves `\XXXX` and `\+XXXXXX` escapes of a U& literal (with `esc` as the escape character). */
function unicodeUnescape(s: string, esc: string, t: Token): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== esc) {
      out += s[i];
      continue;
    }
    if (s[i + 1] === esc) {
      out += esc;
      i++;
      continue;
    }
    let hex: string;
    if (s[i + 1] === '+') {
      hex = s.slice(i + 2, i + 8);
      i += 7;
    } else {
      hex = s.slice(i + 1, i + 5);
      i += 4;
    }
    if (!/^[0-9a-fA-F]+$/.test(hex)) throw new SqlSyntaxError(`invalid Unicode escape '${esc}${hex}' in U& string`, t, ['four hex digits']);
    out += String.fromCodePoint(parseInt(hex, 16));
  }
  return out;
}
