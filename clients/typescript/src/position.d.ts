/** -1, 0 or 1 as position `a` is before, at or after `b` ("42" or "42.40"). */
export function comparePositions(a: string, b: string): -1 | 0 | 1;
/** The later of two positions. */
export function laterPosition(a: string | null | undefined, b: string | null | undefined): string | null;
