/**
 * MongoDB tests run against a real server whenever MONGO_URL is set (GitHub Actions, docker
 * compose, a laptop). Without it they are reported as skipped, with one visible line — never
 * passed silently.
 */
export function mongoUrl(): string | undefined {
  const value = process.env.MONGO_URL;
  return value && value.length > 0 ? value : undefined;
}

export function describeWithMongo(title: string, fn: () => void): void {
  if (mongoUrl()) {
    describe(title, fn);
    return;
  }
  process.stderr.write(
    `[skipped] ${title}: MONGO_URL is not set, so these MongoDB tests are skipped (docker compose up -d mongo, then MONGO_URL=mongodb://127.0.0.1:27017/test)\n`,
  );
  describe.skip(title, fn);
}
