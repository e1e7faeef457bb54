import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { SqlTypes, type Value } from '../../types/sql-type.js';
import { planRandomCutForest, RandomCutForestFunction } from './random-cut-forest-function.js';
import { gaussianSource } from '../../../test/support/analytics-test-data.js';

const bloodPressure = [
  { name: 'Systolic', type: SqlTypes.INTEGER },
  { name: 'Diastolic', type: SqlTypes.INTEGER },
  { name: 'BloodPressureLevel', type: SqlTypes.varchar(20) },
];

describe('planRandomCutForest', () => {
  it('adds ANOMALY_SCORE DOUBLE after the input columns and reads only numeric columns', () => {
    const plan = planRandomCutForest(
      [...bloodPressure, { name: 'PRICE', type: SqlTypes.decimal(10, 2) }, { name: 'R', type: SqlTypes.REAL }],
      {},
      false,
    );
    expect(plan.outputColumns.map((c) => c.name)).toEqual(['Systolic', 'Diastolic', 'BloodPressureLevel', 'PRICE', 'R', 'ANOMALY_SCORE']);
    expect(plan.outputColumns[5].type).toEqual(SqlTypes.DOUBLE);
    expect(plan.numericColumns).toEqual([0, 1, 4]);
    expect([plan.numberOfTrees, plan.subSampleSize, plan.timeDecay, plan.shingleSize]).toEqual([100, 256, 100000, 1]);
  });

  it('adds ANOMALY_EXPLANATION for the explanation variant', () => {
    const plan = planRandomCutForest(bloodPressure, { withDirectionality: true }, true);
    expect(plan.outputColumns.map((c) => c.name).slice(-2)).toEqual(['ANOMALY_SCORE', 'ANOMALY_EXPLANATION']);
    expect(plan.withDirectionality).toBe(true);
  });

  it('rejects out-of-range arguments with the value received', () => {
    expect(() => planRandomCutForest(bloodPressure, { numberOfTrees: 0 }, false)).toThrow(PlanError);
    expect(() => planRandomCutForest(bloodPressure, { numberOfTrees: 0 }, false)).toThrow(/numberOfTrees .* Received 0/);
    expect(() => planRandomCutForest(bloodPressure, { shingleSize: 31 }, false)).toThrow(/shingleSize/);
    expect(() => planRandomCutForest(bloodPressure, { subSampleSize: 5 }, false)).toThrow(/subSampleSize/);
    expect(() => planRandomCutForest(bloodPressure, { timeDecay: 0 }, false)).toThrow(/timeDecay/);
    expect(() => planRandomCutForest([{ name: 'S', type: SqlTypes.varchar(4) }], {}, false)).toThrow(/no numeric column/);
  });
});

describe('RandomCutForestFunction', () => {
  it('passes every input value through and appends a score; a planted row scores highest', () => {
    const fn = new RandomCutForestFunction(planRandomCutForest(bloodPressure, { seed: 3 }, false));
    const gauss = gaussianSource(4);
    const out: Value[][] = [];
    for (let i = 0; i < 600; i++) {
      const row: Value[] = i === 500 ? [190, 125, 'HIGH'] : [Math.round(110 + 5 * gauss()), Math.round(70 + 5 * gauss()), 'NORMAL'];
      const result = fn.process(row);
      expect(result.slice(0, 3)).toEqual(row);
      out.push(result);
    }
    const scores = out.slice(100).map((r) => r[3] as number);
    expect(Math.max(...scores)).toBe(out[500][3]);
  });

  it('gives NULL for a row with a NULL numeric value and does not learn it', () => {
    const fn = new RandomCutForestFunction(planRandomCutForest(bloodPressure, {}, true));
    expect(fn.process([null, 60, 'X'])).toEqual([null, 60, 'X', null, null]);
  });

  it('prints ANOMALY_EXPLANATION in the documented JSON shape; attributions sum to the score', () => {
    const fn = new RandomCutForestFunction(planRandomCutForest(bloodPressure, { withDirectionality: true, seed: 1 }, true));
    const gauss = gaussianSource(9);
    for (let i = 0; i < 400; i++) fn.process([Math.round(110 + 5 * gauss()), Math.round(70 + 5 * gauss()), 'NORMAL']);
    const row = fn.process([112, 125, 'HIGH']);
    const explanation = JSON.parse(row[4] as string) as Record<string, Record<string, string>>;
    expect(Object.keys(explanation)).toEqual(['Systolic', 'Diastolic']);
    for (const value of Object.values(explanation)) {
      expect(Object.keys(value)).toEqual(['DIRECTION', 'STRENGTH', 'ATTRIBUTION_SCORE']);
      expect(value.ATTRIBUTION_SCORE).toMatch(/^\d+\.\d{4}$/);
    }
    expect(explanation.Diastolic.DIRECTION).toBe('HIGH');
    expect(Number(explanation.Diastolic.ATTRIBUTION_SCORE)).toBeGreaterThan(Number(explanation.Systolic.ATTRIBUTION_SCORE));
    const sum = Number(explanation.Systolic.ATTRIBUTION_SCORE) + Number(explanation.Diastolic.ATTRIBUTION_SCORE);
    expect(sum).toBeCloseTo(row[3] as number, 3);
  });

  it('omits DIRECTION and STRENGTH without directionality', () => {
    const fn = new RandomCutForestFunction(planRandomCutForest(bloodPressure, { withDirectionality: false }, true));
    const row = fn.process([100, 60, 'N']);
    expect(row[4]).toBe('{"Systolic":{"ATTRIBUTION_SCORE":"0.0000"},"Diastolic":{"ATTRIBUTION_SCORE":"0.0000"}}');
  });
});
