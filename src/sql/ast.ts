/**
 * The abstract syntax tree of a KDA SQL application: immutable tagged unions. Every node carries `pos`, the
 * 1-based line and column of its first token, so later phases can report errors where they belong.
 * Identifiers are already normalised (unquoted upper-cased, quoted exact); `quoted` records which.
 */
import type { SourcePosition } from '../errors.js';
import type { SqlType } from '../types/sql-type.js';

export type Pos = SourcePosition;

export interface Identifier {
  readonly name: string;
  readonly quoted: boolean;
  readonly pos: Pos;
}

// ---------------------------------------------------------------- statements

export interface ColumnDef {
  readonly name: Identifier;
  readonly type: SqlType;
  readonly notNull: boolean;
  readonly pos: Pos;
}

export interface CreateStreamStatement {
  readonly kind: 'CreateStream';
  readonly orReplace: boolean;
  readonly name: Identifier;
  readonly columns: readonly ColumnDef[];
  readonly description: string | null;
  readonly pos: Pos;
}

export interface CreatePumpStatement {
  readonly kind: 'CreatePump';
  readonly orReplace: boolean;
  readonly name: Identifier;
  readonly target: Identifier;
  /** The INSERT column list, or null when absent (all columns by position). */
  readonly columns: readonly Identifier[] | null;
  readonly query: Query;
  readonly pos: Pos;
}

export interface FunctionParam {
  readonly name: Identifier;
  readonly type: SqlType;
}

export interface CreateFunctionStatement {
  readonly kind: 'CreateFunction';
  readonly orReplace: boolean;
  readonly name: Identifier;
  readonly params: readonly FunctionParam[];
  readonly returns: SqlType;
  readonly body: Expr;
  readonly pos: Pos;
}

export type Statement = CreateStreamStatement | CreatePumpStatement | CreateFunctionStatement;

export interface Script {
  readonly statements: readonly Statement[];
}

// ---------------------------------------------------------------- queries

export interface SelectItem {
  readonly expr: Expr;
  readonly alias: Identifier | null;
  readonly pos: Pos;
}

export interface WindowFrame {
  readonly unit: 'ROWS' | 'RANGE';
  /** The lower bound. */
  readonly start: FrameBound;
  /** The upper bound; CURRENT ROW when the frame was written with one bound only. */
  readonly end: FrameBound;
  readonly pos: Pos;
}

export type FrameBound =
  | { readonly kind: 'UnboundedPreceding'; readonly pos: Pos }
  | { readonly kind: 'UnboundedFollowing'; readonly pos: Pos }
  | { readonly kind: 'CurrentRow'; readonly pos: Pos }
  | { readonly kind: 'Preceding'; readonly offset: Expr; readonly pos: Pos }
  | { readonly kind: 'Following'; readonly offset: Expr; readonly pos: Pos };

export interface WindowSpec {
  /** `OVER w` names a WINDOW clause entry; `OVER (w ...)` may also start from one. */
  readonly baseName: Identifier | null;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame: WindowFrame | null;
  readonly pos: Pos;
}

export interface NamedWindow {
  readonly name: Identifier;
  readonly spec: WindowSpec;
}

export interface StaggerSpec {
  readonly partitionBy: readonly Expr[];
  readonly range: Expr;
  readonly pos: Pos;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly pos: Pos;
}

export interface SelectQuery {
  readonly kind: 'Select';
  readonly stream: boolean;
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: FromItem;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[] | null;
  readonly stagger: StaggerSpec | null;
  readonly having: Expr | null;
  readonly windows: readonly NamedWindow[];
  readonly orderBy: readonly OrderItem[] | null;
  /** `ORDER BY ... WITHIN interval` (T-sort); null when absent. */
  readonly orderWithin: Expr | null;
  readonly pos: Pos;
}

export interface UnionQuery {
  readonly kind: 'Union';
  readonly all: boolean;
  readonly left: Query;
  readonly right: Query;
  /** ORDER BY written after the last SELECT of a UNION applies to the whole union. */
  readonly orderBy: readonly OrderItem[] | null;
  readonly pos: Pos;
}

export type Query = SelectQuery | UnionQuery;

export interface Alias {
  readonly name: Identifier;
  /** `AS t(a, b)` column renames. */
  readonly columns: readonly Identifier[] | null;
}

export interface StreamRef {
  readonly kind: 'StreamRef';
  /** Qualified names keep every part (schema.stream); the last part is the stream. */
  readonly name: readonly Identifier[];
  readonly alias: Alias | null;
  /** `OVER (...)` after a stream in a join. */
  readonly window: WindowSpec | null;
  readonly pos: Pos;
}

export interface SubqueryRef {
  readonly kind: 'Subquery';
  readonly query: Query;
  readonly alias: Alias | null;
  readonly window: WindowSpec | null;
  readonly pos: Pos;
}

export interface TableFunctionRef {
  readonly kind: 'TableFunction';
  readonly call: FunctionCallExpr;
  readonly alias: Alias | null;
  readonly pos: Pos;
}

export type JoinKind = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'COMMA';

export interface JoinRef {
  readonly kind: 'Join';
  readonly joinKind: JoinKind;
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on: Expr | null;
  /** `USING (c, ...)`: the columns both sides share, joined on equality; null with ON or none. */
  readonly using: readonly Identifier[] | null;
  /** `NATURAL ... JOIN`: joined on every column name the two sides share. */
  readonly natural: boolean;
  readonly pos: Pos;
}

