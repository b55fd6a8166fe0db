// Local OpenID Connect authorization server for RawMail's integration tests (oidc-provider 9.13.3).
//
// It reads the users and clients from $RAWMAIL_STATE/servers.json, written by scripts/servers, and
// listens on 127.0.0.1 only. All state is in memory, so a restart loses every code and token.
//
// Environment:
//   RAWMAIL_STATE               state directory holding servers.json, the keys and the CA (required)
//   RAWMAIL_ACCESS_TOKEN_FORMAT "opaque" (default, introspectable and revocable) or "jwt" (RS256)

import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

import Provider, { errors } from 'oidc-provider';

const stateDir = process.env.RAWMAIL_STATE;
if (!stateDir) {
  console.error('authz: RAWMAIL_STATE is not set; run scripts/servers start');
  process.exit(2);
}

const settings = JSON.parse(readFileSync(path.join(stateDir, 'servers.json'), 'utf8'));
const authz = settings.authorization;
const tokenFormat = process.env.RAWMAIL_ACCESS_TOKEN_FORMAT || authz.accessTokenFormat || 'opaque';
if (tokenFormat !== 'opaque' && tokenFormat !== 'jwt') {
  console.error(`authz: invalid RAWMAIL_ACCESS_TOKEN_FORMAT "${tokenFormat}"; use "opaque" or "jwt"`);
  process.exit(2);
}

// Accounts are keyed by mailbox address, so the subject and the `email` claim are the same string.
const passwords = new Map(settings.users.map((user) => [user.email, user.password]));

function base64url(buffer) {
  return Buffer.from(buffer).toString('base64url');
}

// The JWK of a certificate's public key, with kid equal to its x5t#S256 thumbprint (RFC 7517 4.9),
// so a client assertion can name its key either way.
function certificateJwk(certificatePath) {
  const certificate = new crypto.X509Certificate(readFileSync(certificatePath));
  const thumbprint = base64url(crypto.createHash('sha256').update(certificate.raw).digest());
  return {
    ...certificate.publicKey.export({ format: 'jwk' }),
    kid: thumbprint,
    'x5t#S256': thumbprint,
    x5c: [certificate.raw.toString('base64')],
    alg: 'RS256',
    use: 'sig',
  };
}

function signingJwk() {
  const key = crypto.createPrivateKey(readFileSync(authz.signingKey));
  return { ...key.export({ format: 'jwk' }), kid: authz.signingKeyId, alg: 'RS256', use: 'sig' };
}

const loopbackRedirectUris = [
  'http://127.0.0.1/', 'http://127.0.0.1/callback',
  'http://localhost/', 'http://localhost/callback',
  'http://[::1]/', 'http://[::1]/callback',
];

// Builds oidc-provider client metadata from one servers.json client entry.
function clientMetadata(entry) {
  const metadata = {
    client_id: entry.clientId,
    client_name: entry.name,
    grant_types: entry.grantTypes,
    response_types: entry.grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: entry.authMethod,
  };
  if (entry.grantTypes.includes('authorization_code')) {
    // Native application type lets http loopback redirect URIs match on any port (RFC 8252 7.3).
    metadata.application_type = 'native';
    metadata.redirect_uris = loopbackRedirectUris;
  } else {
    metadata.redirect_uris = [];
  }
  if (entry.clientSecret) {
    metadata.client_secret = entry.clientSecret;
  }
  if (entry.authMethod === 'private_key_jwt') {
    metadata.jwks = { keys: [certificateJwk(entry.certificate)] };
  }
  return metadata;
}

const clientEntries = Object.values(settings.clients);
const clientsById = new Map(clientEntries.map((entry) => [entry.clientId, entry]));

function accessTokenTtl(client) {
  return clientsById.get(client?.clientId)?.accessTokenLifetime ?? 3600;
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:24em;margin:3em auto}input,button{display:block;margin:.5em 0;width:100%}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function loginPage(uid, clientName, login, message) {
  const error = message ? `<p id="error">${escapeHtml(message)}</p>` : '';
  return page('Sign in to RawMail test server', `<p>Client: ${escapeHtml(clientName)}</p>${error}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>Email <input type="text" name="login" value="${escapeHtml(login)}" autofocus></label>
<label>Password <input type="password" name="password"></label>
<button type="submit" id="sign-in">Sign in</button>
</form>
<p><a href="/interaction/${escapeHtml(uid)}/abort" id="abort">Cancel</a></p>`);
}

