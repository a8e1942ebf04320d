/**
 * Hostile URLs: every URL the runtime is handed (a service base URL) or sent to (a redirect's
 * Location, judged by the one URL rule and followed by the one redirect follower), in every scheme
 * and address form a service or a typo could produce; and the port values --serve could be given.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePortNumber } from '../../common/port.js';
import { checkBaseUrl } from '../../runtime/backends/app/http/graph-urls.js';
import { fetchFollowingRedirects, MAX_REDIRECTS, RedirectError } from '../../runtime/platform/http/follow-redirects.js';
import { isLoopbackHost, urlRefusal } from '../../runtime/platform/http/url-safety.js';
import { tempDir } from '../runtime/fakes.js';
import { runGraph } from '../runtime/graph-harness.js';
import { hostileUrlCases as cases, LOOPBACK, PUBLIC } from '../fixtures/hostile-urls.js';

describe('the one URL rule (urlRefusal)', () => {
  it.each(cases)('%j: %s alone, %s from a public host, %s from the loopback simulator', (url, alone, fromPublic, fromLoopback) => {
    expect(urlRefusal(url) === undefined ? 'taken' : 'refused').toBe(alone);
    expect(urlRefusal(url, PUBLIC) === undefined ? 'taken' : 'refused').toBe(fromPublic);
    expect(urlRefusal(url, LOOPBACK) === undefined ? 'taken' : 'refused').toBe(fromLoopback);
  });

  it('names the reason and no part of the URL but its scheme', () => {
    expect(urlRefusal('https://user:s3cr3t@files.example/r.csv?sig=SIGNED')).toBe('the URL carries a user name or password');
    expect(urlRefusal('http://files.example/r.csv?sig=SIGNED')).toBe('plain http (not https)');
    expect(urlRefusal('http://127.0.0.1:4010/r.csv')).toBe('plain http (not https)');
    expect(urlRefusal('file:///etc/passwd')).toBe('the scheme file: is not https');
    expect(urlRefusal('https://169.254.169.254/latest', PUBLIC)).toBe('a public host sent it to a loopback or private address');
  });

  it('loopback hosts in every spelling the parser leaves', () => {
    expect(['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', 'localhost.', 'a.localhost', '::1', '[::1]', '[::ffff:7f00:1]', '::ffff:127.0.0.1'].filter((h) => !isLoopbackHost(h))).toEqual([]);
    expect(['128.0.0.1', '10.0.0.1', '::2', '[::ffff:a9fe:a9fe]', 'localhost.example.com', 'example.com', '2130706433'].filter(isLoopbackHost)).toEqual([]);
  });
});

describe('a URL handed to the runtime (--graph-url, --login-url, --exchange-url)', () => {
  it.each([
    ['https://graph.microsoft.com', true],
    ['HTTPS://GRAPH.MICROSOFT.COM/', true],
    ['https://127.0.0.1:4010', true],
    ['http://127.0.0.1:4010', false],
    ['http://localhost:4010', false],
    ['http://2130706433:4010', false],
    ['http://[::1]:4010', false],
    ['http://graph.microsoft.com', false],
    ['file:///etc', false],
    ['data:text/plain,x', false],
    ['javascript:alert(1)', false],
    ['ftp://graph.example', false],
    ['ws://127.0.0.1:4010', false],
    ['wss://graph.example', false],
    ['https://a@graph.example', false],
    ['https://graph.example/?x=1', false],
    ['https://graph.example/#x', false],
    ['graph.microsoft.com', false],
    ['', false],
  ])('%j accepted: %s', (raw, accepted) => {
    expect('base' in checkBaseUrl(raw)).toBe(accepted);
  });
});

/** A response as fetch gives it, with a Location the Headers class would not even hold (CR, LF). */
const redirectTo = (location: string, status = 302) =>
  ({ status, headers: { get: (name: string) => (name.toLowerCase() === 'location' ? location : null) }, body: null }) as unknown as Response;

/** A fetch that answers `first` with a redirect to `location` and anything else with 200. */
function world(first: string, location: string) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return url === first ? redirectTo(location) : new Response('taken', { status: 200 });
  };
  return { calls, fetch };
}

