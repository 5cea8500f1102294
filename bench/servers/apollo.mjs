// Reference server (c): the shared schema on a minimal Apollo Server 5 standalone server.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createBackend } from './shared/backend.mjs';
import { loadSettings, stopOnSignals } from './shared/settings.mjs';
import { createSchema } from './shared/schema.mjs';

const settings = loadSettings();
const { pool, viewers } = createBackend(settings);
const apollo = new ApolloServer({ schema: createSchema() });
await startStandaloneServer(apollo, {
  listen: { port: settings.port, host: settings.host },
  context: async ({ req }) => viewers.context(req.headers.authorization),
});
stopOnSignals(async () => {
  await apollo.stop();
  await pool.end();
});
