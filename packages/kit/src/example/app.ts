import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { AppError } from '../errors';
import { createHttpApp, finishHttpApp, type HttpApp } from '../http';

/**
 * The smallest app built the kit way: it exists so the kit's behaviour (errors, health,
 * graceful shutdown) can be seen and tested before any stage package exists.
 */
export function buildExampleApp(deps: { pool?: pg.Pool }): HttpApp {
  const pool = deps.pool;
  const { app, health } = createHttpApp({
    name: 'kit-example',
    readiness: pool ? [{ name: 'postgres', check: () => pool.query('SELECT 1') }] : [],
  });

  app.get('/', (_req, res) => {
    res.json({
      hello: 'from kit',
      see: ['/healthz', '/readyz', '/slow?ms=1000', '/boom', '/teapot'],
    });
  });
  // A request that takes a while: lets you watch graceful shutdown finish it.
  app.get('/slow', async (req, res) => {
    const ms = Math.min(Number(req.query.ms ?? 1000) || 0, 30_000);
    await sleep(ms);
    res.json({ waited: ms });
  });
  app.get('/boom', () => {
    throw new Error('something broke inside a route (this text must never reach the client)');
  });
  app.get('/teapot', () => {
    throw new AppError({ code: 'teapot', status: 418, message: 'is a teapot', field: 'pot' });
  });
  app.post('/echo', (req, res) => {
    res.json({ received: req.body as unknown });
  });

  finishHttpApp(app);
  return { app, health };
}
