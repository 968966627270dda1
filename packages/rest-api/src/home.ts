import { Router } from 'express';

/**
 * GET / — what a newcomer sees when they open http://localhost:3000/ in a browser: where to
 * go next, instead of a JSON 404. The other apps are listed at their default ports (`pnpm
 * start` prints the ones actually in use).
 */
export function homeRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({
      name: 'Conduit REST API',
      description: 'The RealWorld "Conduit" API (Express 5). Try the docs first.',
      links: {
        docs: '/docs',
        openapi: '/api/openapi.json',
        articles: '/api/articles',
        tags: '/api/tags',
        health: '/healthz',
        ready: '/readyz',
      },
      otherApps: {
        basics: 'http://localhost:8080/',
        graphql: 'http://localhost:4000/graphql',
      },
      emptyList: 'No articles? Run `pnpm db:seed` (or register and write one).',
    });
  });
  return router;
}
