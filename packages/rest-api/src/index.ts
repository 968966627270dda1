// @roadmap/rest-api: the RealWorld Conduit REST API. buildApp() builds it (tests, benchmarks,
// the root `pnpm start`); src/main.ts runs it.
export { buildApp, type AppDeps, type AppAuth, type AppConfig, type RestApp } from './app';
export { loadRestApiConfig, restApiConfigShape, type RestApiConfig } from './config';
export { defineRoute, type RouteDefinition, type RoutePolicy } from './http/route';
export type { OpenApiDocument } from './openapi';
