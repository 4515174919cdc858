// Builds the unit tree from the flat list the API returns (parent_id links).
import type { Unit } from '@/api'

export interface UnitNode extends Unit {
  children: UnitNode[]
}

export function buildUnitTree(units: Unit[]): UnitNode[] {
  const byId = new Map<number, UnitNode>()
  for (const u of units) byId.set(u.id, { ...u, children: [] })
  const roots: UnitNode[] = []
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : undefined
    // A unit whose parent is not in the list (out of scope, closed and
    // hidden) is shown at the top rather than dropped.
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const sortNodes = (list: UnitNode[]) => {
    list.sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
    list.forEach((n) => sortNodes(n.children))
  }
  sortNodes(roots)
  return roots
}

/** The ids of a unit and everything below it. */
export function subtreeIds(units: Unit[], rootId: number): Set<number> {
  const children = new Map<number, number[]>()
  for (const u of units) {
    if (u.parent_id == null) continue
    const list = children.get(u.parent_id) ?? []
    list.push(u.id)
    children.set(u.parent_id, list)
  }
  const out = new Set<number>()
  const stack = [rootId]
  while (stack.length) {
    const id = stack.pop()!
    if (out.has(id)) continue
    out.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return out
}
