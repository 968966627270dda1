// The CDK app: `pnpm exec tsx deploy/cloud/bin/app.ts` writes the CloudFormation template to
// deploy/cloud/cdk.out without any AWS account (nothing is looked up). Deploying it is
// `pnpm dlx aws-cdk deploy --app cdk.out` with credentials (deploy/README.md).
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { cloudApps } from '../lib/apps';
import { ConduitStack } from '../lib/conduit-stack';

const app = new App({ outdir: path.join(__dirname, '..', 'cdk.out') });
new ConduitStack(app, 'Conduit', {
  apps: cloudApps(),
  imageRepository: process.env.IMAGE_REPOSITORY ?? 'ghcr.io/your-org',
  imageTag: process.env.IMAGE_TAG ?? 'main',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
const assembly = app.synth();
console.log(
  `synthesised ${assembly.stacks.map((s) => s.templateFile).join(', ')} in ${assembly.directory}`,
);
