import { DapError, ExitCode } from '../../common/dap-error.js';
import { inputLimits } from '../../common/input-limits.js';
import { formatIssues } from '../../common/zod-issues.js';
import { defaultScenarioPath } from './paths.js';
import { readJsonFile } from './read-json-file.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

function invalid(message: string, cause?: unknown): DapError {
  return new DapError('SCENARIO_INVALID', ExitCode.usage, message, { cause });
}

/** Validates a parsed scenario object; `source` names it in messages. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) {
    checkUnique(result.data, source);
    return result.data;
  }
  const lines = formatIssues(result.error.issues, '(scenario)');
  throw invalid(`${source} is not a valid simulator scenario:\n  ${lines.join('\n  ')}`, result.error);
}

function checkUnique(scenario: Scenario, source: string): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (kind: string, value: string | undefined, path: string) => {
    if (!value) return;
    const key = `${kind}\u0000${value.toLowerCase()}`;
    const first = seen.get(key);
    if (first) problems.push(`${path}: duplicate ${kind} '${value}' (already used at ${first})`);
    else seen.set(key, path);
  };
  scenario.accounts.forEach((account, i) => {
    claim('account', account.userName, `accounts.${i}.userName`);
  });
  scenario.tenants.forEach((tenant, i) => {
    claim('tenant name', tenant.name, `tenants.${i}.name`);
    claim('tenant domain', tenant.initialDomain, `tenants.${i}.initialDomain`);
    claim('tenant id', tenant.tenantId, `tenants.${i}.tenantId`);
    if (tenant.defaultDomain && tenant.initialDomain) {
      const own = [tenant.initialDomain, ...(tenant.customDomains ?? [])].map((d) => d.toLowerCase());
      if (!own.includes(tenant.defaultDomain.toLowerCase())) {
        problems.push(`tenants.${i}.defaultDomain: '${tenant.defaultDomain}' is neither the initial domain nor one of customDomains`);
      }
    }
  });
  scenario.graph.apps.forEach((app, i) => {
    claim('app client id', app.clientId, `graph.apps.${i}.clientId`);
  });
  if (problems.length > 0) throw invalid(`${source} is not a valid simulator scenario:\n  ${problems.join('\n  ')}`);
}

/**
 * Reads and validates a scenario: a JSON file path, an already parsed object, or (absent) the
 * shipped default. Problems throw DapError SCENARIO_INVALID (exit 2) naming the field.
 */
export function loadScenario(pathOrObject?: string | Record<string, unknown>): Scenario {
  if (pathOrObject !== undefined && typeof pathOrObject !== 'string') return parseScenario(pathOrObject, 'the scenario object');
  const path = pathOrObject ?? defaultScenarioPath;
  const parsed = readJsonFile(path, 'scenario', 'SCENARIO_INVALID', inputLimits.scenario);
  return parseScenario(parsed, `scenario file ${path}`);
}
