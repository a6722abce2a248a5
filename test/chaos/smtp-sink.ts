/**
 * The chaos suite's SMTP sink, run as its own process (`node --import tsx test/chaos/smtp-sink.ts
 * PORT FILE`): it accepts every message on 127.0.0.1:PORT and appends one JSON line per message
 * (Message-ID, X-DSR-Kind, whether X-DSR-Resend marks it a resend, recipients, time) to FILE before it answers 250, so every message the
 * engine saw accepted is on record, and one it resends after a crash is recorded twice.
 */
import fs from 'node:fs';
import { SMTPServer } from 'smtp-server';

const [portArg, file] = process.argv.slice(2);
if (!portArg || !file) {
  console.error('usage: smtp-sink.ts PORT FILE');
  process.exit(2);
}

/** A header's value from the raw header block (folded lines joined). */
function header(raw: string, name: string): string | null {
  const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return m ? m[1].trim() : null;
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const head = text.split(/\r?\n\r?\n/, 1)[0];
      const record = {
        at: new Date().toISOString(),
        messageId: header(head, 'Message-ID'),
        kind: header(head, 'X-DSR-Kind'),
        resend: header(head, 'X-DSR-Resend') === '1',
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      // Written synchronously before the 250: an accepted message is never missing from the record.
      fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
      callback();
    });
  },
});
server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write(`smtp sink listening on ${portArg}\n`));
