import { PlanError } from '../../errors.js';
import { SqlTypes, type Value } from '../../types/sql-type.js';
import { checkIntegerArgument } from './argument-checks.js';
import { numericColumnIndexes, readNumericValues, type TableFunctionColumn } from './numeric-columns.js';
import { RandomCutForest, RCF_DEFAULTS, type RandomCutForestState } from './random-cut-forest.js';

/** The constant arguments after CURSOR(...), in SQL order. Missing ones take KDA's defaults. */
export interface RandomCutForestArguments {
  readonly numberOfTrees?: number;
  readonly subSampleSize?: number;
  readonly timeDecay?: number;
  readonly shingleSize?: number;
  /** RANDOM_CUT_FOREST_WITH_EXPLANATION only: add DIRECTION and STRENGTH to each column's explanation. */
  readonly withDirectionality?: boolean;
  /** Not a SQL argument: the application's seed (ApplicationSpec.options.seed). */
  readonly seed?: number;
}

export interface RandomCutForestPlan {
  readonly functionName: 'RANDOM_CUT_FOREST' | 'RANDOM_CUT_FOREST_WITH_EXPLANATION';
  /** Input columns unchanged, then ANOMALY_SCORE DOUBLE (and ANOMALY_EXPLANATION VARCHAR). */
  readonly outputColumns: readonly TableFunctionColumn[];
  /** Input columns the forest reads (numeric, not DECIMAL). */
  readonly numericColumns: readonly number[];
  readonly inputColumns: readonly TableFunctionColumn[];
  readonly numberOfTrees: number;
  readonly subSampleSize: number;
  readonly timeDecay: number;
  readonly shingleSize: number;
  readonly withExplanation: boolean;
  readonly withDirectionality: boolean;
  readonly seed: number | undefined;
}

/**
 * Plan-time half of RANDOM_CUT_FOREST / RANDOM_CUT_FOREST_WITH_EXPLANATION: checks the arguments against
 * KDA's ranges and gives the output columns. Throws PlanError.
 *
 * Ranges (as we read SQLREF; the page could not be re-checked word for word): numberOfTrees 1..1000,
 * subSampleSize 10..1000, timeDecay 1..2^31-1, shingleSize 1..30.
 *
 * @example
 * planRandomCutForest([{ name: 'heartRate', type: SqlTypes.INTEGER }], {}, false).outputColumns
 * // [heartRate INTEGER, ANOMALY_SCORE DOUBLE]
 */
export function planRandomCutForest(
  inputColumns: readonly TableFunctionColumn[],
  args: RandomCutForestArguments,
  withExplanation: boolean,
): RandomCutForestPlan {
  const fn = withExplanation ? 'RANDOM_CUT_FOREST_WITH_EXPLANATION' : 'RANDOM_CUT_FOREST';
  const numberOfTrees = checkIntegerArgument(fn, 'numberOfTrees', args.numberOfTrees ?? RCF_DEFAULTS.numberOfTrees, 1, 1000);
  const subSampleSize = checkIntegerArgument(fn, 'subSampleSize', args.subSampleSize ?? RCF_DEFAULTS.subSampleSize, 10, 1000);
  const timeDecay = checkIntegerArgument(fn, 'timeDecay', args.timeDecay ?? RCF_DEFAULTS.timeDecay, 1, 2147483647);
  const shingleSize = checkIntegerArgument(fn, 'shingleSize', args.shingleSize ?? RCF_DEFAULTS.shingleSize, 1, 30);
  const numericColumns = numericColumnIndexes(inputColumns);
  if (numericColumns.length === 0) {
    throw new PlanError(
      `${fn}: the input has no numeric column (DOUBLE, INTEGER, FLOAT, TINYINT, SMALLINT, REAL or BIGINT; DECIMAL is not supported). Received columns ${inputColumns.map((c) => c.name).join(', ')}`,
    );
  }
  for (const name of ['ANOMALY_SCORE', 'ANOMALY_EXPLANATION']) {
    if (inputColumns.some((c) => c.name === name)) {
      throw new PlanError(`${fn}: the input already has a column named ${name}, which the function adds`);
    }
  }
  const outputColumns: TableFunctionColumn[] = [...inputColumns, { name: 'ANOMALY_SCORE', type: SqlTypes.DOUBLE }];
  if (withExplanation) outputColumns.push({ name: 'ANOMALY_EXPLANATION', type: SqlTypes.varchar() });
  return {
    functionName: fn,
    outputColumns,
    numericColumns,
    inputColumns,
    numberOfTrees,
    subSampleSize,
    timeDecay,
    shingleSize,
    withExplanation,
    withDirectionality: withExplanation && args.withDirectionality === true,
    seed: args.seed,
  };
}