export type FromItem = StreamRef | SubqueryRef | TableFunctionRef | JoinRef;

// ---------------------------------------------------------------- expressions

export type LiteralValue =
  | { readonly type: 'NUMBER'; readonly text: string }
  | { readonly type: 'STRING'; readonly value: string }
  | { readonly type: 'BOOLEAN'; readonly value: boolean | null }
  | { readonly type: 'NULL' }
  | { readonly type: 'TIMESTAMP' | 'DATE' | 'TIME'; readonly text: string }
  | { readonly type: 'INTERVAL'; readonly text: string; readonly negative: boolean; readonly qualifier: IntervalQualifier }
  | { readonly type: 'BINARY'; readonly hex: string };

export type IntervalField = 'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND';

export interface IntervalQualifier {
  readonly start: IntervalField;
  readonly end: IntervalField;
}

export interface LiteralExpr {
  readonly kind: 'Literal';
  readonly value: LiteralValue;
  readonly pos: Pos;
}

export interface ColumnRefExpr {
  readonly kind: 'ColumnRef';
  /** One to three parts: column, stream.column, schema.stream.column. */
  readonly parts: readonly Identifier[];
  readonly pos: Pos;
}

export interface StarExpr {
  readonly kind: 'Star';
  readonly qualifier: Identifier | null;
  readonly pos: Pos;
}

export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly op: '-' | '+' | 'NOT';
  readonly operand: Expr;
  readonly pos: Pos;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly pos: Pos;
}

/**
 * A call, including the SQL special forms, normalised to positional arguments: `EXTRACT(HOUR FROM x)` is
 * `EXTRACT(Keyword HOUR, x)`, `FLOOR(x TO MINUTE)` is `FLOOR(x, Keyword MINUTE)`, `TRIM(LEADING 'x' FROM s)`
 * is `TRIM(Keyword LEADING, 'x', s)`, `POSITION(a IN b)` is `POSITION(a, b)`, `STEP(x BY i)` is `STEP(x, i)`.
 * `syntax` tells the forms apart where it matters (SUBSTRING FROM vs comma).
 */
export interface FunctionCallExpr {
  readonly kind: 'FunctionCall';
  readonly name: Identifier;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** COUNT(*). */
  readonly star: boolean;
  readonly syntax: 'call' | 'from' | 'similar' | 'keyword';
  readonly nullTreatment: 'RESPECT' | 'IGNORE' | null;
  /** NTH_VALUE ... FROM FIRST | FROM LAST. */
  readonly fromLast: boolean;
  readonly over: WindowSpec | null;
  readonly pos: Pos;
}

/** A keyword passed as an argument of a special form (a time unit, LEADING/TRAILING/BOTH). */
export interface KeywordExpr {
  readonly kind: 'Keyword';
  readonly word: string;
  readonly pos: Pos;
}

export interface CastExpr {
  readonly kind: 'Cast';
  readonly operand: Expr;
  readonly type: SqlType;
  readonly pos: Pos;
}

export interface CaseExpr {
  readonly kind: 'Case';
  readonly operand: Expr | null;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | null;
  readonly pos: Pos;
}

export interface BetweenExpr {
  readonly kind: 'Between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
  readonly pos: Pos;
}

export interface InListExpr {
  readonly kind: 'InList';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly pos: Pos;
}

export interface LikeExpr {
  readonly kind: 'Like';
  readonly op: 'LIKE' | 'SIMILAR';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly escape: Expr | null;
  readonly negated: boolean;
  readonly pos: Pos;
}

export interface IsExpr {
  readonly kind: 'Is';
  readonly operand: Expr;
  /** IS [NOT] NULL / TRUE / FALSE / UNKNOWN, or IS [NOT] DISTINCT FROM other. */
  readonly test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN' | 'DISTINCT';
  readonly other: Expr | null;
  readonly negated: boolean;
  readonly pos: Pos;
}

/** `(a - b) SECOND` and similar: a datetime difference read as an interval of the given unit. */
export interface IntervalCastExpr {
  readonly kind: 'IntervalOf';
  readonly operand: Expr;
  readonly qualifier: IntervalQualifier;
  readonly pos: Pos;
}

/** `expr.FIELD` on a ROW value (log-parser results) or `(expr).FIELD`. */
export interface FieldAccessExpr {
  readonly kind: 'FieldAccess';
  readonly operand: Expr;
  readonly field: Identifier;
  readonly pos: Pos;
}

/** `CURSOR(SELECT STREAM ...)`, the argument of a table function. */
export interface CursorExpr {
  readonly kind: 'Cursor';
  readonly query: Query;
  readonly pos: Pos;
}

/** A scalar subquery in an expression; parsed so the planner can reject it with a position. */
export interface SubqueryExpr {
  readonly kind: 'ScalarSubquery';
  readonly query: Query;
  readonly pos: Pos;
}

export type Expr =
  | LiteralExpr
  | ColumnRefExpr
  | StarExpr
  | UnaryExpr
  | BinaryExpr
  | FunctionCallExpr
  | KeywordExpr
  | CastExpr
  | CaseExpr
  | BetweenExpr
  | InListExpr
  | LikeExpr
  | IsExpr
  | IntervalCastExpr
  | FieldAccessExpr
  | CursorExpr
  | SubqueryExpr;

export type ExprKind = Expr['kind'];
