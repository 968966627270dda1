import {
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
  aws_amazonmq as mq,
  aws_cloudwatch as cloudwatch,
  aws_docdb as docdb,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticache as elasticache,
  aws_elasticloadbalancingv2 as elbv2,
  aws_logs as logs,
  aws_rds as rds,
  aws_secretsmanager as secretsmanager,
  aws_servicediscovery as servicediscovery,
} from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import { type CloudApp } from './apps';

export interface ConduitStackProps extends StackProps {
  apps: CloudApp[];
  /** Registry and tag of the images: `${imageRepository}/roadmap-<app>:${imageTag}`. */
  imageRepository: string;
  imageTag: string;
  /** Tasks per app when idle; never below 2 (one per availability zone). */
  minTasks?: number;
  maxTasks?: number;
}

/**
 * The Conduit stack on AWS: a VPC over two availability zones; the apps on ECS Fargate in its
 * private subnets behind an application load balancer; the managed data services in isolated
 * subnets (no route to or from the internet), encrypted, reachable only from the apps; every
 * secret in Secrets Manager; CPU autoscaling; alarms on server errors and missing tasks. The
 * apps find each other by private DNS (Cloud Map, `<app>.conduit.internal`): notifications
 * fetches rest-api's public keys (JWKS) there, never through the public load balancer.
 */
export class ConduitStack extends Stack {
  constructor(scope: Construct, id: string, props: ConduitStackProps) {
    super(scope, id, props);
    const minTasks = Math.max(2, props.minTasks ?? 2);
    const maxTasks = Math.max(minTasks, props.maxTasks ?? 20);

    // ---- network: public (load balancer, NAT), private (tasks), isolated (data) -------------
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      // One NAT gateway: the tasks pull images and call out through it. One per AZ survives an
      // AZ outage and costs double; that is the first thing to change for a real launch.
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const dataSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const appsSecurityGroup = new ec2.SecurityGroup(this, 'AppsSg', {
      vpc,
      description: 'Conduit app tasks',
    });
    const dataSecurityGroup = (name: string, port: number) => {
      const group = new ec2.SecurityGroup(this, `${name}Sg`, {
        vpc,
        description: `${name}: from the app tasks only`,
        allowAllOutbound: false,
      });
      group.addIngressRule(appsSecurityGroup, ec2.Port.tcp(port), `apps to ${name}`);
      return group;
    };

    // ---- PostgreSQL (RDS), credentials generated into Secrets Manager -----------------------
    const database = new rds.DatabaseInstance(this, 'Postgres', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc,
      vpcSubnets: dataSubnets,
      securityGroups: [dataSecurityGroup('Postgres', 5432)],
      credentials: rds.Credentials.fromGeneratedSecret('conduit', {
        secretName: 'conduit/prod/postgres',
      }),
      databaseName: 'conduit',
      multiAz: true,
      storageEncrypted: true,
      publiclyAccessible: false,
      allocatedStorage: 20,
      maxAllocatedStorage: 200,
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });

