/** GET paths (templates) that take `min_position`. */
export const MIN_POSITION_PATHS: Set<string>;
