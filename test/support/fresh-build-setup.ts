import { ensureFreshBuild } from './fresh-build';

/** Vitest global setup of the main suite (not of the mutation runs, whose sources are Stryker's mutated copies). */
export function setup(): void {
  ensureFreshBuild();
}
