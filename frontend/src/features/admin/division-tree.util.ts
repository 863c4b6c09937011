import type { Division } from '../../api/api-types';

export type DivisionNode = Division & { children?: DivisionNode[] };

/**
 * Builds the province ⊃ city ⊃ county tree from the flat register. A division whose parent is not in the
 * list becomes a root, so a partial register still shows everything.
 */
export function buildDivisionTree(divisions: readonly Division[]): DivisionNode[] {
  const nodes = new Map<string, DivisionNode>(divisions.map((d) => [d.code, { ...d }]));
  const roots: DivisionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  const sort = (list: DivisionNode[]) => {
    list.sort((a, b) => a.code.localeCompare(b.code));
    list.forEach((n) => n.children && sort(n.children));
  };
  sort(roots);
  return roots;
}
