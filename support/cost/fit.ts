/**
 * How much a measure grows per connection: the slope of the least-squares line through
 * (connections, value) points. A line through every step, rather than the difference between
 * two of them, so that one step that caught the server mid-change (a spare thread not started
 * yet, a page not yet touched) moves the answer a little, not all of it.
 */

export interface Point {
  x: number;
  y: number;
}

/** The slope of the least-squares line through `points`; they need at least two different x. */
export function leastSquaresSlope(points: readonly Point[]): number {
  const meanX = mean(points.map(({ x }) => x));
  const meanY = mean(points.map(({ y }) => y));
  const spread = points.reduce((sum, { x }) => sum + (x - meanX) ** 2, 0);
  if (!(spread > 0)) throw new RangeError(`a slope needs points at two different x at least, not [${points.map(({ x }) => x).join(', ')}]`);
  return points.reduce((sum, { x, y }) => sum + (x - meanX) * (y - meanY), 0) / spread;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
