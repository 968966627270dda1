// Every route of this app is declared with kit's defineRoute, typed by auth with its Actor and
// RoutePolicy — the same declaration auth's own routes use (one validator, one document).
export { defineRoute, type RouteContext } from '@roadmap/auth/express';
export type { RoutePolicy } from '@roadmap/auth';
export type { RouteDefinition } from '@roadmap/kit/express';
