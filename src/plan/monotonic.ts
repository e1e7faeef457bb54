import type { BoundExpr } from './bound-expr.js';
import { isConstant } from './bound-expr.js';

/** Functions that keep a non-decreasing argument non-decreasing (with constant other arguments). */
const PRESERVING = new Set(['STEP', 'FLOOR', 'CEIL', 'CEILING', 'MONOTONIC']);

/**
 * Whether `e` is non-decreasing as its input's ROWTIME advances: ROWTIME itself, or ROWTIME through
 * STEP / FLOOR / CEIL, + or - a constant, * or / by a positive constant, an interval read-out or a CAST.
 */
export function isRowtimeMonotonic(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'rowtime':
      return true;
    case 'cast':
      return isRowtimeMonotonic(e.operand);
    case 'op':
      if (e.op === 'add') return (isRowtimeMonotonic(e.args[0]) && isConstant(e.args[1])) || (isConstant(e.args[0]) && isRowtimeMonotonic(e.args[1]));
      if (e.op === 'sub') return isRowtimeMonotonic(e.args[0]) && isConstant(e.args[1]);
      if (e.op === 'mul' || e.op === 'div') return isRowtimeMonotonic(e.args[0]) && positiveConstant(e.args[1]);
      return false;
    case 'call':
      if (e.fn.name.startsWith('DIFF_')) return isRowtimeMonotonic(e.args[0]) && isConstant(e.args[1]);
      return PRESERVING.has(e.fn.name) && isRowtimeMonotonic(e.args[0]) && e.args.slice(1).every(isConstant);
    default:
      return false;
  }
}

/**
 * Whether `e` is declared monotonic with MONOTONIC(...), possibly inside STEP/FLOOR/CEIL, or reads a column
 * known monotonic (such a key read through a subquery or view).
 */
export function isDeclaredMonotonic(e: BoundExpr): boolean {
  if (e.kind === 'call') {
    if (e.fn.name === 'MONOTONIC') return true;
    return PRESERVING.has(e.fn.name) && isDeclaredMonotonic(e.args[0]) && e.args.slice(1).every(isConstant);
  }
  if (e.kind === 'cast') return isDeclaredMonotonic(e.operand);
  return e.kind === 'column' && e.monotonic === true;
}

/** Whether the expression reads ROWTIME anywhere. */
export function usesRowtime(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'rowtime':
      return true;
    case 'op':
    case 'call':
    case 'udf':
      return e.args.some(usesRowtime);
    case 'cast':
      return usesRowtime(e.operand);
    case 'case':
      return e.whens.some((w) => usesRowtime(w.when) || usesRowtime(w.then)) || (e.otherwise !== null && usesRowtime(e.otherwise));
    default:
      return false;
  }
}

function positiveConstant(e: BoundExpr): boolean {
  return e.kind === 'literal' && typeof e.value === 'number' && e.value > 0;
}
