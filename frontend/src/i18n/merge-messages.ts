/**
 * Deep-merges message trees. A key defined twice with different leaf values is a mistake (two features
 * claiming one string), so it throws instead of letting the later file win silently.
 */
export function mergeMessages(...trees: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const tree of trees) mergeInto(out, tree, '');
  return out;
}

function isTree(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(source)) {
    const at = path ? `${path}.${key}` : key;
    const existing = target[key];
    if (isTree(value)) {
      if (existing !== undefined && !isTree(existing)) throw new Error(`message ${at} is both a string and a section`);
      const section = (existing as Record<string, unknown> | undefined) ?? {};
      target[key] = section;
      mergeInto(section, value, at);
    } else if (existing !== undefined && existing !== value) {
      throw new Error(`message ${at} is defined twice with different text`);
    } else {
      target[key] = value;
    }
  }
}
