import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildFlinkTestApp, buildTestApp } from './support/test-app.js';

/** Rule ids of the unacknowledged AwsSolutions findings (errors and warnings), with where they are. */
function findings(root: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(root);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} (${v.severity}) at ${r.constructPath ?? r.resourceLogicalId}`));
}

/** Every acknowledgment recorded in the tree. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the app, whichever way records are de-aggregated', () => {
    expect(findings(buildTestApp().app)).toEqual([]);
    expect(findings(buildTestApp({ deaggregateWith: 'in-process', shardCount: 'on-demand' }).app)).toEqual([]);
    expect(findings(buildTestApp({ sourceRecordsAggregation: false, outputStreams: ['DESTINATION_SQL_STREAM'] }).app)).toEqual([]);
  });

  it('finds nothing unacknowledged with engine flink (the MSF application, its role, the jar upload)', () => {
    expect(findings(buildFlinkTestApp().app)).toEqual([]);
    const acks = acknowledgments(buildFlinkTestApp().app).filter((a) => a.path.startsWith('StreamingApp/ServiceRole'));
    expect(acks.map((a) => a.id.replace(/^Annotation::/, '')).sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/kinesis-analytics/sa-test-ticker:log-stream:*]',
    ]);
    for (const a of acks) expect(a.reason.length, a.id).toBeGreaterThan(40);
  });

  it('gives every acknowledgment a reason of substance', () => {
    const acks = acknowledgments(buildTestApp().app);
    expect(acks.length).toBeGreaterThan(10);
    for (const a of acks) expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(40);
  });

  it('runs at synth: the registered plugin lets the app synthesize and reports no violation', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-synth-'));
    const { app } = buildTestApp({ nag: true }, outdir);
    app.synth();
    // The report lists the plugins that found something (here only CDK's template validation, all acknowledged).
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    for (const plugin of report.pluginReports) {
      expect(plugin.conclusion, plugin.pluginName).toBe('success');
      expect(plugin.violations, plugin.pluginName).toEqual([]);
    }
  });

  it('fails synth on an insecure resource (the check can fail)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-fail-'));
    const { app, stacks } = buildTestApp({ nag: true }, outdir);
    new s3.Bucket(stacks.analyticsBucket, 'Careless');
    expect(findings(app).some((f) => f.startsWith('AwsSolutions-S10') && f.includes('AnalyticsBucket/Careless'))).toBe(true);
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
