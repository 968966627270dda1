import { createEvent, type EventData, type EventType } from '@roadmap/events';
import { insertOutboxEvent, type Db } from '@roadmap/data-sql';

/**
 * Records a domain event in the outbox on the transaction's client, so it commits — or rolls
 * back — with the change it describes (the transactional outbox). The relay in
 * packages/events publishes it after COMMIT. createEvent validates the data against the
 * event's contract first: a producer bug fails the write instead of shipping a bad event.
 */
export async function recordEvent<T extends EventType>(
  client: Db,
  type: T,
  data: EventData<T>,
): Promise<void> {
  const event = createEvent({ type, data });
  await insertOutboxEvent(client, {
    aggregate: event.aggregateId,
    type: event.type,
    version: event.version,
    payload: event.data,
    eventId: event.id,
  });
}
