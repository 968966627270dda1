/**
 * @roadmap/basics — stage 1 of the roadmap: how the web works, on node:http alone.
 * Build the server without listening (`buildServer`), or start everything (`main`).
 */
export { buildApp, buildServer, buildHttpsServer, type App, type AppOptions } from './server';
export { main } from './main';
export { readConfig, ConfigError, type Config } from './config';
export { ensureCertificate, DEFAULT_CERT_DIR, type Credentials } from './tls/certificate';
export { inspectName, type DnsReport } from './dns/dns.service';
