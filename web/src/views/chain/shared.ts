// The chain tree built from the flat node list (parents come first).
import type { ChainNode } from '@/api'

export interface TreeNode<N extends ChainNode = ChainNode> {
  node: N
  depth: number // 0 segment, 1 link, 2 sub-link
  children: TreeNode<N>[]
}

export function buildChainTree<N extends ChainNode>(nodes: N[]): TreeNode<N>[] {
  const byId = new Map<number, TreeNode<N>>()
  const roots: TreeNode<N>[] = []
  const sorted = [...nodes]
  for (const n of sorted) {
    const parent = n.parent_id != null ? byId.get(n.parent_id) : undefined
    const t: TreeNode<N> = { node: n, depth: parent ? parent.depth + 1 : 0, children: [] }
    byId.set(n.id, t)
    if (parent) parent.children.push(t)
    else roots.push(t)
  }
  const order = (list: TreeNode<N>[]) => {
    list.sort((a, b) => a.node.sort - b.node.sort || a.node.id - b.node.id)
    list.forEach((c) => order(c.children))
  }
  order(roots)
  return roots
}

/** segment → 'segment'; a link under a segment → 'link'; under a link → 'subLink'. */
export function nodeRole(n: ChainNode, all: ChainNode[]): 'segment' | 'link' | 'subLink' {
  if (n.kind === 'segment') return 'segment'
  const p = all.find((x) => x.id === n.parent_id)
  return p && p.kind === 'link' ? 'subLink' : 'link'
}
