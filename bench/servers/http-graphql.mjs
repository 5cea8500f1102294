// Reference server (b): node:http and graphql-js, with a cache of parsed and validated documents and pg.
import http from 'node:http';
import { execute, parse, validate } from 'graphql';
import { createBackend } from './shared/backend.mjs';
import { loadSettings, stopOnSignals } from './shared/settings.mjs';
import { createSchema } from './shared/schema.mjs';

const MAX_BODY_BYTES = 100 * 1024;
const MAX_CACHED_DOCUMENTS = 1000;

const settings = loadSettings();
const { pool, viewers } = createBackend(settings);
const schema = createSchema();
/** Query text to its parsed document, or to the errors that parsing or validation found. */
const documents = new Map();

function documentOf(query) {
  let entry = documents.get(query);
  if (entry) return entry;
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    entry = errors.length > 0 ? { errors } : { document };
  } catch (error) {
    entry = { errors: [error] };
  }
  if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
  documents.set(query, entry);
  return entry;
}

function send(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req, res, text) {
  let request;
  try {
    request = JSON.parse(text);
  } catch {
    return send(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  }
  if (typeof request?.query !== 'string') {
    return send(res, 400, { errors: [{ message: 'Missing query', extensions: { code: 'BAD_REQUEST' } }] });
  }
  const entry = documentOf(request.query);
  if (entry.errors) return send(res, 400, { errors: entry.errors.map((error) => ({ message: error.message })) });
  const result = await execute({
    schema,
    document: entry.document,
    variableValues: request.variables,
    operationName: request.operationName,
    contextValue: viewers.context(req.headers.authorization),
  });
  send(res, 200, result);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') return send(res, 404, { errors: [{ message: 'Not found: POST /graphql' }] });
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      send(res, 413, { errors: [{ message: 'Request body too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      req.destroy();
    } else {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
      process.stderr.write(`Request failed: ${error.stack}\n`);
      if (!res.headersSent) send(res, 500, { errors: [{ message: 'Internal server error' }] });
    });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(settings.port, settings.host);
stopOnSignals(async () => {
  await new Promise((resolve) => {
    server.close(resolve);
    server.closeIdleConnections();
  });
  await pool.end();
});
