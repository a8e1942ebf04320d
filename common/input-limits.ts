/**
 * The most bytes each input of the tools is read to: a file (or a device, a pipe) larger than this
 * is refused with an error naming the file and the limit, so `--tenants-file /dev/zero` ends at once
 * instead of reading until memory runs out. Generous: 100,000 tenant names fit a tenants file.
 */
export const inputLimits = {
  tenantsFile: 16 << 20,
  catalog: 16 << 20,
  scenario: 16 << 20,
  /** A report definition file (dap-gen --reports) and each module it imports. */
  definition: 16 << 20,
  certificate: 1 << 20,
  tokenFile: 1 << 20,
  /** A password or client secret read from stdin. */
  stdinSecret: 64 << 10,
  /** Files a run writes and reads again (manifest, summary, request log, run page): 100,000 tenants fit. */
  runFile: 256 << 20,
  runLock: 64 << 10,
} as const;

/** A size as a person reads it: 16 MiB, 64 KiB, 100 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} bytes`;
}
