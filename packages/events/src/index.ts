// @roadmap/events: Conduit's domain events (versioned contracts), the RabbitMQ bus that carries
// them (confirms, retries, dead letters, recovery) and the transactional outbox relay.
export {
  envelopeSchema,
  newEventId,
  newTraceparent,
  TRACEPARENT,
  type Envelope,
} from './contracts/envelope';
export {
  catalog,
  createEvent,
  parseEvent,
  aggregateIdFor,
  latestVersion,
  EVENT_TYPES,
  type DomainEvent,
  type EventData,
  type EventType,
  type NewEvent,
  type ParseResult,
  type Rejection,
} from './contracts/catalog';
export { eventsEnvShape, loadEventsConfig, type EventsConfig } from './bus/config';
export { connectBroker, type Broker, type BrokerOptions } from './bus/connection';
export {
  Publisher,
  PublishError,
  UnroutableError,
  messageOptions,
  type PublisherOptions,
  type PublishResult,
} from './bus/publisher';
export {
  Consumer,
  HEADERS,
  type ConsumerOptions,
  type Handler,
  type HandlerContext,
} from './bus/consumer';
export {
  assertConsumerTopology,
  assertExchange,
  deadLetterQueueName,
  retryQueueName,
  ownedQueues,
  type QueueTopology,
} from './bus/topology';
export { OutboxRelay, toEnvelope, type EventSink, type RelayOptions } from './relay/relay';
