/** Jest globalTeardown of the integration project: stops the servers globalSetup started. */
import { stopIntegrationServers } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopIntegrationServers();
}
