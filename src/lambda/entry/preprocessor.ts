// Entry point of the `preprocessor` bundle (build/lambda/preprocessor/index.mjs): the KDA input-preprocessing
// handler, configured from the environment (CORRUPT_AGGREGATES, USER_RECORD_SEPARATOR, POWERTOOLS_*).
import { handlerConfigFromEnvironment } from '../handler-config.js';
import { type PreprocessorHandler, createPreprocessorHandler } from '../preprocessor-handler.js';

export const handler: PreprocessorHandler = createPreprocessorHandler({ preprocess: handlerConfigFromEnvironment(process.env) });