const configuration = {
  clients: clientEntries.map(clientMetadata),
  jwks: { keys: [signingJwk()] },
  cookies: { keys: [base64url(crypto.randomBytes(32))] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  async findAccount(_ctx, id) {
    if (!passwords.has(id)) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true };
      },
    };
  },
  // Dovecot matches the `email` member of the introspection response (or JWT) with the SASL user.
  // Client credentials tokens have no end-user, so they act for the client's fixed mailbox.
  async extraTokenClaims(_ctx, token) {
    if (token.kind === 'ClientCredentials') {
      return { email: clientsById.get(token.clientId)?.mailbox };
    }
    if (token.accountId) {
      return { email: token.accountId };
    }
    return undefined;
  },
  // Every client allowed the refresh_token grant gets a refresh token, with or without offline_access.
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  interactions: {
    url(_ctx, interaction) {
      return `/interaction/${interaction.uid}`;
    },
  },
  ttl: {
    AccessToken: (_ctx, _token, client) => accessTokenTtl(client),
    ClientCredentials: (_ctx, _token, client) => accessTokenTtl(client),
  },
  formats: {
    customizers: {
      // Dovecot 2.3's local JWT validation accepts only the JOSE header typ "JWT", not "at+jwt".
      async jwt(_ctx, _token, structuredToken) {
        structuredToken.header = { typ: 'JWT' };
      },
    },
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    deviceFlow: {
      enabled: true,
      userCodeInputSource,
      userCodeConfirmSource,
      successSource,
    },
    resourceIndicators: {
      enabled: true,
      // One resource server with one scope; requests that name no resource get it, so
      // `scope=openid offline_access mail` is enough (RFC 8707 section 2).
      defaultResource: () => authz.resource,
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, resourceIndicator, client) {
        if (resourceIndicator !== authz.resource) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: authz.scope,
          audience: authz.resource,
          accessTokenTTL: accessTokenTtl(client),
          accessTokenFormat: tokenFormat,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
};

async function userCodeInputSource(ctx, form, _out, err) {
  const message = err ? '<p id="error">The code is invalid or expired. Try again.</p>' : '';
  ctx.body = page('Connect a device', `${message}${form}
<label>Code shown on the device <input type="text" name="user_code" form="op.deviceInputForm" autofocus></label>
<button type="submit" form="op.deviceInputForm" id="continue">Continue</button>`);
}

async function userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
  const name = client.clientName || client.clientId;
  ctx.body = page('Confirm the device', `<p>${escapeHtml(name)} asks for access to your mailbox.</p>
<p>Code: <code id="user-code">${escapeHtml(userCode)}</code></p>${form}
<button type="submit" form="op.deviceConfirmForm" id="allow">Allow</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" id="abort">Deny</button>`);
}

async function successSource(ctx) {
  ctx.body = page('Device connected', '<p>You can close this page and return to your device.</p>');
}

const provider = new Provider(authz.issuer, configuration);

for (const event of ['server_error', 'grant.error', 'authorization.error', 'introspection.error',
  'revocation.error', 'backchannel.error', 'device_authorization.error']) {
  provider.on(event, (_ctx, error) => {
    console.error(`authz: ${event}: ${error.name}: ${error.message}${error.error_detail ? ` (${error.error_detail})` : ''}`);
  });
}

async function readForm(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > 16384) {
      throw new Error('form body is larger than 16 KiB');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(response, status, html) {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(html);
}

// The first-party sign-in: one login form, consent granted at once for what the client requested.
async function handleInteraction(request, response, action) {
  const details = await provider.interactionDetails(request, response);
  const { uid, prompt, params } = details;
  const client = await provider.Client.find(params.client_id);
  const clientName = client?.clientName || params.client_id;

  if (action === 'abort') {
    await provider.interactionFinished(request, response, {
      error: 'access_denied',
      error_description: 'The user cancelled the sign-in.',
    }, { mergeWithLastSubmission: false });
    return;
  }

  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) {
      grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    }
    if (prompt.details.missingOIDCClaims) {
      grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    }
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }

  if (action === 'login' && request.method === 'POST') {
    const form = await readForm(request);
    const login = form.get('login') ?? '';
    const password = form.get('password') ?? '';
    if (!passwords.has(login) || passwords.get(login) !== password) {
      console.log(`authz: sign-in failed for "${login}"`);
      sendHtml(response, 401, loginPage(uid, clientName, login, 'Invalid email or password.'));
      return;
    }
    console.log(`authz: signed in ${login} for client ${params.client_id}`);
    await provider.interactionFinished(request, response, { login: { accountId: login } },
      { mergeWithLastSubmission: false });
    return;
  }

  sendHtml(response, 200, loginPage(uid, clientName, params.login_hint ?? '', ''));
}

const providerCallback = provider.callback();

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, authz.issuer);
  response.on('finish', () => {
    console.log(`authz: ${request.method} ${url.pathname} ${response.statusCode}`);
  });
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(url.pathname);
  if (!match) {
    providerCallback(request, response);
    return;
  }
  try {
    await handleInteraction(request, response, match[2]);
  } catch (error) {
    console.error(`authz: interaction failed: ${error.name}: ${error.message}`);
    if (!response.headersSent) {
      sendHtml(response, 400, page('Sign-in failed', `<p>${escapeHtml(error.message)}</p>`));
    }
  }
});

const port = Number(new URL(authz.issuer).port);
server.listen(port, '127.0.0.1', () => {
  console.log(`authz: listening on ${authz.issuer} with ${tokenFormat} access tokens`);
});

function shutdown(signal) {
  console.log(`authz: ${signal} received, stopping`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
