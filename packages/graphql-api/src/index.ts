// @roadmap/graphql-api: the Conduit use cases over GraphQL (Apollo Server 5 on Express 5).
export { buildApp, SCHEMA_FILE, type AppDeps, type AppConfig, type GraphqlApp } from './app';
export {
  graphqlApiConfigShape,
  loadGraphqlApiConfig,
  defaultGraphqlApiConfig,
  type GraphqlApiConfig,
} from './config';
