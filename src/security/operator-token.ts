import { SignJWT, jwtVerify, importSPKI, type JWTPayload, type CryptoKey as JoseKey } from 'jose';
import type { Config } from '../config.js';

export const OPERATOR_AUDIENCE = 'switchyard:operator';
export const OPERATOR_ISSUER = 'switchyard';

export interface OperatorTokenVerifier {
  verify(token: string): Promise<JWTPayload>;
}

/** Operator JWTs: HS256 with OPERATOR_JWT_SECRET, or EdDSA when OPERATOR_JWT_PUBLIC_KEY (SPKI PEM) is set. */
export function createOperatorTokenVerifier(config: Pick<Config, 'operatorJwtSecret' | 'operatorJwtPublicKey'>): OperatorTokenVerifier {
  const hmacKey = new TextEncoder().encode(config.operatorJwtSecret);
  let edKey: Promise<JoseKey> | undefined;
  if (config.operatorJwtPublicKey) edKey = importSPKI(config.operatorJwtPublicKey, 'EdDSA');
  return {
    async verify(token) {
      const options = { audience: OPERATOR_AUDIENCE, issuer: OPERATOR_ISSUER, requiredClaims: ['exp', 'sub'] };
      const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8') || '{}') as { alg?: string };
      if (header.alg === 'EdDSA' && edKey) {
        return (await jwtVerify(token, await edKey, { ...options, algorithms: ['EdDSA'] })).payload;
      }
      return (await jwtVerify(token, hmacKey, { ...options, algorithms: ['HS256'] })).payload;
    },
  };
}

export async function signOperatorToken(secret: string, subject: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(OPERATOR_ISSUER)
    .setAudience(OPERATOR_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}
