// The demo OpenID Connect provider (oidc-provider) for the team server's tests and the trial:
// a real authorization server with test users (users.json: their names and KYB Desk roles in the
// `kyb_roles` claim). Never for production: its sign-in and consent pages are oidc-provider's
// development interactions, which take any password for a known user.
//
//   node provider.mjs [port]        prints "oidc-provider listening on <issuer>" when ready
//
// Clients: `kyb-desk` (public, native: authorization code with PKCE on a loopback redirect,
// RFC 8252, and the device authorization grant for the CLI). Access tokens for the resource
// `urn:kyb-desk:server` are signed JWTs, so the team server verifies them against the JWKS.
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8441);
const issuer = `http://127.0.0.1:${port}`;
const users = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));
export const RESOURCE = 'urn:kyb-desk:server';

// A fresh signing key per start: tokens of an earlier run stop verifying.
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `demo-${Date.now()}`, use: 'sig', alg: 'ES256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'kyb-desk',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'offline_access', 'kyb'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'], kyb: ['kyb_roles'] },
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== RESOURCE) throw new Error(`unknown resource ${resource}`);
        return { scope: 'kyb', audience: RESOURCE, accessTokenTTL: 15 * 60, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  // Refresh tokens for the desktop (kept in its OS keychain), also without offline_access.
  issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token'),
  // Roles travel in the access token too, so the server needs no userinfo call per request.
  extraTokenClaims: async (_ctx, token) => {
    const user = users[token.accountId];
    return user ? { kyb_roles: user.kyb_roles, name: user.name } : {};
  },
  async findAccount(_ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, name: user.name, email: user.email, kyb_roles: user.kyb_roles }) };
  },
  ttl: { DeviceCode: 600, Session: 3600, Grant: 3600, RefreshToken: 8 * 3600 },
});
provider.proxy = false;

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
