import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { cloudApps, type CloudApp } from '../cloud/lib/apps';
import { ConduitStack } from '../cloud/lib/conduit-stack';

// Synthesised offline: no AWS account, no credentials, no network (nothing is looked up).
// Loading aws-cdk-lib and synthesising take seconds, many more on a busy machine.
jest.setTimeout(120_000);

const APPS: CloudApp[] = [
  { name: 'rest-api', port: 3000, route: '/api' },
  { name: 'graphql-api', port: 4000, route: '/graphql' },
  { name: 'notifications', port: 3100, route: '/api/notifications' },
  { name: 'relay', port: 3110 },
];

function synth(overrides: Partial<ConstructorParameters<typeof ConduitStack>[2]> = {}): Template {
  const app = new App();
  const stack = new ConduitStack(app, 'Conduit', {
    apps: APPS,
    imageRepository: 'ghcr.io/example',
    imageTag: 'abc123',
    ...overrides,
  });
  return Template.fromStack(stack);
}

/** Logical ids of the VPC's subnets of one kind, from the aws-cdk:subnet-type tag. */
function subnetIds(template: Template, type: 'Public' | 'Private' | 'Isolated'): string[] {
  return Object.keys(
    template.findResources('AWS::EC2::Subnet', {
      Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: type }]) },
    }),
  );
}

/** The parts of the CloudFormation JSON the assertions read. */
interface ServiceProperties {
  DesiredCount: number;
  LaunchType: string;
  NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: string; Subnets: unknown } };
}
interface ContainerDefinition {
  Secrets: Array<{ Name: string }>;
  ReadonlyRootFilesystem: boolean;
  User: string;
  Environment: unknown;
}

const refs = (value: unknown): string[] =>
  JSON.stringify(value)
    .match(/"Ref":"([^"]+)"/g)!
    .map((r) => r.slice(7, -1));

