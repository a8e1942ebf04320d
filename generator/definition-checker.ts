import type { DefinitionProblem } from './definition-problem.js';
import { describeValue, type Position, type StaticValue } from './static-value.js';

/**
 * The property names of a definition type, as a list the compiler holds equal to the type: the
 * record must name every property of T once and nothing else, so the checker's list of known
 * names cannot drift from report-definition.ts.
 */
export function keysOf<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}

export type ObjectValue = Extract<StaticValue, { kind: 'object' }>;

/** Collects the problems of one definition, each at the position of the value it is about. */
export class Checker {
  constructor(readonly problems: DefinitionProblem[]) {}

  report(at: Position, message: string): undefined {
    this.problems.push({ ...at, message });
    return undefined;
  }

  /** Reports properties the shape does not know (typos), then returns the object, or undefined. */
  object(value: StaticValue | undefined, what: string, known: readonly string[], at: Position): ObjectValue | undefined {
    if (!value) return this.report(at, `missing ${what}`);
    if (value.kind === 'unresolved') return undefined;
    if (value.kind !== 'object') return this.report(value.at, `${what} must be an object, not ${describeValue(value)}`);
    for (const [name, property] of value.properties) {
      if (!known.includes(name)) this.report(property.at, `unknown property '${name}' in ${what}; expected one of: ${known.join(', ')}`);
    }
    return value;
  }

  string(object: ObjectValue, name: string, what: string, options: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
    const property = object.properties.get(name);
    if (!property) return options.required === false ? undefined : this.report(object.at, `missing ${what} ('${name}')`);
    const value = property.value;
    if (value.kind === 'unresolved') return undefined;
    if (value.kind !== 'string') return this.report(value.at, `${what} must be a string, not ${describeValue(value)}`);
    if (options.nonEmpty !== false && value.value.trim() === '') return this.report(value.at, `${what} must not be empty`);
    return value.value;
  }

  boolean(object: ObjectValue, name: string, what: string): boolean | undefined {
    const value = object.properties.get(name)?.value;
    if (!value || value.kind === 'unresolved') return undefined;
    if (value.kind !== 'boolean') return this.report(value.at, `${what} must be true or false, not ${describeValue(value)}`);
    return value.value;
  }

  array(object: ObjectValue, name: string, what: string, required: boolean): StaticValue[] | undefined {
    const value = object.properties.get(name)?.value;
    if (!value) return required ? this.report(object.at, `missing ${what} ('${name}')`) : [];
    if (value.kind === 'unresolved') return undefined;
    if (value.kind !== 'array') return this.report(value.at, `${what} must be an array, not ${describeValue(value)}`);
    return value.items;
  }
}
