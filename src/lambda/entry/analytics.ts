// Entry point of the `analytics` bundle (build/lambda/analytics/index.mjs): the SQL engine behind the Kinesis
// event source mapping, configured from the environment the StreamingApp stack sets (APPLICATION_*, DEAGGREGATION,
// PREPROCESSOR_FUNCTION_NAME, OUTPUT_DELIVERY_STREAMS, ERROR_DELIVERY_STREAM, STATE_TABLE_NAME, POWERTOOLS_*).
// The AWS SDK clients honour AWS_ENDPOINT_URL_<SERVICE> (the bundle test points them at local servers).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { analyticsConfigFromEnvironment } from '../analytics/analytics-config.js';
import { createLogger, logStartupError } from '../lambda-telemetry.js';
import { type AnalyticsHandler, createAnalyticsHandler } from '../analytics/analytics-handler.js';
import { LambdaPreprocessorInvoker } from '../analytics/preprocessor-invoker.js';
import { FirehoseRowDelivery } from '../analytics/row-delivery.js';
import { ShardStateStore } from '../analytics/shard-state-store.js';

function start(): AnalyticsHandler {
  let config;
  try {
    config = analyticsConfigFromEnvironment(process.env);
  } catch (error) {
    logStartupError(createLogger(process.env.APPLICATION_NAME ?? 'analytics'), error);
    throw error;
  }
  // createAnalyticsHandler logs its own start-up errors (an application that does not compile).
  return createAnalyticsHandler({
    config,
    store: new ShardStateStore(new DynamoDBClient({}), config.stateTableName),
    delivery: new FirehoseRowDelivery(new FirehoseClient({})),
    preprocessor: config.preprocessorFunctionName ? new LambdaPreprocessorInvoker(new LambdaClient({}), config.preprocessorFunctionName) : undefined,
  });
}

export const handler: AnalyticsHandler = start();