describe('deploy/cloud: the CDK app, synthesised offline', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  test('when synthesised, then every database is encrypted, private and in isolated subnets', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      MultiAZ: true,
    });
    template.hasResourceProperties('AWS::DocDB::DBCluster', { StorageEncrypted: true });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      MultiAZEnabled: true,
    });
    template.hasResourceProperties('AWS::AmazonMQ::Broker', {
      EngineType: 'RABBITMQ',
      PubliclyAccessible: false,
    });

    const isolated = subnetIds(template, 'Isolated');
    expect(isolated).toHaveLength(2);
    const subnetGroups = [
      ...Object.values(template.findResources('AWS::RDS::DBSubnetGroup')),
      ...Object.values(template.findResources('AWS::DocDB::DBSubnetGroup')),
      ...Object.values(template.findResources('AWS::ElastiCache::SubnetGroup')),
      ...Object.values(template.findResources('AWS::AmazonMQ::Broker')),
    ];
    expect(subnetGroups).toHaveLength(4);
    for (const group of subnetGroups) {
      expect(
        refs((group as { Properties: { SubnetIds: unknown } }).Properties.SubnetIds).sort(),
      ).toEqual(isolated.sort());
    }
  });

  test('when synthesised, then every app runs at least two tasks in private subnets without public IPs', () => {
    const services = Object.values(template.findResources('AWS::ECS::Service'));
    expect(services).toHaveLength(APPS.length);
    const privateSubnets = subnetIds(template, 'Private').sort();
    for (const service of services) {
      const props = (service as { Properties: ServiceProperties }).Properties;
      expect(props.DesiredCount).toBeGreaterThanOrEqual(2);
      expect(props.LaunchType).toBe('FARGATE');
      const network = props.NetworkConfiguration.AwsvpcConfiguration;
      expect(network.AssignPublicIp).toBe('DISABLED');
      expect(refs(network.Subnets).sort()).toEqual(privateSubnets);
    }
    template.resourcePropertiesCountIs(
      'AWS::ApplicationAutoScaling::ScalableTarget',
      { MinCapacity: 2, MaxCapacity: 20, ScalableDimension: 'ecs:service:DesiredCount' },
      APPS.length,
    );
  });

  test('when synthesised, then the relay runs two tasks with no load balancer, and every app a health check', () => {
    const services = template.findResources('AWS::ECS::Service');
    const relay = Object.entries(services).find(([id]) => id.startsWith('relayService'));
    expect(relay).toBeDefined();
    const props = (relay![1] as { Properties: ServiceProperties & { LoadBalancers?: unknown } })
      .Properties;
    expect(props.DesiredCount).toBe(2);
    expect(props.LoadBalancers).toBeUndefined();
    const behindAlb = Object.values(services).filter(
      (s) => (s as { Properties: { LoadBalancers?: unknown[] } }).Properties.LoadBalancers?.length,
    );
    expect(behindAlb).toHaveLength(APPS.filter((a) => a.route).length);
    template.resourcePropertiesCountIs(
      'AWS::ECS::TaskDefinition',
      {
        ContainerDefinitions: [
          Match.objectLike({
            HealthCheck: Match.objectLike({
              Command: ['CMD', 'node', '/usr/local/lib/healthcheck.js'],
            }),
          }),
        ],
      },
      APPS.length,
    );
  });

  test('when synthesised, then notifications fetches the JWKS from rest-api by its private DNS name', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', {
      Name: 'conduit.internal',
    });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'rest-api' });
    const notifications = Object.values(template.findResources('AWS::ECS::TaskDefinition'))
      .flatMap(
        (d) =>
          (
            d as {
              Properties: { ContainerDefinitions: Array<{ Name: string; Environment: unknown }> };
            }
          ).Properties.ContainerDefinitions,
      )
      .find((c) => c.Name === 'notifications');
    expect(notifications?.Environment).toEqual(
      expect.arrayContaining([
        { Name: 'JWKS_URL', Value: 'http://rest-api.conduit.internal:3000/.well-known/jwks.json' },
        { Name: 'NOTIFICATIONS_STORE', Value: 'mongo' },
      ]),
    );
    // The apps' security group admits itself on rest-api's port (and no wider).
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 3000,
      ToPort: 3000,
      Description: 'apps to rest-api',
    });
  });

  test('when asked for fewer than two tasks, then it still runs two', () => {
    const small = synth({ minTasks: 1 });
    small.allResourcesProperties('AWS::ECS::Service', { DesiredCount: 2 });
  });

  test('when synthesised, then every routed app has a 5xx alarm, the load balancer one, every app a task-count alarm', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: { MetricName: string } }).Properties.MetricName,
    );
    const routed = APPS.filter((a) => a.route).length;
    expect(alarms.filter((m) => m === 'HTTPCode_Target_5XX_Count')).toHaveLength(routed);
    expect(alarms.filter((m) => m === 'HTTPCode_ELB_5XX_Count')).toHaveLength(1);
    // And every app, the relay included, alarms when fewer than its minimum of tasks run.
    expect(alarms.filter((m) => m === 'RunningTaskCount')).toHaveLength(APPS.length);
  });

  test('when synthesised, then the load balancer routes like the gateway and checks /readyz', () => {
    const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
      .map(
        (r) =>
          (
            r as {
              Properties: {
                Priority: number;
                Conditions: Array<{ PathPatternConfig: { Values: string[] } }>;
              };
            }
          ).Properties,
      )
      .sort((a, b) => a.Priority - b.Priority)
      .map((p) => p.Conditions[0]!.PathPatternConfig.Values[0]);
    // Evaluated in priority order: the longer /api/notifications before /api.
    expect(rules).toEqual(['/api/notifications', '/graphql', '/api']);
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      TargetType: 'ip',
    });
  });

  test('when synthesised, then the tasks read their secrets from Secrets Manager and none is in the template', () => {
    const definitions = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(definitions).toHaveLength(APPS.length + 1); // + the migration task
    for (const definition of definitions) {
      const [container] = (
        definition as { Properties: { ContainerDefinitions: ContainerDefinition[] } }
      ).Properties.ContainerDefinitions;
      const secretNames = container!.Secrets.map((s) => s.Name).sort();
      expect(secretNames).toEqual([
        'DATABASE_URL',
        'JWT_PRIVATE_KEY',
        'JWT_PUBLIC_KEY',
        'MONGO_URL',
        'RABBITMQ_URL',
        'SESSION_SECRET',
      ]);
      expect(container!.ReadonlyRootFilesystem).toBe(true);
      expect(container!.User).toBe('1000:1000');
      expect(JSON.stringify(container!.Environment)).not.toMatch(/password|secret/i);
    }
    // Passwords appear only as CloudFormation dynamic references, never as values.
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"MasterUserPassword":"[^{]/);
    expect(text).toContain('{{resolve:secretsmanager:');
  });

  test('when synthesised, then the images are the registry ones at the given tag', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({ Image: 'ghcr.io/example/roadmap-rest-api:abc123' }),
      ],
    });
  });
});

describe('deploy/cloud: which apps are deployed', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'cloud-apps-'));
    mkdirSync(path.join(root, 'deploy'));
    writeFileSync(
      path.join(root, 'deploy', 'apps.tsv'),
      [
        '# name package entry port check needs',
        'rest-api rest-api dist/main.js 3000 conduit -',
        'graphql-api graphql-api dist/main.js 4000 health -',
        'relay events dist/main.js 3110 health rabbitmq',
        'basics basics dist/main.js 8080 health -',
      ].join('\n'),
    );
    for (const file of ['rest-api/src/main.ts', 'events/src/main.ts', 'basics/src/main.ts']) {
      mkdirSync(path.dirname(path.join(root, 'packages', file)), { recursive: true });
      writeFileSync(path.join(root, 'packages', file), '');
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('when a package of apps.tsv does not exist yet, then it is not deployed; lessons never are', () => {
    expect(cloudApps(root)).toEqual([
      { name: 'rest-api', port: 3000, route: '/api' },
      { name: 'relay', port: 3110 },
    ]);
  });

  test('when this repository is read, then the REST API is among the deployed apps', () => {
    expect(cloudApps().map((a) => a.name)).toContain('rest-api');
  });
});