/**
 * Run-time half: one instance per running application (per table-function occurrence). `process` returns the
 * output row for one input row, immediately (one row out per row in, same ROWTIME). A row with NULL in a column
 * the forest reads is passed through with ANOMALY_SCORE NULL (and ANOMALY_EXPLANATION NULL) and is not learned.
 */
export class RandomCutForestFunction {
  private readonly plan: RandomCutForestPlan;
  private readonly forest: RandomCutForest;
  private readonly values: Float64Array;

  constructor(plan: RandomCutForestPlan) {
    this.plan = plan;
    this.forest = new RandomCutForest({
      dimensions: plan.numericColumns.length,
      numberOfTrees: plan.numberOfTrees,
      subSampleSize: plan.subSampleSize,
      timeDecay: plan.timeDecay,
      shingleSize: plan.shingleSize,
      seed: plan.seed,
    });
    this.values = new Float64Array(plan.numericColumns.length);
  }

  process(row: readonly Value[]): Value[] {
    const out = row.slice();
    if (!readNumericValues(row, this.plan.numericColumns, this.values)) {
      out.push(null);
      if (this.plan.withExplanation) out.push(null);
      return out;
    }
    if (!this.plan.withExplanation) {
      out.push(this.forest.process(this.values));
      return out;
    }
    const result = this.forest.processWithAttribution(this.values);
    out.push(result.score);
    out.push(formatAnomalyExplanation(this.plan, result.above, result.below));
    return out;
  }

  /** JSON-serialisable state for Engine.snapshot(). */
  snapshot(): unknown {
    return this.forest.snapshot();
  }

  /** Restores a {@link snapshot} taken from a function planned with the same arguments. */
  restore(state: unknown): void {
    this.forest.restore(state as RandomCutForestState);
  }
}

/**
 * ANOMALY_EXPLANATION as KDA prints it (DG "Examine the results"): a JSON object keyed by numeric column name,
 * each value an object of strings with 4 decimals, e.g.
 * `{"Systolic":{"DIRECTION":"LOW","STRENGTH":"0.0922","ATTRIBUTION_SCORE":"0.3792"}}`.
 * ATTRIBUTION_SCORE = the column's share of the score (above + below; the shares sum to ANOMALY_SCORE).
 * DIRECTION = HIGH when the "value is high" part is at least the "value is low" part, else LOW.
 * STRENGTH = |above - below|: how one-sided the column's attribution is (our definition; AWS does not publish its
 * formula). DIRECTION and STRENGTH appear only with withDirectionality.
 */
export function formatAnomalyExplanation(plan: RandomCutForestPlan, above: Float64Array, below: Float64Array): string {
  const parts: string[] = [];
  plan.numericColumns.forEach((columnIndex, i) => {
    const attribution = (above[i] + below[i]).toFixed(4);
    const body = plan.withDirectionality
      ? `"DIRECTION":"${above[i] >= below[i] ? 'HIGH' : 'LOW'}","STRENGTH":"${Math.abs(above[i] - below[i]).toFixed(4)}","ATTRIBUTION_SCORE":"${attribution}"`
      : `"ATTRIBUTION_SCORE":"${attribution}"`;
    parts.push(`${JSON.stringify(plan.inputColumns[columnIndex].name)}:{${body}}`);
  });
  return `{${parts.join(',')}}`;
}
