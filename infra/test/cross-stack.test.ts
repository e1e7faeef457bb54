import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreamingAnalyticsStacks } from '../lib/build-app.js';
import { allStacks, buildTestApp } from './support/test-app.js';

/** Every `Fn::ImportValue` name in a template. */
function importsOf(template: Template): string[] {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Fn::ImportValue' && typeof x === 'string') names.push(x);
        else walk(x);
      }
    }
  };
  walk(template.toJSON().Resources);
  return [...new Set(names)].sort();
}

function exportsOf(template: Template): string[] {
  return Object.values(template.toJSON().Outputs ?? {}).flatMap((o) => ((o as { Export?: { Name: string } }).Export ? [(o as { Export: { Name: string } }).Export.Name] : [])).sort();
}

describe('references between stacks', () => {
  let stacks: StreamingAnalyticsStacks;
  let templates: Record<string, Template>;
  beforeAll(() => {
    stacks = buildTestApp().stacks;
    templates = Object.fromEntries(allStacks(stacks).map((s) => [s.node.id, Template.fromStack(s)]));
  });

  it('exports only under the seed names {StackName}:{Key}, never CDK-generated names', () => {
    const all = Object.values(templates).flatMap(exportsOf);
    expect(all.length).toBeGreaterThan(10);
    for (const name of all) expect(name).toMatch(/^satest:[A-Za-z]+$/);
  });

  it('imports in each dependent stack exactly what it uses, each matched by an export of another stack', () => {
    const exported = new Map(Object.entries(templates).flatMap(([id, t]) => exportsOf(t).map((name) => [name, id] as const)));
    expect(importsOf(templates.Preprocessor)).toEqual(['satest:CodeBucket', 'satest:PreprocessorCodeKey']);
    expect(importsOf(templates.StreamingApp)).toEqual([
      'satest:AnalyticsBucketArn', 'satest:AnalyticsCodeKey', 'satest:CodeBucket',
      'satest:InputStreamArn', 'satest:InputStreamKeyArn', 'satest:Preprocessor', 'satest:PreprocessorArn',
    ]);
    for (const [id, template] of Object.entries(templates)) {
      for (const name of importsOf(template)) {
        expect(exported.get(name), `${id} imports ${name}`).toBeDefined();
        expect(exported.get(name)).not.toBe(id);
      }
    }
  });

  it('keeps the seed dependency graph: buckets, then the stream, then the preprocessor, then the app', () => {
    const deps = (id: keyof StreamingAnalyticsStacks): string[] => stacks[id].dependencies.map((s) => s.node.id).sort();
    expect(deps('analyticsBucket')).toEqual([]);
    expect(deps('codeBucket')).toEqual([]);
    expect(deps('inputStream')).toEqual(['AnalyticsBucket', 'CodeBucket']);
    expect(deps('preprocessor')).toEqual(['CodeBucket', 'InputStream']);
    expect(deps('streamingApp')).toEqual(['AnalyticsBucket', 'CodeBucket', 'InputStream', 'Preprocessor']);
  });

  it('fails synth on a reference to an export that does not exist, naming it and listing the real ones', () => {
    // A typo from untyped code (TypeScript rejects it at compile time, hence the cast).
    expect(() => stacks.inputStream.importInto(stacks.streamingApp, 'InputStreamArm' as never))
      .toThrow('cross-stack reference StreamingApp -> InputStream: stack InputStream exports no value "InputStreamArm"; it exports: InputStream, InputStreamArn, InputStreamKeyArn');
  });

  it('names stacks {StackName}-{Role}', () => {
    expect(allStacks(stacks).map((s) => s.stackName)).toEqual(['satest-AnalyticsBucket', 'satest-CodeBucket', 'satest-InputStream', 'satest-Preprocessor', 'satest-StreamingApp']);
  });
});
