// Nested runs: a forest built from parent_run_id, flattened into the rows the table shows.
// Children stay in the order the server sorted them; a run whose parent is not loaded (e.g.
// filtered out) is a root; a parent cycle (corrupt data) is broken so every run shows once.

export interface TreeNodeRun {
  run_id: string;
  parent_run_id: string | null;
}

export interface Forest<T extends TreeNodeRun> {
  roots: T[];
  children: Map<string, T[]>;
}

export interface TreeRow<T extends TreeNodeRun> {
  run: T;
  depth: number;
  childCount: number;
  expanded: boolean;
}

export function buildForest<T extends TreeNodeRun>(runs: readonly T[]): Forest<T> {
  const loaded = new Set<string>();
  for (const run of runs) loaded.add(run.run_id);
  const roots: T[] = [];
  const children = new Map<string, T[]>();
  for (const run of runs) {
    const parent = run.parent_run_id;
    if (parent && parent !== run.run_id && loaded.has(parent)) {
      const list = children.get(parent);
      if (list) list.push(run);
      else children.set(parent, [run]);
    } else {
      roots.push(run);
    }
  }
  // Runs not reachable from a root sit on a parent cycle: promote the first of each cycle.
  const reached = new Set<string>();
  const mark = (start: T) => {
    const stack = [start];
    while (stack.length) {
      const run = stack.pop() as T;
      if (reached.has(run.run_id)) continue;
      reached.add(run.run_id);
      for (const child of children.get(run.run_id) ?? []) stack.push(child);
    }
  };
  for (const root of roots) mark(root);
  if (reached.size < runs.length) {
    for (const run of runs) {
      if (reached.has(run.run_id)) continue;
      const siblings = children.get(run.parent_run_id as string);
      if (siblings) children.set(run.parent_run_id as string, siblings.filter((r) => r !== run));
      roots.push(run);
      mark(run);
    }
  }
  return { roots, children };
}

/** The visible rows: roots in order, each followed by its children when expanded. */
export function flattenForest<T extends TreeNodeRun>(
  forest: Forest<T>, isExpanded: (runId: string) => boolean,
): TreeRow<T>[] {
  const rows: TreeRow<T>[] = [];
  const visit = (run: T, depth: number) => {
    const kids = forest.children.get(run.run_id);
    const expanded = !!kids && isExpanded(run.run_id);
    rows.push({ run, depth, childCount: kids?.length ?? 0, expanded });
    if (expanded && kids) for (const kid of kids) visit(kid, depth + 1);
  };
  for (const root of forest.roots) visit(root, 0);
  return rows;
}

/** Expand state that survives paging: a default for every parent plus per-run exceptions. */
export interface ExpandState {
  all: boolean;
  toggled: ReadonlySet<string>;
}

export const COLLAPSED: ExpandState = { all: false, toggled: new Set() };

export function isExpanded(state: ExpandState, runId: string): boolean {
  return state.all !== state.toggled.has(runId);
}

export function toggleExpanded(state: ExpandState, runId: string): ExpandState {
  const toggled = new Set(state.toggled);
  if (toggled.has(runId)) toggled.delete(runId);
  else toggled.add(runId);
  return { all: state.all, toggled };
}
