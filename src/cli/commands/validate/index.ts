export { readSchema, registerValidateCommand, validateCommand } from './validate-command.js';
export type { ValidateCommandOptions } from './validate-command.js';
