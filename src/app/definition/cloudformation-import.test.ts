import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { loadApplicationDefinition } from './load-app-definition.js';
import type { ImportOptions } from './import-options.js';

const examples = resolve(import.meta.dirname, '../../../examples');
const ORIGINAL = join(examples, 'kda-cloudformation', 'streaming-app.yaml');

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa-cfn-'));
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** 1-based line and column of the first `needle` in `text` (after `after`, when given). */
function positionOf(text: string, needle: string, after = ''): { line: number; column: number } {
  const i = text.indexOf(needle, after === '' ? 0 : text.indexOf(after));
  if (i < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const INPUT = `
      Inputs:
        - NamePrefix: SOURCE_SQL_STREAM
          InputSchema:
            RecordFormat: { RecordFormatType: JSON, MappingParameters: { JSONMappingParameters: { RecordRowPath: $ } } }
            RecordColumns:
              - { Name: TICKER, SqlType: VARCHAR(4), Mapping: $.TICKER }
              - { Name: PRICE, SqlType: REAL, Mapping: $.PRICE }
`;

/** A template with one V1 application whose ApplicationCode is `code` (YAML, indented as a property). */
function template(o: { head?: string; code: string; appProps?: string; rest?: string }): string {
  return `${o.head ?? ''}
Resources:
  App:
    Type: AWS::KinesisAnalytics::Application
    Properties:
      ApplicationCode: ${o.code}${o.appProps ?? ''}${INPUT}${o.rest ?? ''}`;
}

function load(text: string, options: ImportOptions = {}) {
  const f = tempFile('t.yaml', text);
  return { file: f, def: () => loadApplicationDefinition(f, options) };
}

const SQL = 'CREATE OR REPLACE STREAM \\"OUT\\" (T VARCHAR(4), P REAL); CREATE OR REPLACE PUMP \\"P\\" AS INSERT INTO \\"OUT\\" SELECT STREAM TICKER, PRICE FROM \\"SOURCE_SQL_STREAM_001\\" WHERE PRICE > ${Threshold};';

describe('CloudFormation intrinsics resolved as CloudFormation would, without an account', () => {
  it('Fn::Sub with variables from Fn::FindInMap (Mappings), and an output Name built with Fn::Sub', () => {
    const { def } = load(
      template({
        head: 'Parameters:\n  Env: { Type: String, Default: prod, AllowedValues: [dev, prod] }\nMappings:\n  Limits:\n    prod: { Threshold: 100, Stream: OUT }\n    dev: { Threshold: 1, Stream: OUT }',
        code: `!Sub\n        - "${SQL}"\n        - Threshold: !FindInMap [Limits, !Ref Env, Threshold]`,
        rest: `  Output:\n    Type: AWS::KinesisAnalytics::ApplicationOutput\n    Properties:\n      ApplicationName: !Ref App\n      Output:\n        Name: !Sub ['\${S}', { S: !FindInMap [Limits, !Ref Env, Stream] }]\n        DestinationSchema: { RecordFormatType: CSV }\n`,
      }),
    );
    expect(def().sql).toContain('WHERE PRICE > 100;');
    expect(def().outputs.map((o) => [o.stream, o.format])).toEqual([['OUT', 'CSV']]);
  });

  it('parameters override defaults; pseudo parameters have placeholders that --parameter overrides; ${!x} is literal', () => {
    const text = template({
      head: 'Parameters:\n  Threshold: { Type: Number, Default: 5 }',
      code: `!Sub "-- \${AWS::Region} \${AWS::Partition} \${AWS::StackName} \${!Literal}\\n${SQL}"`,
      appProps: `\n      ApplicationName: !Join ['-', [app, !Ref AWS::Region, !Select [1, !Split [",", "a,b,c"]]]]`,
    });
    const d = load(text).def();
    expect(d.sql.split('\n')[0]).toBe('-- us-east-1 aws local ${Literal}');
    expect(d.sql).toContain('PRICE > 5;');
    expect(d.name).toBe('app-us-east-1-b');
    const e = load(text, { parameters: { Threshold: '7', 'AWS::Region': 'cn-north-1', 'AWS::StackName': 'mine' } }).def();
    expect(e.sql.split('\n')[0]).toBe('-- cn-north-1 aws-cn mine ${Literal}');
    expect(e.sql).toContain('PRICE > 7;');
    expect(e.name).toBe('app-cn-north-1-b');
  });

  it('Fn::If decides by Conditions (Equals/And/Or/Not/Condition); AWS::NoValue removes the input Lambda', () => {
    const text = template({
      head: [
        'Parameters:',
        '  Aggregated: { Type: String, Default: "true", AllowedValues: ["true", "false"] }',
        '  Stage: { Type: String, Default: prod }',
        'Conditions:',
        '  AGGR: !Equals [!Ref Aggregated, true]',
        '  PROD: !Equals [prod, !Ref Stage]',
        '  BOTH: !And [!Condition AGGR, !Or [!Condition PROD, !Not [!Condition PROD]]]',
      ].join('\n'),
      code: `"${SQL.replace('${Threshold}', '0')}"`,
      appProps: '\n      ApplicationName: !If [PROD, prod-app, test-app]',
    }).replace(
      '        - NamePrefix: SOURCE_SQL_STREAM',
      '        - NamePrefix: SOURCE_SQL_STREAM\n          InputProcessingConfiguration: !If\n            - BOTH\n            - InputLambdaProcessor: { ResourceARN: !ImportValue lambda-arn, RoleARN: !GetAtt Role.Arn }\n            - !Ref AWS::NoValue',
    );
    expect(load(text).def()).toMatchObject({ name: 'prod-app', input: { preprocessor: { type: 'kpl' } } });
    expect(load(text, { parameters: { Aggregated: 'false', Stage: 'dev' } }).def()).toMatchObject({ name: 'test-app', input: { preprocessor: { type: 'none' } } });
  });

  it('a resource whose Condition is false does not exist', () => {
    const text = template({
      head: 'Parameters:\n  WithErrors: { Type: String, Default: "no" }\nConditions:\n  ERRORS: !Equals [!Ref WithErrors, "yes"]',
      code: `"${SQL.replace('${Threshold}', '0')}"`,
      rest: `  ErrorOutput:\n    Type: AWS::KinesisAnalytics::ApplicationOutput\n    Condition: ERRORS\n    Properties:\n      ApplicationName: !Ref App\n      Output: { Name: error_stream, DestinationSchema: { RecordFormatType: JSON } }\n`,
    });
    expect(load(text).def().outputs).toEqual([]);
    expect(load(text, { parameters: { WithErrors: 'yes' } }).def().outputs.map((o) => o.stream)).toEqual(['error_stream']);
  });

  it('what only a deployed stack knows, where the application needs it, is exit 3 naming it at its line and column', () => {
    // The position is the intrinsic's argument: a short-form tag's node starts after the tag.
    const cases: [string, string, RegExp][] = [
      ['!GetAtt Other.Name', 'Other.Name', /Fn::GetAtt Other\.Name is known only once the stack is deployed/],
      ['!ImportValue shared-sql', 'shared-sql', /Fn::ImportValue reads another stack's export/],
      ['!Sub "SELECT ${Other.Arn}"', '"SELECT', /\$\{Other\.Arn\} \(Fn::GetAtt Other\.Arn\) is known only once the stack is deployed/],
      ['!Ref Other', 'Other', /Ref Other: the physical id of resource Other is known only once the stack is deployed/],
      ['!FindInMap [Nope, a, b]', '[Nope', /Fn::FindInMap \[Nope, a, b\]: the template has no mapping Nope/],
      ['!If [Unknown, a, b]', 'Unknown', /no condition named Unknown/],
      ['!Select [3, [a, b]]', '3', /Fn::Select index 3 is outside the list of 2 value\(s\)/],
      ['{ "Fn::Select": [3, [a, b]] }', '3', /Fn::Select index 3 is outside/],
    ];
    for (const [code, at, message] of cases) {
      const text = template({ code, rest: '  Other:\n    Type: AWS::S3::Bucket\n' });
      const { file, def } = load(text);
      const e = configError(def);
      expect(e.message, code).toMatch(message);
      expect(e.location, code).toEqual({ file, ...positionOf(text, at, 'ApplicationCode') });
    }
  });

  it('a Fn::If whose condition needs what only a deployed stack knows is undecidable, and said so where it matters', () => {
    const text = template({
      head: 'Conditions:\n  IMPORTED: !Equals [!ImportValue flag, "on"]',
      code: `"${SQL.replace('${Threshold}', '0')}"`,
      appProps: '\n      ApplicationName: !If [IMPORTED, a, b]',
    });
    const { file, def } = load(text);
    const e = configError(def);
    expect(e.message).toMatch(/Fn::ImportValue reads another stack's export/);
    expect(e.location).toEqual({ file, ...positionOf(text, 'flag') });
  });
});

describe('parameters checked as CloudFormation checks them', () => {
  const head = [
    'Parameters:',
    '  Name:',
    '    Type: String',
    '    MinLength: 4',
    '    MaxLength: 8',
    '    AllowedPattern: "[a-z]+(-[a-z]+)*"',
    '    ConstraintDescription: lower-case words joined by hyphens',
    '  Threshold: { Type: Number, Default: 10, MinValue: 1, MaxValue: 100 }',
    '  Tags: { Type: CommaDelimitedList, Default: "a,b", AllowedValues: [a, b, c] }',
    '  Required: { Type: String }',
  ].join('\n');
  const text = template({ head, code: `!Sub "${SQL}"`, appProps: '\n      ApplicationName: !Join ["-", [!Ref Name, !Select [0, !Ref Tags]]]' });

  it('accepts values within every rule', () => {
    expect(load(text, { parameters: { Name: 'ab-cd', Threshold: '100' } }).def()).toMatchObject({ name: 'ab-cd-a' });
  });

  it('refuses a value that breaks a rule with the parameter, the value, the rule and its ConstraintDescription, at the rule', () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ Name: 'abc' }, 'MinLength', /parameter Name: --parameter Name=abc has 3 character\(s\); MinLength is 4 \(lower-case words joined by hyphens\)/],
      [{ Name: 'abcdefghi' }, 'MaxLength', /has 9 characters; MaxLength is 8/],
      [{ Name: 'ab--cd' }, 'AllowedPattern', /--parameter Name=ab--cd does not match the AllowedPattern \[a-z\]\+\(-\[a-z\]\+\)\* \(lower-case words joined by hyphens\)/],
      [{ Name: 'abcd', Threshold: 'ten' }, 'Type', /--parameter Threshold=ten is not a number \(Type Number\)/],
      [{ Name: 'abcd', Threshold: '101' }, 'MaxValue', /--parameter Threshold=101 is greater than the MaxValue 100/],
      [{ Name: 'abcd', Threshold: '0.5' }, 'MinValue', /is less than the MinValue 1/],
      [{ Name: 'abcd', Tags: 'a,d' }, 'AllowedValues', /--parameter Tags=a,d is not one of the AllowedValues 'a', 'b', 'c'/],
    ];
    for (const [parameters, at, message] of cases) {
      const { file, def } = load(text, { parameters });
      const e = configError(def);
      expect(e.message, JSON.stringify(parameters)).toMatch(message);
      // At the value of the rule that failed, in the parameter's declaration.
      const declaration = Object.keys(parameters).at(-1) === 'Name' ? '  Name:' : `  ${Object.keys(parameters).at(-1)}:`;
      const rule = positionOf(text, `${at}:`, declaration);
      const value = text.slice(text.indexOf(`${at}:`, text.indexOf(declaration)) + at.length + 1).match(/^ */)![0].length;
      expect(e.location, JSON.stringify(parameters)).toEqual({ file, line: rule.line, column: rule.column + at.length + 1 + value });
    }
  });

  it('a Default is checked too; an undeclared --parameter is refused', () => {
    const bad = text.replace('Default: 10', 'Default: 1000');
    expect(configError(load(bad, { parameters: { Name: 'abcd' } }).def).message).toMatch(/Default '1000' is greater than the MaxValue 100/);
    expect(configError(load(text, { parameters: { Name: 'abcd', Nmae: 'x' } }).def).message).toMatch(/--parameter Nmae: the template declares no parameter Nmae \(it declares Name, Threshold, Tags, Required\)/);
  });

  it('a parameter the application needs but that has no value is named, with how to give it, at the Ref', () => {
    const { file, def } = load(text);
    const e = configError(def);
    expect(e.message).toContain('parameter Name has no value (and no Default): give it with --parameter Name=<value>');
    expect(e.location).toEqual({ file, ...positionOf(text, 'Name,', '!Join') });
    // `Required` has no value either, but nothing the application runs needs it.
    expect(() => load(text, { parameters: { Name: 'abcd' } }).def()).not.toThrow();
  });
});

