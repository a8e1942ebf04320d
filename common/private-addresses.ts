/**
 * Addresses no public service has a reason to send a download to: this machine, its network, the
 * cloud metadata service, multicast. The one URL rule of the runtime (runtime/platform/http/url-safety.ts)
 * and of the generated module (Get-DapUrlRefusal) both read them from here.
 */

/** IPv4 ranges as address/prefix length. */
export const privateIpv4Ranges = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3',
] as const;

/**
 * IPv6 ranges: ::/96 holds :: and ::1 and the old IPv4-compatible form; 64:ff9b::/96 is NAT64 onto
 * IPv4 (an IPv4-mapped ::ffff:a.b.c.d is judged by the IPv4 ranges).
 */
export const privateIpv6Ranges = ['::/96', '64:ff9b::/96', 'fc00::/7', 'fe80::/10', 'ff00::/8'] as const;
