import { BlockList, isIP } from 'node:net';
import { privateIpv4Ranges, privateIpv6Ranges } from '../../../common/private-addresses.js';

/**
 * The one rule for a URL the runtime is sent to by a service (a redirect's Location, a download):
 * https, or plain http only on a loopback host (the simulator, while PLAIN_HTTP_ON_LOOPBACK); no user name or password; and a
 * public host never sends the runtime to a loopback or private address (this machine, its network,
 * the cloud metadata service). The URL parser has already read 2130706433, 0x7f.1 and 017700000001
 * as 127.0.0.1; names that resolve to such addresses are not looked up here.
 */

/**
 * Whether plain http is allowed on a loopback host: for a service base URL, a Location, and a
 * bearer token (http-client.ts). It stays on only while the simulator's stand-ins of the real
 * services speak plain http; once they speak https, this is turned off and plain http is refused
 * for every real service URL. The one switch: every rule below reads it.
 */
export const PLAIN_HTTP_ON_LOOPBACK = true;

/** True when `url` may be used without TLS: never, or (under the switch above) on a loopback host. */
export function plainHttpAllowed(url: URL, loopbackHttp: boolean = PLAIN_HTTP_ON_LOOPBACK): boolean {
  return url.protocol === 'http:' && loopbackHttp && isLoopbackHost(url.hostname);
}

/** Addresses no public service has a reason to send the runtime to. */
const privateAddresses = new BlockList();
for (const range of privateIpv4Ranges) {
  const [net = '', prefix = ''] = range.split('/');
  privateAddresses.addSubnet(net, Number(prefix), 'ipv4');
}
// (an IPv4-mapped ::ffff:a.b.c.d is checked against the IPv4 ranges by BlockList itself)
for (const range of privateIpv6Ranges) {
  const [net = '', prefix = ''] = range.split('/');
  privateAddresses.addSubnet(net, Number(prefix), 'ipv6');
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();

/** True for 127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x) and localhost (where plain http is allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = bare(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
    if (mapped !== undefined) return isLoopbackHost(mapped.includes('.') ? mapped : hexToDotted(mapped));
    return host === '::1' || host === '0:0:0:0:0:0:0:1';
  }
  return false;
}

/** ::ffff:7f00:1 as the URL parser writes it -> 127.0.0.1. */
function hexToDotted(groups: string): string {
  const [high = '0', low = '0'] = groups.split(':');
  const value = (Number.parseInt(high, 16) << 16) | Number.parseInt(low, 16);
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** True for a loopback name, or an IP literal in a loopback, private, link-local or multicast range. */
function isPrivateHost(hostname: string): boolean {
  if (isLoopbackHost(hostname)) return true;
  const host = bare(hostname);
  const family = isIP(host);
  return family !== 0 && privateAddresses.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why the runtime may not fetch `raw` when `from` sent it there (a redirect's Location, read
 * against `from` when relative), or undefined when it may. Without `from`, `raw` is judged on its
 * own and must be absolute. The answer names no part of the URL beyond its scheme, so that it may
 * go into a message.
 */
export function urlRefusal(raw: string, from?: string): string | undefined {
  // a service writes its URLs percent-encoded: a space or a control character means a forged one
  // (the parser would quietly drop a CR or LF and fetch something else)
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return 'the URL holds spaces or control characters';
  // read against `from`, an empty Location would be `from` again
  if (raw === '') return 'an empty URL';
  let url: URL;
  try {
    url = from === undefined ? new URL(raw) : new URL(raw, from);
  } catch {
    return from === undefined ? 'not an absolute URL' : 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `the scheme ${url.protocol} is not https`;
  if (url.username || url.password) return 'the URL carries a user name or password';
  if (url.protocol === 'http:' && !plainHttpAllowed(url)) return 'plain http (not https) to a host that is not this machine';
  // (a `from` that does not parse has failed above: a URL cannot be read against it)
  if (from !== undefined && isPrivateHost(url.hostname) && !isLoopbackHost(new URL(from).hostname)) {
    return 'a public host sent it to a loopback or private address';
  }
  return undefined;
}

/** True when the runtime may fetch `raw` (sent there from `from`): see urlRefusal. */
export function isSafeUrl(raw: string, from?: string): boolean {
  return urlRefusal(raw, from) === undefined;
}
