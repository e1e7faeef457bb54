// Entry point of the `deaggregator` bundle (build/lambda/deaggregator/index.mjs): the Kinesis event-source-mapping
// handler, configured from the environment (CORRUPT_AGGREGATES, POWERTOOLS_*). It de-aggregates and counts;
// the analytics function builds its own handler on the same parts.
import { handlerConfigFromEnvironment } from '../handler-config.js';
import { type DeaggregatorHandler, createDeaggregatorHandler } from '../deaggregator-handler.js';

export const handler: DeaggregatorHandler = createDeaggregatorHandler({ deaggregate: { corruptAggregates: handlerConfigFromEnvironment(process.env).corruptAggregates } });
