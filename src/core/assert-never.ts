/**
 * Marks the end of an exhaustive `switch` over a closed union: a new member that is not
 * handled becomes a compile-time error, and an impossible value at run time throws.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
