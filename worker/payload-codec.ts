/**
 * Encrypts every Temporal payload (AES-256-GCM), so the handlers' reasons and anything else a
 * workflow carries are unreadable in Temporal's history and visibility stores. Keys rotate through a
 * ring: the current key encrypts, and each payload names its key, so payloads written under an
 * older key stay readable for as long as that key is in the ring (a restriction lift may sleep for
 * years on a payload written today).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { singleKeyRing, type KeyRing } from '../config/key-ring';

const ENCODING = 'binary/encrypted';
const KEY_ID_FIELD = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload names a key the ring does not hold: the key was dropped from the ring too early. */
export class UnknownPayloadKeyError extends Error {
  override name = 'UnknownPayloadKeyError';
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: { id: string; key: Buffer };
  private readonly keys: Map<string, Buffer>;

  /** A ring, or (as before rings) one base64 key, which gets the legacy key id. */
  constructor(ring: KeyRing | string) {
    const r = typeof ring === 'string' ? singleKeyRing(ring) : ring;
    this.keys = new Map(r.keys.map((k) => [k.id, keyBytes(k.id, k.secret)]));
    this.current = { id: r.current.id, key: this.keys.get(r.current.id) ?? keyBytes(r.current.id, r.current.secret) };
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: new TextEncoder().encode(ENCODING),
          [KEY_ID_FIELD]: new TextEncoder().encode(this.current.id),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || new TextDecoder().decode(encoding) !== ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_FIELD];
      const keyId = keyIdBytes ? new TextDecoder().decode(keyIdBytes) : '(none)';
      const key = this.keys.get(keyId);
      if (!key) {
        throw new UnknownPayloadKeyError(`payload encrypted with key id ${keyId}, which is not in the payload key ring (ids: ${[...this.keys.keys()].join(', ')}); put the old key back into PAYLOAD_CODEC_KEYS`);
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const body = data.subarray(IV_BYTES, data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

function keyBytes(id: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`payload codec key ${id} must be 32 bytes`);
  return key;
}

/** The data converter both the client and the worker use. */
export function dataConverterFor(ring: KeyRing | string) {
  return { payloadCodecs: [new AesGcmPayloadCodec(ring)] };
}
