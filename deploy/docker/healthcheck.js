// HEALTHCHECK for every image, in plain Node (the slim image has no curl): exit 0 when the app's
// liveness endpoint answers 2xx within 2 s. HEALTHCHECK_URL overrides the address; an app built
// without a port (a worker such as the outbox relay) has no endpoint, so its process being up
// is all there is to check.
const port = process.env.PORT;
const url = process.env.HEALTHCHECK_URL || (port ? `http://127.0.0.1:${port}/healthz` : '');
if (!url) process.exit(0);
fetch(url, { signal: AbortSignal.timeout(2000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
