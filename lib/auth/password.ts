import bcrypt from "bcryptjs";

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * A hash of a random password at the real cost. Comparing against it when the email is
 * unknown makes a miss take as long as a wrong password, so timing does not reveal accounts.
 */
export function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(crypto.randomUUID(), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}
