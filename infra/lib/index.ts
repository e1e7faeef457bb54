// The CDK app's building blocks (explicit export list).
export { AnalyticsBucketStack, type AnalyticsBucketExport, type AnalyticsBucketStackProps } from './analytics-bucket-stack.js';
export {
  checkApplicationShape,
  loadApplicationDefinition,
  streamsCreatedBy,
  type ApplicationDefinition,
  type ApplicationValidationResult,
  type ApplicationValidator,
  type InputColumn,
  type InputSchema,
} from './application-definition.js';
export { buildStreamingAnalyticsApp, type StreamingAnalyticsConfig, type StreamingAnalyticsStacks } from './build-app.js';
export { BundleFunction, type BundleFunctionProps } from './bundle-function.js';
export { CodeBucketStack, type CodeBucketExport, type CodeBucketStackProps } from './code-bucket-stack.js';
export { CONTEXT_KEYS, readContextConfig, type ContextConfig, type ContextKey } from './context-config.js';
export { InputStreamStack, type InputStreamExport, type InputStreamStackProps } from './input-stream-stack.js';
export { checkName, NAME_RULES, type NameRule } from './naming.js';
export { PreprocessorStack, type PreprocessorExport, type PreprocessorStackProps } from './preprocessor-stack.js';
export { SecureBucket, type SecureBucketProps } from './secure-bucket.js';
export { SeedStack, type SeedStackProps } from './seed-stack.js';
export {
  ANALYTICS_ENV,
  CLOCK_TICK_EVENT,
  StreamingAppStack,
  type Deaggregation,
  type StreamingAppExport,
  type StreamingAppStackProps,
} from './streaming-app-stack.js';
export { validateWithEngine } from './engine-validator.js';
