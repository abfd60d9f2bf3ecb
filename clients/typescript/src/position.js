// Positions of chatd's log as the API writes them: "42" (embedded store) or "42.40" (KurrentDB:
// commit.prepare). Compared as numbers, commit first.

/** @param {string} p */
function parts(p) {
  const [commit, prepare = commit] = String(p).split(".");
  return [BigInt(commit), BigInt(prepare)];
}

/** -1, 0 or 1 as `a` is before, at or after `b`. */
export function comparePositions(a, b) {
  const [ac, ap] = parts(a);
  const [bc, bp] = parts(b);
  if (ac !== bc) return ac < bc ? -1 : 1;
  if (ap !== bp) return ap < bp ? -1 : 1;
  return 0;
}

/** The later of two positions (either may be null). */
export function laterPosition(a, b) {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}
