/**
 * AWS naming rules, checked at synth time so that a bad name fails `cdk synth` with a message naming the prop
 * instead of failing half-way through a CloudFormation deployment.
 */
import { Token } from 'aws-cdk-lib';
import { ConfigError } from '../../src/errors.js';

/** One naming rule of an AWS resource type. */
export interface NameRule {
  /** What the rule is about, for the message (e.g. "an S3 bucket name"). */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** The allowed characters, in words, for the message. */
  readonly allowed: string;
  /** Extra checks: return a reason when the name breaks one. */
  readonly extra?: (name: string) => string | undefined;
}

const BUCKET_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** The rules used by the stacks. Sources: the naming sections of the S3, Kinesis, Firehose, Lambda, DynamoDB, SQS and CloudFormation docs. */
export const NAME_RULES = {
  bucket: {
    what: 'an S3 bucket name',
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit',
    extra: (name) => {
      if (name.includes('..')) return 'it contains two adjacent dots';
      if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'it is formatted as an IP address';
      const prefix = BUCKET_RESERVED_PREFIXES.find((p) => name.startsWith(p));
      if (prefix) return `it starts with the reserved prefix "${prefix}"`;
      const suffix = BUCKET_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
      if (suffix) return `it ends with the reserved suffix "${suffix}"`;
      return undefined;
    },
  },
  kinesisStream: { what: 'a Kinesis data stream name', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/, allowed: 'letters, digits, underscores, dots and hyphens' },
  deliveryStream: { what: 'a Firehose delivery stream name', minLength: 1, maxLength: 64, pattern: /^[a-zA-Z0-9_.-]+$/, allowed: 'letters, digits, underscores, dots and hyphens' },
  lambdaFunction: { what: 'a Lambda function name', minLength: 1, maxLength: 64, pattern: /^[a-zA-Z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  dynamoTable: { what: 'a DynamoDB table name', minLength: 3, maxLength: 255, pattern: /^[a-zA-Z0-9_.-]+$/, allowed: 'letters, digits, underscores, dots and hyphens' },
  sqsQueue: { what: 'an SQS queue name', minLength: 1, maxLength: 80, pattern: /^[a-zA-Z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  msfApplication: { what: 'a Managed Service for Apache Flink application name', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/, allowed: 'letters, digits, underscores, dots and hyphens' },
  cfnStack: { what: 'a CloudFormation stack name', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/, allowed: 'letters, digits and hyphens, starting with a letter' },
  /** ProjectName ends up in bucket-style names, so it is held to the strictest of the rules above. */
  projectName: {
    what: 'a project name (used in resource names and the ProjectName tag)',
    minLength: 1,
    maxLength: 32,
    pattern: /^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    extra: (name) => (name.includes('--') ? 'it contains two adjacent hyphens' : undefined),
  },
  /** StackName prefixes the CloudFormation stack names and the export names `{StackName}:Output`. */
  stackName: {
    what: 'a stack name prefix (used in stack names and export names)',
    minLength: 1,
    maxLength: 100,
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter',
  },
  applicationName: {
    what: 'an application name (used in function, table and delivery stream names)',
    minLength: 1,
    maxLength: 32,
    pattern: /^[a-zA-Z][a-zA-Z0-9_-]*$/,
    allowed: 'letters, digits, hyphens and underscores, starting with a letter',
  },
} satisfies Record<string, NameRule>;

/**
 * Checks `value` against `rule`; throws a ConfigError naming `field`, the rule and the value received.
 * Unresolved tokens (values known only at deploy time) are not checked.
 *
 * @example
 * checkName('analyticsBucketName', 'My_Bucket', NAME_RULES.bucket);
 * // throws: analyticsBucketName: must be an S3 bucket name: 3-63 characters of lowercase letters, ... Received "My_Bucket"
 */
export function checkName(field: string, value: string, rule: NameRule): string {
  if (Token.isUnresolved(value)) return value;
  const reason = nameProblem(value, rule);
  if (reason !== undefined) {
    throw new ConfigError(
      field,
      `must be ${rule.what}: ${rule.minLength}-${rule.maxLength} characters of ${rule.allowed}; ${reason}. Received ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function nameProblem(value: string, rule: NameRule): string | undefined {
  if (typeof value !== 'string') return 'it is not a string';
  if (value.length < rule.minLength || value.length > rule.maxLength) return `it has ${value.length} characters`;
  if (!rule.pattern.test(value)) return 'it contains a character that is not allowed there';
  return rule.extra?.(value);
}