describe("the original project's template (examples/kda-cloudformation/streaming-app.yaml)", () => {
  const text = () => readFileSync(ORIGINAL, 'utf8');

  it('validates with its parameters and de-aggregates only with SourceRecordsAggregation=true', () => {
    const d = loadApplicationDefinition(ORIGINAL, { parameters: { ApplicationName: 'txn-analytics' } });
    expect(d).toMatchObject({ name: 'txn-analytics', input: { namePrefix: 'DATA', preprocessor: { type: 'kpl' } } });
    expect(d.outputs.map((o) => o.stream)).toEqual(['DESTINATION_SQL_STREAM']);
    const off = loadApplicationDefinition(ORIGINAL, { parameters: { ApplicationName: 'txn-analytics', SourceRecordsAggregation: 'false' } });
    expect(off.input.preprocessor).toEqual({ type: 'none' });
  });

  it('refuses bad parameter values with the parameter name and its rule', () => {
    const maybe = configError(() => loadApplicationDefinition(ORIGINAL, { parameters: { ApplicationName: 'txn-analytics', SourceRecordsAggregation: 'maybe' } }));
    expect(maybe.message).toMatch(/SourceRecordsAggregation: --parameter SourceRecordsAggregation=maybe is not one of the AllowedValues 'true', 'false'/);
    const short = configError(() => loadApplicationDefinition(ORIGINAL, { parameters: { ApplicationName: 'tx' } }));
    expect(short.message).toMatch(/parameter ApplicationName: --parameter ApplicationName=tx has 2 character\(s\); MinLength is 4/);
    const hyphen = configError(() => loadApplicationDefinition(ORIGINAL, { parameters: { ApplicationName: 'txn-analytics', DataStreamName: 'stream-' } }));
    expect(hyphen.message).toMatch(/DataStreamName=stream- does not match the AllowedPattern .*Required\. Must not start or end with a hyphen/);
    const missing = configError(() => loadApplicationDefinition(ORIGINAL));
    expect(missing.message).toContain('give it with --parameter ApplicationName=<value>');
    expect(missing.location).toEqual({ file: ORIGINAL, ...positionOf(text(), 'ApplicationName', '!Ref ApplicationName') });
  });
});

