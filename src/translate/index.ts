export { translateApplication, UDF_DECLARATIONS } from './translate-application.js';
export type { FlinkTranslation, TranslateOptions } from './translate-application.js';
export type { FlinkSource } from './source-translator.js';
export type { FlinkSink, FlinkSinkTarget } from './sink-translator.js';
export { translateExpr } from './expression-translator.js';
export { tumblingSizeMs } from './relation-translator.js';
export type { FlinkReference } from './reference-translator.js';
