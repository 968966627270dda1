import { type OriginPolicy } from './lessons/cors.routes';

/** The resolved options every lesson may read (see `AppOptions` in server.ts for the docs). */
export interface Settings {
  maxBodyBytes: number;
  corsOrigins: OriginPolicy;
  httpsPort: number;
}
