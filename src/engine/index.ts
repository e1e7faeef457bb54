export { compileApplication } from './application.js';
export type { ApplicationSpec, CompiledApplication, Engine, ErrorRow, StreamSchema } from './application.js';
export { compileExpression, compareValues } from './compile-expression.js';
export type { EvalContext, Evaluator } from './compile-expression.js';
export { errorRow, hexOf } from './error-row.js';
export { createFunctionRegistry, FunctionRegistry } from './function-registry.js';
export type { FunctionResolver } from './function-registry.js';
export { jsonErrorRow, jsonRow, jsonValue } from './json-row.js';
export type { Emit, Operator } from './operators/operator.js';
