import { stopDatabaseServer } from './database-server';

export default async function globalTeardown(): Promise<void> {
  await stopDatabaseServer();
}