    // ---- Redis (ElastiCache): a primary and a replica in the other zone ---------------------
    const redisSubnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Conduit Redis: isolated subnets',
      subnetIds: vpc.selectSubnets(dataSubnets).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Conduit cache, rate limits and sessions',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [dataSecurityGroup('Redis', 6379).securityGroupId],
    });

    // ---- RabbitMQ (Amazon MQ) --------------------------------------------------------------
    const brokerSecret = new secretsmanager.Secret(this, 'RabbitSecret', {
      secretName: 'conduit/prod/rabbitmq',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'conduit' }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 32,
      },
    });
    const broker = new mq.CfnBroker(this, 'RabbitMq', {
      brokerName: `${this.stackName}-rabbitmq`,
      engineType: 'RABBITMQ',
      engineVersion: '3.13',
      hostInstanceType: 'mq.m5.large',
      deploymentMode: 'CLUSTER_MULTI_AZ',
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      subnetIds: vpc.selectSubnets(dataSubnets).subnetIds,
      securityGroups: [dataSecurityGroup('RabbitMq', 5671).securityGroupId],
      encryptionOptions: { useAwsOwnedKey: true },
      users: [
        {
          username: 'conduit',
          // A CloudFormation dynamic reference: the template holds no password.
          password: brokerSecret.secretValueFromJson('password').unsafeUnwrap(),
        },
      ],
      logs: { general: true },
    });

    // ---- the MongoDB-compatible store (DocumentDB) for notifications ------------------------
    const documents = new docdb.DatabaseCluster(this, 'DocumentDb', {
      masterUser: { username: 'conduit', secretName: 'conduit/prod/documentdb' },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      instances: 2,
      vpc,
      vpcSubnets: dataSubnets,
      securityGroup: dataSecurityGroup('DocumentDb', 27017),
      storageEncrypted: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });

    // ---- the app secrets: connection URLs assembled from the generated credentials ----------
    const url = (name: string, value: string) =>
      new secretsmanager.Secret(this, name, {
        secretName: `conduit/prod/${name.replace(/Url$/, '').toLowerCase()}-url`,
        // Tokens and dynamic references only: CloudFormation resolves them at deploy time.
        secretStringValue: SecretValue.unsafePlainText(value),
      });
    const dbSecret = database.secret!;
    const docSecret = documents.secret!;
    const secrets: Record<string, secretsmanager.ISecret> = {
      DATABASE_URL: url(
        'DatabaseUrl',
        `postgres://conduit:${dbSecret.secretValueFromJson('password').unsafeUnwrap()}@${database.dbInstanceEndpointAddress}:5432/conduit?sslmode=require`,
      ),
      RABBITMQ_URL: url(
        'RabbitmqUrl',
        `amqps://conduit:${brokerSecret.secretValueFromJson('password').unsafeUnwrap()}@${broker.attrId}.mq.${this.region}.amazonaws.com:5671`,
      ),
      MONGO_URL: url(
        'MongoUrl',
        `mongodb://conduit:${docSecret.secretValueFromJson('password').unsafeUnwrap()}@${documents.clusterEndpoint.socketAddress}/conduit?tls=true&replicaSet=rs0&retryWrites=false`,
      ),
      SESSION_SECRET: new secretsmanager.Secret(this, 'SessionSecret', {
        secretName: 'conduit/prod/session-secret',
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
      }),
    };
    // The JWT key pair cannot be generated by Secrets Manager: it is created empty here and
    // filled once with `aws secretsmanager put-secret-value` (deploy/README.md shows how).
    const jwt = new secretsmanager.Secret(this, 'JwtKeys', {
      secretName: 'conduit/prod/jwt',
      description: 'JSON {"privateKey": PEM, "publicKey": PEM}, ES256',
    });

    // ---- the apps: ECS Fargate in the private subnets, behind the load balancer -------------
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const namespace = cluster.addDefaultCloudMapNamespace({
      name: 'conduit.internal',
      type: servicediscovery.NamespaceType.DNS_PRIVATE,
      vpc,
    });
    // App to app inside the VPC (notifications → rest-api's JWKS), on the app ports only.
    for (const app of props.apps) {
      appsSecurityGroup.addIngressRule(
        appsSecurityGroup,
        ec2.Port.tcp(app.port),
        `apps to ${app.name}`,
      );
    }
    const restApi = props.apps.find((a) => a.name === 'rest-api');
    /** Settings one app needs besides the shared ones. */
    const appEnvironment: Record<string, Record<string, string>> = {
      // The DocumentDB cluster is this service's store; tokens are checked with the public
      // keys rest-api serves, reached by its private DNS name.
      notifications: {
        NOTIFICATIONS_STORE: 'mongo',
        ...(restApi
          ? {
              JWKS_URL: `http://rest-api.${namespace.namespaceName}:${restApi.port}/.well-known/jwks.json`,
            }
          : {}),
      },
    };
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    });
    // HTTP here so the stack deploys without a domain; with one, add an ACM certificate and
    // an HTTPS listener, and make this one redirect.
    const listener = alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: '{"errors":{"body":["not found"]}}',
      }),
    });
    new cloudwatch.Alarm(this, 'Alb5xx', {
      alarmDescription: 'The load balancer itself answered 5xx (no healthy target, timeouts)',
      metric: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
        period: Duration.minutes(1),
      }),
      threshold: 5,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const environment = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      TRUST_PROXY: '1',
      REDIS_URL: `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`,
    };
    const containerSecrets = {
      ...Object.fromEntries(
        Object.entries(secrets).map(([name, secret]) => [
          name,
          ecs.Secret.fromSecretsManager(secret),
        ]),
      ),
      JWT_PRIVATE_KEY: ecs.Secret.fromSecretsManager(jwt, 'privateKey'),
      JWT_PUBLIC_KEY: ecs.Secret.fromSecretsManager(jwt, 'publicKey'),
    };
    const image = (name: string) =>
      ecs.ContainerImage.fromRegistry(`${props.imageRepository}/roadmap-${name}:${props.imageTag}`);

    const taskDefinition = (name: string, port: number) => {
      const task = new ecs.FargateTaskDefinition(this, `${name}Task`, {
        cpu: 512,
        memoryLimitMiB: 1024,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
      });
      task.addContainer(name, {
        image: image(name === 'migrate' ? 'rest-api' : name),
        environment: { ...environment, ...appEnvironment[name], PORT: String(port) },
        secrets: containerSecrets,
        logging: ecs.LogDrivers.awsLogs({
          streamPrefix: name,
          logRetention: logs.RetentionDays.ONE_MONTH,
        }),
        portMappings: name === 'migrate' ? [] : [{ containerPort: port }],
        readonlyRootFilesystem: true,
        user: '1000:1000',
        stopTimeout: Duration.seconds(20),
        ...(name === 'migrate'
          ? { command: ['node', 'node_modules/@roadmap/data-sql/dist/cli/migrate.js', 'up'] }
          : {
              // The image's own HEALTHCHECK command (GET /healthz on $PORT): ECS replaces a
              // task that fails it, which is all the relay has, as no load balancer probes it.
              healthCheck: {
                command: ['CMD', 'node', '/usr/local/lib/healthcheck.js'],
                interval: Duration.seconds(15),
                timeout: Duration.seconds(5),
                retries: 3,
                startPeriod: Duration.seconds(30),
              },
            }),
      });
      task.addVolume({ name: 'tmp' });
      task.defaultContainer!.addMountPoints({
        containerPath: '/tmp',
        sourceVolume: 'tmp',
        readOnly: false,
      });
      return task;
    };

    // The migration: a task definition run once per release before the services update
    // (`aws ecs run-task`, see deploy/README.md), like the Kubernetes Job.
    taskDefinition('migrate', 0);

    props.apps.forEach((app, index) => {
      const service = new ecs.FargateService(this, `${app.name}Service`, {
        cluster,
        taskDefinition: taskDefinition(app.name, app.port),
        desiredCount: minTasks,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        circuitBreaker: { rollback: true },
        assignPublicIp: false,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [appsSecurityGroup],
        // Every app gets a private DNS name (<app>.conduit.internal); rest-api's is the JWKS.
        cloudMapOptions: { name: app.name, dnsTtl: Duration.seconds(10) },
      });
      // Fewer tasks running than the minimum for 5 minutes: a crash loop, or a zone gone.
      // For the relay, with no load balancer in front, this is the alarm that matters.
      new cloudwatch.Alarm(this, `${app.name}Tasks`, {
        alarmDescription: `${app.name} runs fewer than ${minTasks} tasks`,
        metric: new cloudwatch.Metric({
          namespace: 'ECS/ContainerInsights',
          metricName: 'RunningTaskCount',
          dimensionsMap: { ClusterName: cluster.clusterName, ServiceName: service.serviceName },
          statistic: 'Minimum',
          period: Duration.minutes(1),
        }),
        threshold: minTasks,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 5,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      const scaling = service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
      scaling.scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: 70,
        scaleOutCooldown: Duration.minutes(1),
        scaleInCooldown: Duration.minutes(5),
      });
      if (!app.route) return;

      const targets = listener.addTargets(app.name, {
        // Longer paths first: /api/notifications must win over /api.
        priority: 100 - app.route.length - index,
        conditions: [elbv2.ListenerCondition.pathPatterns([app.route, `${app.route}/*`])],
        port: app.port,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targets: [service],
        deregistrationDelay: Duration.seconds(15),
        healthCheck: {
          path: '/readyz',
          interval: Duration.seconds(15),
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 3,
        },
      });
      new cloudwatch.Alarm(this, `${app.name}5xx`, {
        alarmDescription: `${app.name} answered 5xx`,
        metric: targets.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
          period: Duration.minutes(1),
        }),
        threshold: 5,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    });
  }
}
