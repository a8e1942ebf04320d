import { type Checker, keysOf, type ObjectValue } from './definition-checker.js';
import type { ExchangeSource, GraphSource, InputCommand } from './report-definition.js';
import { graphFunctionPattern } from './identifiers.js';
import type { ExchangeSourceModel, GraphSourceModel, SourceModel } from './report-model.js';
import type { Position, StaticValue } from './static-value.js';
import { checkCmdlet, fixedParameters } from './validate-command.js';
import { validateRestSource, restSourceKeys, type RestSourceCheck } from './validate-rest-source.js';
import { graphQuerySourceKeys, type GraphQueryCheck, validateGraphQuerySource } from './validate-graph-query.js';

export const sourceKinds = ['exchange', 'graph', 'exchangeRest', 'graphQuery'] as const;

/** The properties each kind of source has (the others are reported as belonging to another kind). */
const kindKeys: Readonly<Record<(typeof sourceKinds)[number], readonly string[]>> = {
  exchange: keysOf<ExchangeSource>({ kind: true, cmdlet: true, input: true }),
  graph: keysOf<GraphSource>({ kind: true, function: true }),
  exchangeRest: restSourceKeys,
  graphQuery: graphQuerySourceKeys,
};

export interface ValidatedSources {
  sources: SourceModel[];
  /** Checks run once the report's parameters and columns are known (what the sources refer to). */
  restChecks: RestSourceCheck[];
  /** The same for a graphQuery source. */
  graphQueryChecks: GraphQueryCheck[];
}

/**
 * `source`: one source object, or an array of them, one per kind (the first is the default
 * backend). A graph source stands alone: its parameter and column rules are Graph's own.
 */
export function validateSources(checker: Checker, value: StaticValue | undefined, at: Position): ValidatedSources | undefined {
  if (value?.kind !== 'array') {
    const one = validateSource(checker, value, at);
    return one && { sources: [one.source], restChecks: one.restCheck ? [one.restCheck] : [], graphQueryChecks: one.graphQueryCheck ? [one.graphQueryCheck] : [] };
  }
  if (value.items.length === 0) return checker.report(value.at, 'the source list is empty: give one source, or one per kind');
  const sources: SourceModel[] = [];
  const restChecks: RestSourceCheck[] = [];
  const graphQueryChecks: GraphQueryCheck[] = [];
  const seen = new Map<string, Position>();
  let complete = true;
  for (const item of value.items) {
    const one = validateSource(checker, item, item.at);
    if (!one) {
      complete = false;
      continue;
    }
    const earlier = seen.get(one.source.kind);
    if (earlier) checker.report(item.at, `a second '${one.source.kind}' source; a report has at most one source of each kind (the first is at line ${earlier.line})`);
    else seen.set(one.source.kind, item.at);
    sources.push(one.source);
    if (one.restCheck) restChecks.push(one.restCheck);
    if (one.graphQueryCheck) graphQueryChecks.push(one.graphQueryCheck);
  }
  if (seen.has('graph') && value.items.length > 1) {
    checker.report(seen.get('graph')!, "a graph source stands alone: a Graph report's parameters and columns follow Graph's own rules");
  }
  if (seen.has('graphQuery') && value.items.length > 1) {
    checker.report(seen.get('graphQuery')!, "a graphQuery source stands alone: its columns say where each value is in Graph's objects");
  }
  return complete ? { sources, restChecks, graphQueryChecks } : undefined;
}

function validateSource(checker: Checker, value: StaticValue | undefined, at: Position): { source: SourceModel; restCheck?: RestSourceCheck; graphQueryCheck?: GraphQueryCheck } | undefined {
  const source = checker.object(value, 'the source', [...new Set(Object.values(kindKeys).flat())], at);
  if (!source) return undefined;
  const kind = checker.string(source, 'kind', 'the source kind');
  if (kind === undefined) return undefined;
  if (!(sourceKinds as readonly string[]).includes(kind)) {
    return checker.report(source.properties.get('kind')!.value.at, `unknown source kind '${kind}'; supported: ${sourceKinds.map((k) => `'${k}'`).join(', ')}`);
  }
  const known = kindKeys[kind as (typeof sourceKinds)[number]];
  for (const [name, property] of source.properties) {
    const owner = sourceKinds.find((k) => kindKeys[k].includes(name));
    // a name no kind has was reported as unknown (a typo) by checker.object above
    if (known.includes(name) || !owner) continue;
    checker.report(property.at, `'${name}' belongs to ${owner === 'exchangeRest' ? 'an exchangeRest' : owner === 'exchange' ? 'an exchange' : owner === 'graphQuery' ? 'a graphQuery' : 'a graph'} source; ${kindSummary(kind)}`);
  }
  if (kind === 'graph') {
    const graph = validateGraphSource(checker, source);
    return graph && { source: graph };
  }
  if (kind === 'graphQuery') {
    const query = validateGraphQuerySource(checker, source);
    return query && { source: query.source, graphQueryCheck: query.check };
  }
  if (kind === 'exchangeRest') {
    const rest = validateRestSource(checker, source);
    return rest && { source: rest.source, restCheck: rest.check };
  }
  const exchange = validateExchangeSource(checker, source);
  return exchange && { source: exchange };
}

function kindSummary(kind: string): string {
  if (kind === 'graph') return "a graph source has only 'kind' and 'function'";
  if (kind === 'exchange') return "an exchange source names a 'cmdlet' (and an 'input')";
  if (kind === 'graphQuery') return `a graphQuery source has ${graphQuerySourceKeys.filter((k) => k !== 'kind').map((k) => `'${k}'`).join(', ')}`;
  return `an exchangeRest source has ${restSourceKeys.filter((k) => k !== 'kind').map((k) => `'${k}'`).join(', ')}`;
}

function validateExchangeSource(checker: Checker, source: ObjectValue): ExchangeSourceModel | undefined {
  const cmdlet = checkCmdlet(checker, source, 'the source cmdlet');
  let input: ExchangeSourceModel['input'];
  const inputProperty = source.properties.get('input');
  if (inputProperty) {
    const inputObject = checker.object(inputProperty.value, 'the input command', keysOf<InputCommand>({ cmdlet: true, parameters: true }), inputProperty.at);
    if (!inputObject) return undefined;
    const inputCmdlet = checkCmdlet(checker, inputObject, 'the input cmdlet');
    const parameters = fixedParameters(checker, inputObject, 'input') ?? [];
    if (inputCmdlet === undefined) return undefined;
    input = { cmdlet: inputCmdlet, parameters };
  }
  if (cmdlet === undefined) return undefined;
  return input ? { kind: 'exchange', cmdlet, input } : { kind: 'exchange', cmdlet };
}

/** A Graph source: only `kind` and `function`. */
function validateGraphSource(checker: Checker, source: ObjectValue): GraphSourceModel | undefined {
  const name = checker.string(source, 'function', 'the Graph report function');
  if (name === undefined) return undefined;
  if (!graphFunctionPattern.test(name)) {
    return checker.report(
      source.properties.get('function')!.value.at,
      `the Graph report function '${name}' is not a report function name: expected 'get', then a capital letter, letters and digits, e.g. 'getMailboxUsageDetail'`,
    );
  }
  return { kind: 'graph', function: name };
}
