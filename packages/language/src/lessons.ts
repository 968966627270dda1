import { run as asyncCode } from './async/async.lesson';
import { run as errors } from './errors/errors.lesson';
import { run as eventLoop } from './event-loop/event-loop.lesson';
import { run as modules } from './modules/modules.lesson';
import { run as streams } from './streams/streams.lesson';
import { run as testing } from './testing/testing.lesson';
import { run as types } from './types/types.lesson';
import { run as workers } from './workers/workers.lesson';

/** The eight lessons, in reading order: `pnpm --filter @roadmap/language lesson <name>`. */
export const lessons = {
  'event-loop': {
    title: '1 · The event loop: phases, microtasks, and what blocks it',
    run: eventLoop,
  },
  async: {
    title: '2 · Asynchronous code: promises, combinators, limits, cancellation',
    run: asyncCode,
  },
  streams: {
    title: '3 · Streams and backpressure: 200 MB in constant memory',
    run: streams,
  },
  workers: {
    title: '4 · CPU work off the main thread: worker threads, child processes, cluster',
    run: workers,
  },
  errors: {
    title: '5 · Errors: operational vs programmer, causes, crashes and graceful shutdown',
    run: errors,
  },
  types: {
    title: '6 · TypeScript that pays for itself: unions, generics, guards, brands, schemas',
    run: types,
  },
  modules: {
    title: '7 · Modules and packages: CommonJS and ESM, exports maps, workspaces, the lockfile',
    run: modules,
  },
  testing: {
    title: "8 · Node's test runner, the debugger and the CPU profiler",
    run: testing,
  },
} as const satisfies Record<string, { title: string; run: () => void | Promise<void> }>;

export type LessonName = keyof typeof lessons;
