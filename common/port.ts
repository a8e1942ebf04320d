/**
 * The TCP port rule of every option that takes one (dap-report show --serve, dap-sim --port):
 * decimal ASCII digits for 0..65535 and nothing else. Number() would also take 0x50, 1e3, ' 80'
 * and '' (0), so a typo could serve on a port no one asked for.
 */

/** The port `text` names, or undefined when it is not one. */
export function parsePortNumber(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number.parseInt(text, 10);
  return port <= 65_535 ? port : undefined;
}
