// A real OAuth2/OpenID Connect authorization server for the OAuth tests: oidc-provider, which
// is ESM-only, so it runs in its own `node` process (jest runs our tests as CommonJS).
// It prints one JSON line {"issuer": "..."} once it listens. Login and consent are answered
// automatically: GET /interaction/<uid>?account=<id> signs in as <id> and grants the scopes.
import http from 'node:http';
import Provider from 'oidc-provider';

const { REDIRECT_URI, CLIENT_ID, CLIENT_SECRET } = process.env;
if (!REDIRECT_URI || !CLIENT_ID || !CLIENT_SECRET)
  throw new Error('REDIRECT_URI, CLIENT_ID and CLIENT_SECRET are required');

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // passport-oauth2 sends the client credentials in the form body.
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  // Every client must use PKCE, confidential ones included (OAuth 2.1 / the Security BCP).
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: id,
      email: `${id}@idp.example`,
      email_verified: true,
      preferred_username: id,
    }),
  }),
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['test-only-cookie-key'] },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name === 'login') {
    const accountId = typeof ctx.query.account === 'string' ? ctx.query.account : 'alice';
    ctx.redirect(
      await provider.interactionResult(
        ctx.req,
        ctx.res,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      ),
    );
    return undefined;
  }
  const grant = new provider.Grant({
    accountId: details.session.accountId,
    clientId: details.params.client_id,
  });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  ctx.redirect(
    await provider.interactionResult(
      ctx.req,
      ctx.res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    ),
  );
  return undefined;
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
