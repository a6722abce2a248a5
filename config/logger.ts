/** The structured logger. Ids, kinds and counts only: personal data is never logged, and these paths are redacted should one slip in. */
import pino, { type Logger } from 'pino';

export function createLogger(level: string, name = 'dsr'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['subject', '*.subject', 'hetu', '*.hetu', 'email', '*.email', 'body', 'req.body', 'accessCode', '*.accessCode', 'token'],
      censor: '[redacted]',
    },
  });
}
