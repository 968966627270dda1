// Runs one way of reading the file in a process of its own, so that its peak RSS (the most
// memory the process ever held, from the OS) belongs to that way alone. Prints one JSON line.
import { summarizeStreaming, summarizeWhole } from './ndjson-parse';

async function main([mode, file]: string[]) {
  if (!file || (mode !== 'streaming' && mode !== 'whole')) {
    throw new Error('usage: peak-rss.child <streaming|whole> <file>');
  }
  // What the program itself holds (JS heap + Buffers), sampled while it runs. RSS is what the
  // OS counts, and a busy machine can leave freed memory in it for a while; this cannot.
  let peakHeldBytes = 0;
  const sample = () => {
    const { heapUsed, external } = process.memoryUsage();
    peakHeldBytes = Math.max(peakHeldBytes, heapUsed + external);
  };
  const sampler = setInterval(sample, 5);
  const summary = await (mode === 'streaming' ? summarizeStreaming(file) : summarizeWhole(file));
  sample();
  clearInterval(sampler);
  // resourceUsage().maxRSS is in kilobytes.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ ...summary, peakRssBytes, peakHeldBytes }));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
