// A real OpenID Connect provider (the npm package oidc-provider) standing in for VNeID or the
// province's staff identity provider in the tests. Started by tests/accounts/oidc/conftest.py:
//
//   node provider.mjs <port> <config.json>
//
// config.json: {"clients": [{client_id, client_secret, redirect_uris}], "accounts": {login:
// {claims...}}}. The login page is oidc-provider's own development page (any login, any
// password); the login typed becomes the subject, and its claims come from "accounts".
// PKCE (S256) is required of every client, so a client that does not send it is refused.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(readFileSync(process.argv[3], 'utf8'));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email'],
    cccd: ['cccd', 'cccd_verified'],
  },
  // Claims granted by scope go into the ID token too (VNeID-like providers do so).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['local-test-provider-only'] },
  async findAccount(ctx, sub) {
    const claims = config.accounts[sub] || {};
    return {
      accountId: sub,
      async claims() {
        return { sub, ...claims };
      },
    };
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
