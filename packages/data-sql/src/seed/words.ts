export const FIRST_NAMES = [
  'ada', 'alan', 'grace', 'linus', 'margaret', 'dennis', 'barbara', 'ken', 'frances', 'edsger',
  'radia', 'guido', 'anita', 'john', 'sophie', 'tim', 'katherine', 'brian', 'hedy', 'donald',
] as const;

export const LAST_NAMES = [
  'lovelace', 'turing', 'hopper', 'torvalds', 'hamilton', 'ritchie', 'liskov', 'thompson',
  'allen', 'dijkstra', 'perlman', 'rossum', 'borg', 'backus', 'wilson', 'lee', 'johnson',
  'kernighan', 'lamarr', 'knuth',
] as const;

export const TAGS = [
  'javascript', 'typescript', 'node', 'postgres', 'mysql', 'redis', 'docker', 'kubernetes',
  'testing', 'security', 'performance', 'api', 'rest', 'graphql', 'grpc', 'caching', 'queues',
  'microservices', 'monolith', 'ddd', 'cqrs', 'events', 'observability', 'logging', 'tracing',
  'linux', 'networking', 'http', 'tls', 'oauth', 'jwt', 'sessions', 'indexes', 'sql', 'nosql',
  'mongodb', 'design', 'architecture', 'scaling', 'ci', 'git', 'devops', 'cloud', 'serverless',
  'rust', 'go', 'python', 'career', 'books', 'dragons',
] as const;

export const WORDS = [
  'the', 'a', 'server', 'request', 'response', 'database', 'index', 'query', 'cache', 'latency',
  'throughput', 'transaction', 'lock', 'row', 'table', 'join', 'plan', 'scan', 'commit', 'replica',
  'queue', 'message', 'event', 'retry', 'timeout', 'error', 'user', 'token', 'session', 'deploy',
  'build', 'test', 'fast', 'slow', 'simple', 'correct', 'why', 'how', 'when', 'every', 'one',
  'many', 'never', 'always', 'first', 'then', 'finally', 'with', 'without', 'under', 'load',
] as const;
