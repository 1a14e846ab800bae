// Verifies one signed delivery with independent Node verifiers and prints one JSON line of outcomes.
// Usage: node verify.mjs <path to node_modules>  (stdin: {"body": "...", "secret": "whsec_...", "headers": {...}})
// Each outcome is {"ok": true} or {"ok": false, "error": "..."}; the exit code is 0 unless the input is unusable.
import crypto from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const nodeModules = process.argv[2];
if (!nodeModules) {
  console.error("usage: node verify.mjs <node_modules>");
  process.exit(2);
}

// Resolve packages from the given folder, not from this script's location.
const requireFrom = createRequire(path.join(nodeModules, "resolver.cjs"));
const load = async (name) => import(pathToFileURL(requireFrom.resolve(name)).href);

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { body, secret, headers } = JSON.parse(input);

async function outcome(check) {
  try {
    const ok = await check();
    return ok === false ? { ok: false, error: "returned false" } : { ok: true };
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  }
}

// The crawl document's TypeScript verifier, as plain JS, with X-Orsa-* renamed to X-Webhook-*. Its Express handler
// verifies JSON.stringify(req.body), i.e. the body re-serialized after express.json() parsed it.
function crawlDocumentVerify(payload, signature, timestamp, key) {
  const signedContent = `${timestamp}.${payload}`;
  const expectedSignature = crypto.createHmac("sha256", key).update(signedContent).digest("hex");
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature));
}

const standardwebhooks = await load("standardwebhooks");
const svix = await load("svix");
const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

const result = {
  roundTrip: JSON.stringify(JSON.parse(body)) === body,
  standardwebhooks: await outcome(() => new standardwebhooks.Webhook(secret).verify(body, headers)),
  svix: await outcome(() => new svix.Webhook(secret).verify(body, headers)),
  crawlDocumentTypeScript: await outcome(() =>
    crawlDocumentVerify(JSON.stringify(JSON.parse(body)), lower["x-webhook-signature"], lower["x-webhook-timestamp"], secret)),
};
console.log(JSON.stringify(result));
