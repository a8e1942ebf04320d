import type { Checker, ObjectValue } from './definition-checker.js';
import { cmdletNamePattern, parameterNamePattern } from './identifiers.js';
import type { RestParameterModel } from './report-model.js';
import { describeValue } from './static-value.js';

/** The parts of a command every source kind checks the same way: its cmdlet name and fixed parameters. */

export function checkCmdlet(checker: Checker, object: ObjectValue, what: string): string | undefined {
  const cmdlet = checker.string(object, 'cmdlet', what);
  if (cmdlet === undefined) return undefined;
  if (!cmdletNamePattern.test(cmdlet)) {
    return checker.report(object.properties.get('cmdlet')!.value.at, `${what} '${cmdlet}' is not a Verb-Noun cmdlet name`);
  }
  return cmdlet;
}

/**
 * The `parameters` object of a command: names are identifiers, values strings, numbers or
 * booleans. `what` names the command in messages ('input', 'the forEach'). Undefined when absent.
 */
export function fixedParameters(checker: Checker, object: ObjectValue, what: string): RestParameterModel | undefined {
  const property = object.properties.get('parameters');
  if (!property) return undefined;
  const parameters: RestParameterModel = [];
  const given = property.value;
  if (given.kind !== 'object' && given.kind !== 'unresolved') checker.report(given.at, `the ${what} parameters must be an object, not ${describeValue(given)}`);
  for (const [name, item] of given.kind === 'object' ? given.properties : []) {
    if (!parameterNamePattern.test(name)) checker.report(item.at, `${what} parameter name '${name}' is not an identifier (letters and digits)`);
    const v = item.value;
    if (v.kind === 'string' || v.kind === 'number' || v.kind === 'boolean') parameters.push({ name, value: v.value });
    else if (v.kind !== 'unresolved') checker.report(v.at, `${what} parameter '${name}' must be a string, number or boolean, not ${describeValue(v)}`);
  }
  return parameters;
}
