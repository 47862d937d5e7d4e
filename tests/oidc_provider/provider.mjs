// A real OpenID provider on loopback for the single sign-on tests: the certified
// `oidc-provider` package with one confidential client and the accounts of a JSON file.
//
// Environment: REDIRECT_URIS (space-separated), CLIENT_ID, CLIENT_SECRET, ACCOUNTS_FILE.
// The file maps a login name to {password, claims}; it is read at every sign-in, so a test
// can change a person's groups between two sign-ins. The provider listens on a free port of
// 127.0.0.1 and prints its issuer as the first line of its output.
//
// Its own sign-in page is a plain form (username, password) that checks the password; consent
// is implied for this first-party client, as a university's provider does for its own portal.

import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";

import Provider from "oidc-provider";

const { REDIRECT_URIS, CLIENT_ID, CLIENT_SECRET, ACCOUNTS_FILE } = process.env;

function accounts() {
  return JSON.parse(readFileSync(ACCOUNTS_FILE, "utf8"));
}

// The provider's subject ("sub") is the account id; a person signs in with their login name.
function subjectOf(login, account) {
  return account.sub ?? login;
}

function accountOf(id) {
  const entry = Object.entries(accounts()).find(([login, account]) => subjectOf(login, account) === id);
  if (!entry) return undefined;
  return { accountId: id, claims: async () => ({ ...entry[1].claims, sub: id }) };
}

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };

function configuration() {
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: REDIRECT_URIS.split(" "),
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["test-only-cookie-key"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "preferred_username", "locale"],
      groups: ["groups"],
    },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    findAccount: async (ctx, id) => accountOf(id),
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(" "));
      await grant.save();
      return grant;
    },
  };
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(res, uid, error = "") {
  res.writeHead(error ? 401 : 200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test university sign-in</title></head>
<body><main><h1>Test university sign-in</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">University username</label> <input id="login" name="login" autocomplete="username">
<label for="password">University password</label> <input id="password" name="password" type="password">
<button type="submit">Continue</button>
</form></main></body></html>`);
}

async function formBody(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== "login") {
    // Consent comes from loadExistingGrant; any other prompt is a bug in this script.
    res.writeHead(500).end(`unexpected prompt ${details.prompt.name}`);
  } else if (req.method === "GET") {
    loginPage(res, details.uid);
  } else {
    const form = await formBody(req);
    const account = accounts()[form.get("login")];
    if (!account || account.password !== form.get("password")) {
      loginPage(res, details.uid, "Wrong username or password.");
      return;
    }
    const result = { login: { accountId: subjectOf(form.get("login"), account) } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
}

let provider;
const server = http.createServer((req, res) => {
  if (req.url.startsWith("/interaction/")) {
    interaction(provider, req, res).catch((error) => {
      res.writeHead(400).end(String(error));
    });
  } else {
    provider.callback()(req, res);
  }
});

server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, configuration());
  provider.on("server_error", (ctx, error) => console.error(error));
  console.log(issuer);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
