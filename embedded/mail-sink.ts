/**
 * The embedded mode's mailbox: an SMTP server on loopback that keeps every message as an .eml file,
 * so a demo shows exactly what residents and staff would receive.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  url: string;
  dir: string;
  close(): Promise<void>;
}

export async function startMailSink(dir: string): Promise<MailSink> {
  mkdirSync(dir, { recursive: true });
  let counter = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        counter += 1;
        writeFileSync(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${counter}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `smtp://127.0.0.1:${port}`, dir, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
