import { PlanError } from '../../errors.js';

/**
 * Checks one constant argument of an analytics table function at plan time. Throws a PlanError that names the
 * function, the parameter, the allowed range and the value received (the engine adds the SQL position).
 */
export function checkIntegerArgument(fn: string, parameter: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PlanError(`${fn}: ${parameter} must be an integer between ${min} and ${max}. Received ${value}`);
  }
  return value;
}

export function checkPositiveNumberArgument(fn: string, parameter: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new PlanError(`${fn}: ${parameter} must be a number greater than 0. Received ${value}`);
  }
  return value;
}
