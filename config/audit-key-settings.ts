/** The audit log's keys as configured: they live outside the database (README, "The audit log's keys"). */
export interface AuditKeySettings {
  /** The id of the key new links are made with, and the key itself (base64, at least 32 bytes). */
  hmacKeyId: string;
  hmacKey: string;
  /** Earlier HMAC keys by id, still needed to verify the links they made. */
  oldHmacKeys: Record<string, string>;
  /** The Ed25519 private key that signs checkpoints (PKCS#8 DER, base64). */
  signingKey: string;
  /** Earlier signing keys' public halves (SPKI DER, base64), to verify older checkpoints. */
  oldPublicKeys: string[];
  /** Links up to this number may be unkeyed (written before keyed links existed); 0: none may. */
  legacyUntilSeq: number;
}
