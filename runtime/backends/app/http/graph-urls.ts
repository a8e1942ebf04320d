import { isDnsName } from '../../../../common/dns-name.js';
import { plainHttpAllowed } from '../../../platform/http/url-safety.js';
import { isGuid } from '../../../platform/tenant-names.js';

/**
 * Checks a service base URL: absolute, https (or http on a loopback host), no credentials, query
 * or fragment. Answers the base without a trailing slash, or a message saying what is wrong.
 */
export function checkBaseUrl(raw: string): { base: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `expected an absolute URL such as https://graph.microsoft.com, received '${raw}'` };
  }
  if (url.protocol !== 'https:' && !plainHttpAllowed(url)) {
    return { problem: `expected an https:// URL (http:// only on a loopback host), received '${raw}'` };
  }
  if (url.username || url.password) return { problem: `expected a URL without user name or password, received one with them` };
  if (url.search || url.hash) return { problem: `expected a URL without query or fragment, received '${raw}'` };
  return { base: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** True when `link` (an @odata.nextLink) is under `base`, so the partner's token may go with it. */
export function isUnderBase(link: string, base: string): boolean {
  try {
    const url = new URL(link);
    const root = new URL(`${base}/`);
    return url.origin === root.origin && url.pathname.startsWith(root.pathname);
  } catch {
    return false;
  }
}

/** A tenant as it may appear in a token endpoint path: a GUID, a DNS name, or organizations/common. */
export function isTokenTenant(value: string): boolean {
  return isGuid(value) || isDnsName(value) || value === 'organizations' || value === 'common';
}

export function tokenUrl(loginBase: string, tenant: string): string {
  if (!isTokenTenant(tenant)) throw new Error(`'${tenant}' is not a tenant id, domain, 'organizations' or 'common'`);
  return `${loginBase}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

const reportFunction = /^[A-Za-z][A-Za-z0-9]{0,127}$/;

/** The report URL: <graph>/v1.0/reports/<fn>(period='D7') or (date=YYYY-MM-DD). */
export function reportUrl(graphBase: string, fn: string, when: { period: string } | { date: string }): string {
  if (!reportFunction.test(fn)) throw new Error(`'${fn}' is not a Graph report function name`);
  if ('date' in when) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(when.date)) throw new Error(`'${when.date}' is not a date YYYY-MM-DD`);
    return `${graphBase}/v1.0/reports/${fn}(date=${when.date})`;
  }
  if (!/^D\d{1,3}$/.test(when.period)) throw new Error(`'${when.period}' is not a report period such as D7`);
  return `${graphBase}/v1.0/reports/${fn}(period='${when.period}')`;
}
