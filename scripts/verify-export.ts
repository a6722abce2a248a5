/**
 * `npm run verify-export FILE [--public-key KEY]`: checks an auditor's export of a request's history
 * (the .json file, or the .pdf that embeds it) without the database: the engine's Ed25519
 * signature over the whole file, the signed checkpoint in it, and that every event, document and
 * decision in it still gives the digest its audit link holds. KEY is the operator's public key
 * (base64 SPKI, PEM, or a file holding either or a checkpoint file); or set AUDIT_PUBLIC_KEY. The
 * key inside the file is not trusted: anyone could re-sign a changed file with a key of their own.
 * Prints "valid" or "invalid: <reason>"; exits 0 when valid, 1 when invalid, 2 on bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { parsePublicKey } from '../db/repositories/audit-keys';
import { verifyAuditExport } from '../services/audit-export';

function usage(message: string): number {
  process.stderr.write(`verify-export: ${message}\nusage: npm run verify-export FILE [--public-key KEY]   (or AUDIT_PUBLIC_KEY=KEY)\n`);
  return 2;
}

/** The key as given, or read from a file (a checkpoint file carries it as publicKey). */
function readKeyText(value: string): string {
  if (!existsSync(value)) return value;
  const text = readFileSync(value, 'utf8');
  try {
    const parsed = JSON.parse(text) as { publicKey?: string };
    if (typeof parsed.publicKey === 'string') return parsed.publicKey;
  } catch {
    // not JSON: the key itself
  }
  return text;
}

/** The export embedded in a history PDF (a FlateDecode embedded-file stream), or null. */
export function embeddedExport(pdf: Buffer): string | null {
  const marker = pdf.indexOf('/Type /EmbeddedFile');
  if (marker < 0) return null;
  const start = pdf.indexOf('stream', marker);
  if (start < 0) return null;
  const dataStart = pdf[start + 6] === 0x0d ? start + 8 : start + 7;
  const end = pdf.indexOf('endstream', dataStart);
  const dictionary = pdf.subarray(pdf.lastIndexOf('<<', marker), start).toString('latin1');
  const raw = pdf.subarray(dataStart, end).subarray(0, Number(/\/Length (\d+)/.exec(dictionary)?.[1] ?? end - dataStart));
  return (dictionary.includes('/FlateDecode') ? inflateSync(raw) : raw).toString('utf8');
}

function main(argv: string[]): number {
  const args = [...argv];
  let keyText = process.env.AUDIT_PUBLIC_KEY;
  const at = args.indexOf('--public-key');
  if (at >= 0) {
    keyText = args[at + 1];
    args.splice(at, 2);
  }
  const [file, ...rest] = args;
  if (!file || rest.length > 0) return usage('give one export file');
  if (!keyText) return usage('the public key is needed: --public-key KEY or AUDIT_PUBLIC_KEY');
  if (!existsSync(file)) return usage(`${file} does not exist`);
  let key;
  try {
    key = parsePublicKey(readKeyText(keyText));
  } catch {
    return usage('the public key cannot be read (base64 SPKI or PEM)');
  }
  const bytes = readFileSync(file);
  const text = bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? embeddedExport(bytes) : bytes.toString('utf8');
  if (text === null) {
    process.stdout.write('invalid: the PDF carries no signed export\n');
    return 1;
  }
  const verdict = verifyAuditExport(text, key);
  if (verdict.valid) {
    process.stdout.write(`valid: request ${verdict.request}, ${verdict.links} links, signed checkpoint at link ${verdict.checkpoint}\n`);
    return 0;
  }
  process.stdout.write(`invalid: ${verdict.reason}\n`);
  return 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
