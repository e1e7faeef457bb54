/**
 * The aggregate and analytic functions a plan may carry, as closed lists. The plan names them with these
 * literal types rather than free strings, so every switch over them in the planner and the engine is checked
 * for exhaustiveness: a kind added here fails to compile until each of those switches handles it.
 */

/** Functions usable with GROUP BY, WINDOWED BY STAGGER and OVER. */
export const AGGREGATE_KINDS = [
  'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'STDDEV_POP', 'STDDEV_SAMP', 'VAR_POP', 'VAR_SAMP',
  'FIRST_VALUE', 'LAST_VALUE', 'ANY', 'SOME', 'EVERY',
] as const;
export type AggregateKind = (typeof AGGREGATE_KINDS)[number];

/** Functions that exist only with OVER. */
export const ANALYTIC_ONLY_KINDS = ['LAG', 'NTH_VALUE', 'EXP_AVG'] as const;
export type AnalyticOnlyKind = (typeof ANALYTIC_ONLY_KINDS)[number];

/** Everything an OVER window may compute. */
export type AnalyticKind = AggregateKind | AnalyticOnlyKind;

/** Other spellings of aggregate kinds the dialect accepts; the plan carries the kind they stand for. */
export const AGGREGATE_ALIASES: Readonly<Record<string, AggregateKind>> = { STDDEV: 'STDDEV_SAMP', VARIANCE: 'VAR_SAMP' };

const aggregateKinds: ReadonlySet<string> = new Set(AGGREGATE_KINDS);
const analyticOnlyKinds: ReadonlySet<string> = new Set(ANALYTIC_ONLY_KINDS);

export function isAggregateKind(name: string): name is AggregateKind {
  return aggregateKinds.has(name);
}

export function isAnalyticOnlyKind(name: string): name is AnalyticOnlyKind {
  return analyticOnlyKinds.has(name);
}

/** The kind an (upper-case) SQL function name stands for, aliases resolved; undefined for any other function. */
export function analyticKindOf(name: string): AnalyticKind | undefined {
  if (isAggregateKind(name) || isAnalyticOnlyKind(name)) return name;
  return Object.hasOwn(AGGREGATE_ALIASES, name) ? AGGREGATE_ALIASES[name] : undefined;
}
