import { probeServices, unreachableMessage, type ServiceName } from '../services';

/** In beforeAll: a missing service fails the file with one line saying how to start it. */
export async function requireServices(names: ServiceName[]): Promise<void> {
  const results = await probeServices(names);
  const down = results.filter((r) => !r.ok);
  if (down.length > 0) throw new Error(down.map(unreachableMessage).join('\n'));
}
