import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHttpApp, finishHttpApp } from '../src/http';
import { createExpressServer } from '../src/server';

// A real Prometheus (Debian's `prometheus` package; .ci/run installs it) scrapes a real app.
const binary = spawnSync('sh', ['-c', 'command -v prometheus']).stdout.toString().trim();
const title = 'a real Prometheus scraping a kit app';
if (!binary)
  process.stderr.write(
    `[skipped] ${title}: no prometheus binary on PATH (apt-get install prometheus)\n`,
  );
const describeWithPrometheus = binary ? describe : describe.skip;

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      })
      .on('error', reject);
  });
}

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describeWithPrometheus(title, () => {
  let app: Server;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;
  let log = '';

  beforeAll(async () => {
    const built = createHttpApp({ name: 'scraped-app' });
    built.app.get('/api/articles/:slug', (req, res) => {
      res.json({ slug: req.params.slug });
    });
    finishHttpApp(built.app);
    app = createExpressServer(built.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => app.once('listening', resolve));
    const appPort = (app.address() as AddressInfo).port;
    for (const slug of ['one', 'two', 'three'])
      await fetch(`http://127.0.0.1:${appPort}/api/articles/${slug}`);

    dir = mkdtempSync(path.join(os.tmpdir(), 'kit-prometheus-'));
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        '  - job_name: scraped-app',
        `    static_configs: [{ targets: ['127.0.0.1:${appPort}'] }]`,
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(binary, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ]);
    prometheus.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  });

  afterAll(async () => {
    if (prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => app.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Asks Prometheus until the query has a result (each scrape is a second apart). */
  async function queryUntilFound(query: string): Promise<QueryResult['data']['result']> {
    for (let attempt = 0; attempt < 60; attempt++) {
      const answer = (await getJson(
        `${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`,
      ).catch(() => undefined)) as QueryResult | undefined;
      if (answer?.status === 'success' && answer.data.result.length > 0) return answer.data.result;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`Prometheus never returned ${query}. Its log:\n${log}`);
  }

  it('when Prometheus scrapes the app, then its HTTP API returns the request series by route template, with the job and service labels', async () => {
    const result = await queryUntilFound(
      'http_request_duration_seconds_count{route="/api/articles/:slug"}',
    );
    expect(result).toHaveLength(1);
    expect(result[0]?.metric).toMatchObject({
      __name__: 'http_request_duration_seconds_count',
      job: 'scraped-app',
      service: 'scraped-app',
      method: 'GET',
      route: '/api/articles/:slug',
      status_code: '200',
    });
    expect(result[0]?.value[1]).toBe('3');
    const up = await queryUntilFound('up{job="scraped-app"}');
    expect(up[0]?.value[1]).toBe('1');
  });
});