describe('the redirect follower', () => {
  for (const [from, column] of [
    [PUBLIC, 2],
    [LOOPBACK, 3],
  ] as const) {
    it.each(cases)(`%j from ${from === PUBLIC ? 'a public host' : 'the loopback simulator'}`, async (...row) => {
      const [location, , , , fetched] = row;
      const verdict = row[column];
      const { calls, fetch } = world(from, location);
      const following = fetchFollowingRedirects(fetch, from, { headers: { authorization: 'Bearer partner-token' } });
      if (verdict === 'refused') {
        await expect(following).rejects.toMatchObject({ name: 'RedirectError', reason: 'refused', hop: 1 });
        expect(calls.map((c) => c.url)).toEqual([from]);
        return;
      }
      const result = await following;
      expect(result.hops).toBe(1);
      expect(result.url).toBe(fetched ?? new URL(location, from).toString());
      expect(calls.map((c) => c.url)).toEqual([from, result.url]);
      expect(new Headers(calls[1]!.init?.headers).has('authorization')).toBe(false);
      expect(calls.every((c) => c.init?.redirect === 'manual')).toBe(true);
    });
  }

  it('checks every hop: a second hop to plain http is refused like a first, naming hop 2', async () => {
    const calls: string[] = [];
    const fetch = async (url: string) => {
      calls.push(url);
      if (url === PUBLIC) return redirectTo('https://files.example/1');
      if (url === 'https://files.example/1') return redirectTo('http://files.example/2');
      return new Response('taken');
    };
    const error = await fetchFollowingRedirects(fetch, PUBLIC).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ reason: 'refused', hop: 2, message: 'redirect 2 refused: plain http (not https)' });
    expect(calls).toEqual([PUBLIC, 'https://files.example/1']);
  });

  it(`a loop ends after ${MAX_REDIRECTS} redirects`, async () => {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      return redirectTo('https://files.example/again');
    };
    await expect(fetchFollowingRedirects(fetch, PUBLIC)).rejects.toMatchObject({ reason: 'too-many', hop: MAX_REDIRECTS + 1 });
    expect(calls).toBe(MAX_REDIRECTS + 1);
  });

  it('a redirect without a Location is an error of its own (the service may answer properly next time)', async () => {
    const fetch = async () => new Response(null, { status: 307 });
    await expect(fetchFollowingRedirects(fetch, PUBLIC)).rejects.toMatchObject({ reason: 'no-location', hop: 1 });
  });

  it('no credentials after the first request; 303 turns a POST into a GET without body', async () => {
    const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fetch = async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return calls.length === 1 ? redirectTo('/next', 303) : new Response('taken');
    };
    const result = await fetchFollowingRedirects(fetch, PUBLIC, {
      method: 'POST',
      body: 'a=1',
      headers: { authorization: 'Bearer t', cookie: 'c=1', 'proxy-authorization': 'Basic x', 'content-type': 'application/x-www-form-urlencoded', accept: 'text/csv' },
    });
    expect(await result.response.text()).toBe('taken');
    const next = new Headers(calls[1]!.init?.headers);
    expect([...next.keys()]).toEqual(['accept']);
    expect(calls[1]!.init).toMatchObject({ method: 'GET', redirect: 'manual' });
    expect(calls[1]!.init?.body).toBeUndefined();
    expect(new Headers(calls[0]!.init?.headers).get('authorization')).toBe('Bearer t');
  });
});

describe('--serve port values through the command line', () => {
  it.each([['0', 0], ['80', 80], ['8080', 8080], ['65535', 65_535], ['00080', 80]])('%j is port %i', (text, port) => expect(parsePortNumber(text)).toBe(port));
  it.each([['0x50'], ['1e3'], [''], ['-1'], ['65536'], ['99999'], ['123456'], [' 80'], ['80 '], ['+80'], ['८०'], ['８０'], ['80.0'], ['0b1010'], ['Infinity'], ['NaN'], ['80\n']])('%j is not a port', (text) =>
    expect(parsePortNumber(text)).toBeUndefined(),
  );

  it.each([['0x50'], ['1e3'], [''], ['-1'], ['65536'], [' 80'], ['80 '], ['+80'], ['८०']])('show --serve=%j: a usage error naming the value, nothing served', async (value) => {
    const cwd = tempDir('dap-hostile-port-');
    writeFileSync(join(cwd, 'ReportOutput.csv.html'), '<p>page</p>');
    const show = await runGraph(['show', `--serve=${value}`], { cwd });
    expect(show.error).toMatchObject({ code: 'INVALID_ARGUMENT', exitCode: 2 });
    expect((show.error as Error).message).toBe(`--serve '${value}': a port is written in decimal digits, 0 to 65535`);
    expect(show.stdout).toBe('');
  });

  it.each([['0x50'], ['1e3'], [''], ['65536'], [' 80'], ['80 '], ['+80'], ['८०']])('show --serve %j (as its own argument): the same usage error', async (value) => {
    const cwd = tempDir('dap-hostile-port-');
    writeFileSync(join(cwd, 'ReportOutput.csv.html'), '<p>page</p>');
    const show = await runGraph(['show', 'ReportOutput.csv', '--serve', value], { cwd });
    expect(show.error).toMatchObject({ code: 'INVALID_ARGUMENT', exitCode: 2 });
    expect(show.stdout).toBe('');
  });

  it('show --serve -1 (as its own argument) is an unknown option, exit 2, nothing served', async () => {
    const cwd = tempDir('dap-hostile-port-');
    writeFileSync(join(cwd, 'ReportOutput.csv.html'), '<p>page</p>');
    const show = await runGraph(['show', '--serve', '-1'], { cwd });
    expect(show.error ?? show.exitCode).toBeDefined();
    expect(show.exitCode ?? (show.error as { exitCode?: number }).exitCode).toBe(2);
    expect(show.stdout).toBe('');
  });
});
