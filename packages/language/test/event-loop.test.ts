import { measureLoop } from '../src/event-loop/blocking';
import { observeOrder } from '../src/event-loop/phase-order';

describe('lesson 1: the event loop', () => {
  it('when one callback of each kind is scheduled from an I/O callback, then they run in phase order', async () => {
    expect(await observeOrder()).toEqual([
      'I/O callback',
      'synchronous code',
      'process.nextTick',
      'promise.then',
      'queueMicrotask',
      'nextTick queued by a microtask',
      'setImmediate',
      'setTimeout 0',
    ]);
  });

  it('when 200 ms of work runs in one piece, then no timer runs meanwhile and the loop waits at least that long', async () => {
    const report = await measureLoop('blocking', 200);
    expect(report.ticksDuringWork).toBe(0);
    // A lower bound: a busier machine only makes the wait longer.
    expect(report.maxDelayMs).toBeGreaterThanOrEqual(180);
  });

  it('when the same work is chunked, then the timer runs between the chunks', async () => {
    const report = await measureLoop('chunked', 200, 5);
    // Each 5 ms chunk ends with a yield, after which the overdue 1 ms timer runs (about once
    // per chunk; half is the bound, so a loaded machine cannot make this fail).
    expect(report.ticksDuringWork).toBeGreaterThanOrEqual(200 / 5 / 2);
  });
});
