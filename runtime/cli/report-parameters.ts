import type { Catalog, CatalogParameter, CatalogReport } from '../../common/catalog.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { dotnetPattern } from '../../common/dotnet-pattern.js';
import { didYouMean } from '../../common/did-you-mean.js';
import type { JobParameter } from '../backends/contract/runner-types.js';

const usage = (code: string, message: string) => new DapError(code, ExitCode.usage, message);

/** The report named by --report (case-insensitive), or a usage error listing the known ones. */
export function findReport(catalog: Catalog, name: string): CatalogReport {
  const wanted = name.trim().toLowerCase();
  const report = catalog.reports.find((r) => r.name.toLowerCase() === wanted || r.function.toLowerCase() === wanted);
  if (!report) {
    const known = catalog.reports.map((r) => r.name).join(', ');
    throw usage('UNKNOWN_REPORT', `unknown report '${name}'${didYouMean(name, catalog.reports.map((r) => r.name))}: expected one of ${known}`);
  }
  return report;
}

/** Parses a date as users write it: 2015-03-18, 2015-03-18T10:00:00[Z|±hh:mm] or 03/18/2015 (month first). */
export function parseDateValue(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  let year: number, month: number, day: number;
  let time = '';
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) {
      const [h, m, s] = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? '0')];
      if (h > 23 || m > 59 || s > 59) return undefined;
      time = text.slice(10).replace(' ', 'T');
    }
  } else if (us) {
    [month, day, year] = [Number(us[1]), Number(us[2]), Number(us[3])];
  } else {
    return undefined;
  }
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return time ? `${date}${time}` : date;
}

function describe(parameter: CatalogParameter): string {
  if (parameter.values) return `one of ${parameter.values.join('|')}`;
  switch (parameter.type) {
    case 'datetime':
      return 'a date such as 2015-03-18 or 03/18/2015';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return 'a string';
  }
}

function convertOne(report: CatalogReport, parameter: CatalogParameter, raw: string): string | number | boolean {
  const bad = (code: string) =>
    usage(code, `--param ${parameter.name}='${raw}' is not valid for ${report.name}: expected ${describe(parameter)}`);
  if (parameter.values) {
    const match = parameter.values.find((v) => v.toLowerCase() === raw.toLowerCase());
    if (match === undefined) throw bad('VALUE_NOT_ALLOWED');
    return match;
  }
  switch (parameter.type) {
    case 'integer':
      if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw bad('BAD_INTEGER');
      return Number(raw);
    case 'number':
      if (raw.trim() === '' || !Number.isFinite(Number(raw))) throw bad('BAD_NUMBER');
      return Number(raw);
    case 'boolean': {
      const value = raw.toLowerCase().replace(/^\$/, '');
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      throw bad('BAD_BOOLEAN');
    }
    case 'datetime': {
      const date = parseDateValue(raw);
      if (date === undefined) throw bad('BAD_DATE');
      return date;
    }
    default:
      if (raw.length === 0) throw bad('EMPTY_VALUE');
      // the function's own [ValidatePattern]: refused here, before any tenant, not in every tenant
      if (parameter.pattern !== undefined && !dotnetPattern(parameter.pattern).test(raw)) {
        throw usage('VALUE_NOT_MATCHED', `--param ${parameter.name}='${raw}' is not valid for ${report.name}: it must match ${parameter.pattern}`);
      }
      return raw;
  }
}

/**
 * Checks every `--param Name=Value` against the report's catalog entry: known name (case-insensitive,
 * as PowerShell matches them), given once, value of the right type or in the ValidateSet, required
 * ones present, StartDate not after EndDate. Returns the parameters in catalog order with their
 * canonical names and values; parameters not given are left to the function's defaults.
 */
export function parseReportParameters(report: CatalogReport, pairs: readonly string[]): JobParameter[] {
  const given = new Map<string, JobParameter>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage('BAD_PARAM_SYNTAX', `--param expects Name=Value, received '${pair}'`);
    const name = pair.slice(0, eq).trim().replace(/^-/, '');
    const raw = pair.slice(eq + 1);
    const parameter = report.parameters.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!parameter) {
      const known = report.parameters.map((p) => p.name).join(', ') || 'none';
      throw usage('UNKNOWN_PARAMETER', `${report.name} has no parameter '${name}'${didYouMean(name, report.parameters.map((p) => p.name))}: expected one of ${known}`);
    }
    if (given.has(parameter.name)) throw usage('DUPLICATE_PARAMETER', `--param ${parameter.name} is given more than once`);
    const value = parameter.array
      ? raw.split(',').map((item) => convertOne(report, parameter, item.trim()))
      : convertOne(report, parameter, raw);
    given.set(parameter.name, { name: parameter.name, type: parameter.type, array: parameter.array, value });
  }
  for (const parameter of report.parameters) {
    if (parameter.required && parameter.default === undefined && !given.has(parameter.name)) {
      throw usage('MISSING_PARAMETER', `${report.name} needs --param ${parameter.name}=<${describe(parameter)}>`);
    }
  }
  const start = given.get(report.parameters.find((p) => p.name.toLowerCase() === 'startdate')?.name ?? '');
  const end = given.get(report.parameters.find((p) => p.name.toLowerCase() === 'enddate')?.name ?? '');
  if (start && end && typeof start.value === 'string' && typeof end.value === 'string') {
    if (Date.parse(start.value) > Date.parse(end.value)) {
      throw usage('DATE_RANGE_REVERSED', `StartDate ${start.value} is after EndDate ${end.value}: expected StartDate <= EndDate`);
    }
  }
  return report.parameters.flatMap((p) => {
    const value = given.get(p.name);
    return value ? [value] : [];
  });
}
