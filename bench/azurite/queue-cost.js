// The cost of each of Azurite's queue operations as the queue service holds more messages: what made the bench's
// backlog build slow down (Webhooks.Bench/Infrastructure/QueueStoreFix.cs, docs/durable-engine.md).
//
// Start a queue service alone, then run this against it; it prints one JSON line per (messages held, queue, operation)
// with the service's CPU per operation (from /proc/PID/stat, 10 ms ticks) and the latency:
//   node ../../tools/node_modules/azurite/dist/src/queue/main.js --silent --skipApiVersionCheck --loose \
//     --disableTelemetry --queueHost 127.0.0.1 --queuePort 10101 --location /tmp/azq &
//   PORT=10101 AZPID=$! OPS=200 BATCH=1 NS=0,1000,3000,6000 OUT=/tmp/azq.json node queue-cost.js
// N invisible messages (an hour's visibility delay, like durable timers) are spread over four "control" queues; the
// operations run on a fifth queue and on one of the four. Raw HTTP with SharedKey signing: no package needed.
const http = require('http'), crypto = require('crypto'), fs = require('fs');
const ACC = 'devstoreaccount1';
const KEY = Buffer.from('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==', 'base64');
const PORT = +process.env.PORT, PID = +process.env.AZPID;
const OPS = +(process.env.OPS || 300);
const NS = (process.env.NS || '0,1000,3000,6000').split(',').map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function req(method, path, query, body, retry = 2) {
  return req0(method, path, query, body).catch(e => { if (retry > 0 && /ECONNRESET|socket hang up/.test(e.message)) return req(method, path, query, body, retry - 1); throw e; });
}
function req0(method, path, query, body) {
  return new Promise((resolve, reject) => {
    const qs = Object.entries(query || {});
    const url = `/${ACC}${path}` + (qs.length ? '?' + qs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') : '');
    const buf = body ? Buffer.from(body) : null;
    const headers = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': '2020-10-02' };
    if (buf) { headers['content-type'] = 'application/xml'; }
    headers['content-length'] = buf ? buf.length : 0;
    const canonH = Object.keys(headers).filter(h => h.startsWith('x-ms-')).sort().map(h => `${h}:${headers[h]}\n`).join('');
    let canonR = `/${ACC}/${ACC}${path}`;
    for (const [k, v] of qs.slice().sort((a, b) => a[0] < b[0] ? -1 : 1)) canonR += `\n${k.toLowerCase()}:${v}`;
    const sts = [method, '', '', buf && buf.length ? buf.length : '', '', buf ? 'application/xml' : '', '', '', '', '', '', ''].join('\n') + '\n' + canonH + canonR;
    headers['authorization'] = `SharedKey ${ACC}:` + crypto.createHmac('sha256', KEY).update(sts, 'utf8').digest('base64');
    const r = http.request({ host: '127.0.0.1', port: PORT, method, path: url, headers, agent }, res => {
      const chunks = []; res.on('data', c => chunks.push(c));
      res.on('end', () => { const t = Buffer.concat(chunks).toString(); if (res.statusCode >= 300) reject(new Error(`${method} ${url} ${res.statusCode} ${t.slice(0, 300)}`)); else resolve(t); });
    });
    r.on('error', reject); if (buf) r.write(buf); r.end();
  });
}
const msgXml = (s) => `<QueueMessage><MessageText>${Buffer.from(s).toString('base64')}</MessageText></QueueMessage>`;
const PAYLOAD = 'x'.repeat(600);
const send = (q, vis) => req('POST', `/${q}/messages`, vis ? { visibilitytimeout: vis } : {}, msgXml(PAYLOAD));
function parseMsgs(t) { const out = []; const re = /<MessageId>([^<]*)<\/MessageId>[\s\S]*?<PopReceipt>([^<]*)<\/PopReceipt>/g; let m; while ((m = re.exec(t))) out.push({ id: m[1], pr: m[2] }); return out; }
const recv = async (q, n) => parseMsgs(await req('GET', `/${q}/messages`, { numofmessages: n, visibilitytimeout: 30 }));
const del = (q, m) => req('DELETE', `/${q}/messages/${m.id}`, { popreceipt: m.pr });
function cpuMs() { const f = fs.readFileSync(`/proc/${PID}/stat`, 'utf8'); const p = f.slice(f.lastIndexOf(')') + 2).split(' '); return (+p[11] + +p[12]) * 10; }
const pct = (a, p) => { const s = a.slice().sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const rows = [];
async function phase(N, q, name, n, fn) {
  const lat = []; const c0 = cpuMs(); const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) { const s = process.hrtime.bigint(); await fn(i); lat.push(Number(process.hrtime.bigint() - s) / 1e6); }
  const wall = Number(process.hrtime.bigint() - t0) / 1e6; const cpu = cpuMs() - c0;
  const r = { N, queue: q, op: name, ops: n, cpuMsPerOp: +(cpu / n).toFixed(2), p50: +pct(lat, .5).toFixed(2), p90: +pct(lat, .9).toFixed(2), wallMsPerOp: +(wall / n).toFixed(2) };
  rows.push(r); console.log(JSON.stringify(r));
}
(async () => {
  const CTRL = [0, 1, 2, 3].map(i => `hub-control-0${i}`);
  for (const q of [...CTRL, 'hub-workitems']) await req('PUT', `/${q}`, {}, null).catch(e => { if (!/409/.test(e.message)) throw e; });
  let have = 0;
  for (const N of NS) {
    const tf = Date.now(); const cf = cpuMs();
    for (; have < N; have++) await send(CTRL[have % 4], 3600);
    if (N > 0) console.log(`# filled to ${N} in ${Date.now() - tf} ms, azurite cpu ${cpuMs() - cf} ms`);
    for (const q of ['hub-workitems', 'hub-control-00']) {
      const got = [];
      await phase(N, q, 'send', OPS, () => send(q, 0));
      await phase(N, q, 'recv1-visible', OPS, async () => { const m = await recv(q, 1); got.push(...m); });
      await phase(N, q, 'delete', got.length, i => del(q, got[i]));
      await phase(N, q, 'recv1-empty', OPS, () => recv(q, 1));
      await phase(N, q, 'recv32-empty', Math.round(OPS / 2), () => recv(q, 32));
      if (process.env.BATCH) {
        for (let i = 0; i < 320; i++) await send(q, 0);
        const g2 = [];
        await phase(N, q, 'recv32-visible(per call)', 10, async () => { g2.push(...await recv(q, 32)); });
        await phase(N, q, 'delete(after32)', g2.length, i => del(q, g2[i]));
      }
    }
  }
  fs.writeFileSync(process.env.OUT || 'queue-cost.json', JSON.stringify(rows, null, 1));
  agent.destroy();
})().catch(e => { console.error(e); process.exit(1); });
