import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, UnknownPayloadKeyError } from '../../worker/payload-codec';
import { parseKeyRing, aes256Key } from '../../config/key-ring';

const converter = new DefaultPayloadConverter();

describe('the payload codec', () => {
  const codec = new AesGcmPayloadCodec(randomBytes(32).toString('base64'));

  it('round-trips a payload and leaves no plain text in the encoded bytes', async () => {
    const payload = converter.toPayload({ reasons: 'Asiakkaan Matti Meikäläisen pyyntö' });
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toContain('Meik');
    expect(new TextDecoder().decode(encoded.metadata!.encoding)).toBe('binary/encrypted');
    const [decoded] = await codec.decode([encoded]);
    expect(converter.fromPayload(decoded)).toEqual({ reasons: 'Asiakkaan Matti Meikäläisen pyyntö' });
  });

  it('refuses to decode with another key (authenticated encryption)', async () => {
    const [encoded] = await codec.encode([converter.toPayload('secret')]);
    const other = new AesGcmPayloadCodec(randomBytes(32).toString('base64'));
    await expect(other.decode([encoded])).rejects.toThrow();
  });

  it('passes through payloads it did not encode', async () => {
    const plain = converter.toPayload(42);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => new AesGcmPayloadCodec(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('the payload codec with a key ring', () => {
  const key1 = randomBytes(32).toString('base64');
  const key2 = randomBytes(32).toString('base64');
  const ring = (text: string) => new AesGcmPayloadCodec(parseKeyRing(text, aes256Key));

  it('encrypts with the current key and names it in the payload', async () => {
    const [encoded] = await ring(`k2:${key2},k1:${key1}`).encode([converter.toPayload('x')]);
    expect(new TextDecoder().decode(encoded.metadata!['encryption-key-id'])).toBe('k2');
  });

  it('after rotation to [k2, k1], reads what k1 wrote and what k2 writes', async () => {
    const [old] = await ring(`k1:${key1}`).encode([converter.toPayload({ reasons: 'vanha' })]);
    const rotated = ring(`k2:${key2},k1:${key1}`);
    const [fresh] = await rotated.encode([converter.toPayload({ reasons: 'uusi' })]);
    const decoded = await rotated.decode([old, fresh]);
    expect(decoded.map((p) => converter.fromPayload(p))).toEqual([{ reasons: 'vanha' }, { reasons: 'uusi' }]);
  });

  it('payloads from before rings (one key, id "default") stay readable when that key joins a ring as "default"', async () => {
    const [old] = await new AesGcmPayloadCodec(key1).encode([converter.toPayload('ennen')]);
    const [decoded] = await ring(`k2:${key2},default:${key1}`).decode([old]);
    expect(converter.fromPayload(decoded)).toBe('ennen');
  });

  it('a ring of [k2] alone cannot read k1 payloads, and says which key id is missing', async () => {
    const [old] = await ring(`k1:${key1}`).encode([converter.toPayload('secret')]);
    const attempt = ring(`k2:${key2}`).decode([old]);
    await expect(attempt).rejects.toThrow(UnknownPayloadKeyError);
    await expect(attempt).rejects.toThrow(/key id k1, which is not in the payload key ring \(ids: k2\)/);
  });

  it('a payload whose id names a ring key but was sealed with another fails authentication', async () => {
    const [forged] = await ring(`k2:${key1}`).encode([converter.toPayload('x')]);
    await expect(ring(`k2:${key2}`).decode([forged])).rejects.toThrow(/authenticate/);
  });
});
