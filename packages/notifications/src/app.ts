import type { Logger } from '@roadmap/kit';
import { createHttpApp, finishHttpApp, type HttpApp, type Metrics } from '@roadmap/kit/express';
import type { JwksVerifier } from './jwks';
import { notificationsRoutes, Streams } from './notifications.routes';
import type { NotificationsService } from './notifications.service';
import type { RealtimeHub } from './realtime';
import type { NotificationStore } from './store/store';

export interface AppDeps {
  service: NotificationsService;
  store: NotificationStore;
  realtime: RealtimeHub;
  verifier: JwksVerifier;
  pageMax?: number;
  heartbeatMs?: number;
  maxStreams?: number;
  /** Extra readiness checks (main adds the broker). */
  readiness?: Array<{ name: string; check: () => Promise<unknown> }>;
  logger?: Logger;
  /** The registry /metrics serves (main shares it with the consumer); default a new one. */
  metrics?: Metrics;
}

export interface NotificationsApp extends HttpApp {
  streams: Streams;
}

/** Builds the HTTP side (does not listen: main.ts does, tests use port 0). */
export function buildApp(deps: AppDeps): NotificationsApp {
  const { app, health } = createHttpApp({
    name: 'notifications',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: [
      { name: 'store', check: () => deps.store.ping() },
      { name: 'redis', check: () => deps.realtime.ping() },
      ...(deps.readiness ?? []),
    ],
  });
  const streams = new Streams();
  app.use(
    notificationsRoutes(
      {
        service: deps.service,
        realtime: deps.realtime,
        verifier: deps.verifier,
        pageMax: deps.pageMax ?? 100,
        heartbeatMs: deps.heartbeatMs ?? 15_000,
        maxStreams: deps.maxStreams ?? 10_000,
      },
      streams,
    ),
  );
  finishHttpApp(app);
  return { app, health, streams };
}