describe('KDA V2 (AWS::KinesisAnalyticsV2::Application with RuntimeEnvironment SQL-1_0)', () => {
  const v2 = (runtime: string, extra = '') => `
Resources:
  App:
    Type: AWS::KinesisAnalyticsV2::Application
    Properties:
      RuntimeEnvironment: ${runtime}
      ServiceExecutionRole: arn:aws:iam::123456789012:role/kda
      ApplicationConfiguration:
        ApplicationCodeConfiguration:
          CodeContentType: PLAINTEXT
          CodeContent:
            TextContent: "CREATE STREAM \\"OUT\\" (T VARCHAR(4), S VARCHAR(16)); CREATE PUMP \\"P\\" AS INSERT INTO \\"OUT\\" SELECT STREAM s.TICKER, c.SECTOR FROM \\"SOURCE_SQL_STREAM_001\\" s JOIN \\"COMPANY\\" c ON s.TICKER = c.TICKER;"
        SqlApplicationConfiguration:
          Inputs:
            - NamePrefix: SOURCE_SQL_STREAM
              InputSchema:
                RecordFormat: { RecordFormatType: JSON }
                RecordColumns: [{ Name: TICKER, SqlType: VARCHAR(4), Mapping: $.TICKER }]
${extra}
  Company:
    Type: AWS::KinesisAnalyticsV2::ApplicationReferenceDataSource
    Properties:
      ApplicationName: !Ref App
      ReferenceDataSource:
        TableName: COMPANY
        S3ReferenceDataSource: { BucketARN: !Sub 'arn:\${AWS::Partition}:s3:::company-data', FileKey: companies.csv }
        ReferenceSchema:
          RecordFormat: { RecordFormatType: CSV, MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: "\\n", RecordColumnDelimiter: "," } } }
          RecordColumns: [{ Name: TICKER, SqlType: VARCHAR(4) }, { Name: SECTOR, SqlType: VARCHAR(16) }]
  Out:
    Type: AWS::KinesisAnalyticsV2::ApplicationOutput
    Properties:
      ApplicationName: !Ref App
      Output: { Name: OUT, DestinationSchema: { RecordFormatType: CSV }, KinesisStreamsOutput: { ResourceARN: !GetAtt S.Arn } }
`;

  it('reads the SQL, the input, the V2 reference and output resources', () => {
    const d = load(v2('SQL-1_0')).def();
    expect(d.sql).toMatch(/^CREATE STREAM "OUT"/);
    expect(d.references).toMatchObject([{ tableName: 'COMPANY', location: 's3://company-data/companies.csv', format: 'CSV', columnDelimiter: ',' }]);
    expect(d.outputs.map((o) => [o.stream, o.format])).toEqual([['OUT', 'CSV']]);
    expect(d.input.preprocessor).toEqual({ type: 'none' });
  });

  it('refuses another runtime, and SQL kept in S3, at the field', () => {
    const text = v2('FLINK-1_15');
    const { file, def } = load(text);
    const e = configError(def);
    expect(e.message).toContain('only SQL applications (RuntimeEnvironment SQL-1_0) run here. Received "FLINK-1_15"');
    expect(e.location).toEqual({ file, ...positionOf(text, 'FLINK-1_15') });
    const s3 = v2('SQL-1_0').replace(/TextContent: .*\n/, 'S3ContentLocation: { BucketARN: arn:aws:s3:::code, FileKey: app.sql }\n');
    expect(configError(load(s3).def).message).toContain('the SQL is an S3 object');
  });
});

describe('pseudo and SSM parameters', () => {
  it('only the pseudo parameters CloudFormation has can be overridden; an SSM parameter needs its value given', () => {
    const text = template({ head: 'Parameters:\n  Name: { Type: "AWS::SSM::Parameter::Value<String>", Default: /app/name }', code: `"${SQL.replace('${Threshold}', '0')}"`, appProps: '\n      ApplicationName: !Ref Name' });
    expect(configError(load(text, { parameters: { 'AWS::Regoin': 'x' } }).def).message).toMatch(/^--parameter: AWS::Regoin is not a pseudo parameter/);
    const { file, def } = load(text);
    const e = configError(def);
    expect(e.message).toContain('parameter Name is read from the SSM parameter store, which needs an AWS account: give its value with --parameter Name=<value>');
    expect(e.location).toEqual({ file, ...positionOf(text, 'Name', '!Ref Name') });
  });
});
