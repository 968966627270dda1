import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, buildHttpsServer, buildServer } from '../src/server';
import { ensureCertificate } from '../src/tls/certificate';

/**
 * The lesson page in a real browser: Debian's Chromium driven by playwright-core. It checks
 * what unit tests cannot — that fetch, CORS, cookies, redirects and streaming behave in a
 * browser the way the page explains.
 */
// Debian's package by default; CI on GitHub points CHROMIUM_PATH at the runner's Chrome.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  process.stderr.write(
    `basics browser test SKIPPED: ${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH)\n`,
  );
const describeIfChromium = haveChromium ? describe : describe.skip;
jest.setTimeout(60_000);

describeIfChromium('the lesson page in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let http: Server;
  let https: Server;
  let certDir: string;
  let port: number;
  const problems: string[] = [];

  beforeAll(async () => {
    certDir = await mkdtemp(path.join(tmpdir(), 'basics-browser-'));
    const app = buildApp();
    http = buildServer(app);
    https = buildHttpsServer(app, await ensureCertificate(certDir));
    // No host: listen on every interface, so both 127.0.0.1 and localhost reach it (CORS lesson).
    await Promise.all([
      new Promise<void>((r) => http.listen(0, r)),
      new Promise<void>((r) => https.listen(0, r)),
    ]);
    port = (http.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // The browser logs every non-2xx fetch as a console error; those are the lesson, not bugs.
      if (msg.type() === 'error' && !/status of [45]\d\d|Failed to load resource/.test(msg.text()))
        problems.push(`console: ${msg.text()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of [http, https]) {
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
    }
    await rm(certDir, { recursive: true, force: true });
  });

  afterEach(() => expect(problems.splice(0)).toEqual([]));

  /**
   * Click a lesson button (by its accessible name: a part of it, or `{ exact }`) and wait
   * until its response panel shows `expected`.
   */
  async function click(
    section: string,
    button: string | { exact: string },
    expected: RegExp,
  ): Promise<string> {
    const buttons = page.locator(`#${section}`);
    await (
      typeof button === 'string'
        ? buttons.getByRole('button', { name: button })
        : buttons.getByRole('button', { name: button.exact, exact: true })
    ).click();
    const response = page.locator(`#${section} .response`, { hasText: expected });
    await response.waitFor({ timeout: 10_000 });
    return (await response.textContent()) ?? '';
  }
  const requestText = (section: string) => page.locator(`#${section} .request`).textContent();

  it('when the page loads, then it is the styled lesson index with its script running', async () => {
    expect(await page.title()).toBe('How the web works — live lessons');
    expect(await page.locator('section.lesson').count()).toBe(12);
    // The script filled in the other origin; the stylesheet applied (a panel has padding).
    expect(await page.locator('#cors .other-origin').textContent()).toBe(
      `http://localhost:${port}`,
    );
    // (Browser code as strings: this tsconfig has no DOM types, on purpose — it is a Node package.)
    expect(
      await page.evaluate<string>(
        "getComputedStyle(document.querySelector('pre.response')).paddingTop",
      ),
    ).toBe('12px');
  });

  it('when the method buttons are clicked, then POST creates, PUT is idempotent and PROPFIND is refused', async () => {
    expect(await click('methods', 'POST a note', /HTTP\/1\.1 201 Created/)).toMatch(
      /location: \/methods\/notes\/1/,
    );
    expect(await requestText('methods')).toContain(
      'POST /methods/notes HTTP/1.1\nHost: 127.0.0.1:',
    );
    await click('methods', 'PUT /methods/notes/shopping', /201 Created/);
    expect(await click('methods', 'PUT /methods/notes/shopping', /200 OK/)).toContain(
      '"text": "eggs"',
    );
    expect(await click('methods', 'PROPFIND', /405 Method Not Allowed/)).toContain(
      'allow: GET, HEAD, OPTIONS, POST',
    );
    expect(await click('methods', 'DELETE it', /204 No Content/)).not.toContain('{');
  });

  it('when status and negotiation buttons are clicked, then the codes and formats show as sent', async () => {
    expect(await click('status', 'a handler that throws', /500 Internal Server Error/)).toContain(
      'Something went wrong on our side',
    );
    await click('status', '204', /HTTP\/1\.1 204 No Content/);
    expect(await click('negotiation', 'Accept: text/plain', /200 OK/)).toContain(
      '(format: text/plain)',
    );
    expect(await click('negotiation', 'Accept: image/png', /406 Not Acceptable/)).toContain(
      'vary: Accept',
    );
    expect(await click('headers', 'X-Lesson-Demo', /200 OK/)).toMatch(/"X-Lesson-Demo",\s+"hello"/);
  });

  it('when the cached resource is asked again with its ETag, then the browser shows the 304', async () => {
    const first = await click('caching', 'GET (remember the ETag)', /200 OK/);
    const etag = /etag: ("[^"]+")/.exec(first)?.[1];
    expect(etag).toBeDefined();
    await click('caching', 'conditional GET', /304 Not Modified/);
    expect(await requestText('caching')).toContain(`If-None-Match: ${etag}`);
    await click('caching', 'PUT with If-Match', /200 OK/);
    await click('caching', 'stale If-Match', /412 Precondition Failed/);
  });

  it('when cookies are set, then the browser sends both back but page JavaScript sees only the non-HttpOnly one', async () => {
    await click('cookies', 'POST /cookies', /200 OK/);
    const received = await click('cookies', 'GET /cookies', /200 OK/);
    expect(received).toMatch(/"lesson_session": "[\w-]{16}"/);
    expect(received).toContain('"lesson_theme": "dark"');
    const visible = await click('cookies', 'read document.cookie', /lesson_theme=dark/);
    expect(visible.split('\n')[0]).not.toContain('lesson_session');
    await click('cookies', 'DELETE /cookies', /200 OK/);
    expect(await page.evaluate<string>('document.cookie')).toBe('');
  });

  it('when a POST is redirected, then 302 arrives as a GET without body and 307 keeps POST and body', async () => {
    const after302 = await click('redirects', 'POST → 302', /200 OK/);
    expect(after302).toContain('# fetch followed a redirect');
    expect(after302).toContain('"method": "GET"');
    expect(after302).toContain('"body": null');
    const after307 = await click('redirects', 'POST → 307', /200 OK/);
    expect(after307).toContain('"method": "POST"');
    expect(after307).toContain('"body": "hello"');
  });

  it('when the page calls the other origin, then CORS lets it read the answer and the preflight is visible', async () => {
    const get = await click('cors', 'cross-origin GET', /200 OK/);
    expect(get).toContain(`"origin": "http://127.0.0.1:${port}"`);
    expect(get).toContain('x-lesson: cors'); // readable only because the server exposed it
    expect(get).not.toContain('vary:'); // not safelisted, not exposed: hidden from the page
    expect(get).toContain('# cross-origin: scripts see only the CORS-safelisted headers');
    expect(await requestText('cors')).toContain(
      `GET /cors/data HTTP/1.1\nHost: localhost:${port}\nOrigin: http://127.0.0.1:${port}`,
    );
    expect(await click('cors', 'cross-origin PUT', /200 OK/)).toContain(
      '"message": "set from another origin"',
    );
    const preflight = await click('cors', 'what did the preflight look like', /requestMethod/);
    expect(preflight).toContain(`"origin": "http://127.0.0.1:${port}"`);
    expect(preflight).toContain('"requestMethod": "PUT"');
    expect(preflight).toContain('"requestHeaders": "content-type"');
    expect(preflight).toContain('"allowed": true');
  });

  it('when the stream is read, then the chunks appear one by one with their arrival times', async () => {
    const text = await click('streaming', 'GET /stream', /# end of stream/);
    expect(text).toContain('transfer-encoding: chunked');
    expect(text.match(/\[\+\d+ ms\] chunk \d of 5/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('chunk 5 of 5');
  });

  it('when bodies of each type are posted, then they are parsed, and an oversized one is a 413', async () => {
    expect(await click('bodies', { exact: 'JSON' }, /200 OK/)).toContain('"tags": [');
    expect(await click('bodies', { exact: 'form' }, /200 OK/)).toContain('"title": "a form"');
    expect(await click('bodies', 'broken JSON', /400 Bad Request/)).toContain('not valid JSON');
    expect(await click('bodies', 'image/png', /415 Unsupported Media Type/)).toContain(
      'not \\"image/png\\"',
    );
    expect(await click('bodies', '20 000 bytes', /413 Payload Too Large/)).toContain('16384 bytes');
  });

  it('when TLS and DNS are asked, then plain HTTP says it is unencrypted and localhost resolves offline', async () => {
    expect(await click('tls', 'GET /tls', /200 OK/)).toContain('"encrypted": false');
    expect(await click('dns', 'GET /dns', /200 OK/)).toMatch(/"address": "(127\.0\.0\.1|::1)"/);
  });

  it('when the same page is opened over HTTPS, then /tls reports TLS 1.3', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true }); // self-signed
    try {
      const secure = await context.newPage();
      await secure.goto(`https://localhost:${(https.address() as AddressInfo).port}/`);
      await secure.locator('#tls button', { hasText: 'GET /tls' }).click();
      const response = secure.locator('#tls .response', { hasText: /"encrypted"/ });
      await response.waitFor({ timeout: 10_000 });
      const text = await response.textContent();
      expect(text).toContain('"encrypted": true');
      expect(text).toContain('"protocol": "TLSv1.3"');
    } finally {
      await context.close();
    }
  });
});
