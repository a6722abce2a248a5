import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../worker/payload-codec';

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
