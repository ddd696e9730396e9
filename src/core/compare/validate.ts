/**
 * A few composable runtime checks for messages crossing the webview boundary. Types are only
 * compile-time; what arrives over postMessage is checked against the same shape before use.
 */
export class MessageError extends Error {}

export type Check<T> = (value: unknown, path: string) => T;

export const str: Check<string> = (v, path) => {
  if (typeof v !== 'string') throw new MessageError(`${path} should be a string`);
  return v;
};

export const num: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MessageError(`${path} should be a number`);
  return v;
};

/** A non-negative whole number (line numbers, indexes, counts). */
export const index: Check<number> = (v, path) => {
  const n = num(v, path);
  if (!Number.isInteger(n) || n < 0) throw new MessageError(`${path} should be a whole number ≥ 0`);
  return n;
};

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new MessageError(`${path} should be true or false`);
  return v;
};

export function literal<T extends string>(...values: T[]): Check<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as string[]).includes(v)) throw new MessageError(`${path} should be one of ${values.join(', ')}`);
    return v as T;
  };
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, path) => (v === undefined ? undefined : check(v, path));
}

export function list<T>(check: Check<T>, max = 100_000): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new MessageError(`${path} should be a list`);
    if (v.length > max) throw new MessageError(`${path} has more than ${max} items`);
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };
}

export function tuple<A, B>(a: Check<A>, b: Check<B>): Check<[A, B]> {
  return (v, path) => {
    if (!Array.isArray(v) || v.length !== 2) throw new MessageError(`${path} should be a pair`);
    return [a(v[0], `${path}[0]`), b(v[1], `${path}[1]`)];
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** An object with exactly these keys checked (unknown extra keys are dropped). */
export function object<T>(shape: Shape<T>): Check<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MessageError(`${path} should be an object`);
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      const value = (shape[key] as Check<unknown>)(src[key], `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
}

/** A union told apart by its `type` field. */
export function tagged<T extends { type: string }>(variants: { [K in T['type']]: Check<Extract<T, { type: K }>> }): Check<T> {
  return (v, path) => {
    const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(variants, type)) {
      throw new MessageError(`${path}.type should be one of ${Object.keys(variants).join(', ')}`);
    }
    return (variants as Record<string, Check<T>>)[type](v, path);
  };
}
