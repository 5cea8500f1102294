// Reference server (d): the shared schema on fastify and mercurius, with graphql-jit and mercurius's query cache.
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { createBackend } from './shared/backend.mjs';
import { loadSettings, stopOnSignals } from './shared/settings.mjs';
import { createSchema } from './shared/schema.mjs';

const settings = loadSettings();
const { pool, viewers } = createBackend(settings);
const app = Fastify({ logger: false, bodyLimit: 100 * 1024 });
await app.register(mercurius, {
  schema: createSchema(),
  // Compile a query with graphql-jit from its first use on; parsed and validated queries stay in mercurius's LRU cache.
  jit: 1,
  cache: true,
  context: (request) => viewers.context(request.headers.authorization),
});
await app.listen({ port: settings.port, host: settings.host });
stopOnSignals(async () => {
  await app.close();
  await pool.end();
});
