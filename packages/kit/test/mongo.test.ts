import { probeService } from '../src';
import { describeWithMongo, mongoUrl } from '../src/testing';

// Why this file: MongoDB is the one service allowed to be absent locally, so its helper must
// say so visibly — and wherever MONGO_URL is set (GitHub Actions runs a mongo service), the
// MongoDB suites must really run rather than skip.

// Registered with MONGO_URL removed, capturing what the helper writes to stderr.
const saved = process.env.MONGO_URL;
const written: string[] = [];
const realWrite = process.stderr.write.bind(process.stderr);
let bodyRan = false;
delete process.env.MONGO_URL;
process.stderr.write = (chunk: string | Uint8Array) => {
  written.push(String(chunk));
  return true;
};
try {
  describeWithMongo('a MongoDB suite without MONGO_URL', () => {
    it('is never run', () => {
      bodyRan = true;
    });
  });
} finally {
  process.stderr.write = realWrite;
  if (saved !== undefined) process.env.MONGO_URL = saved;
}

describe('describeWithMongo', () => {
  it('when MONGO_URL is unset, then the suite is skipped with one visible line saying why and how to start MongoDB', () => {
    expect(bodyRan).toBe(false);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      /^\[skipped\] a MongoDB suite without MONGO_URL: MONGO_URL is not set, .*docker compose up -d mongo.*\n$/,
    );
  });
});

describeWithMongo('MongoDB at MONGO_URL', () => {
  it('when MONGO_URL is set, then the server answers', async () => {
    const result = await probeService('mongo', mongoUrl());
    expect(result).toMatchObject({ ok: true });
  });
});
