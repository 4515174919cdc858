// The left menu (AppMenu.vue), built from the routes: a route with
// meta.menu is an item of that group, in the order the routes are written,
// shown when the user has the route's meta.perm and labelled by its
// meta.title. The groups and their order are here.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { Checked, Collection, Files, Flag, Folder, Histogram, OfficeBuilding } from '@element-plus/icons-vue'

export type MenuGroupKey = 'project' | 'enterprise' | 'evaluation' | 'stats' | 'campaign' | 'org' | 'system'

/** A route's place in the menu (its meta.menu). */
export interface MenuMeta {
  group: MenuGroupKey
  icon: Component
  /** the item's data-test */
  test: string
}

export interface MenuItem {
  path: string
  label: string
  icon: Component
  test: string
}

export interface MenuGroup {
  key: MenuGroupKey
  label: string
  icon: Component
  items: MenuItem[]
}

const GROUPS: { key: MenuGroupKey; label: string; icon: Component }[] = [
  { key: 'project', label: 'nav.projectGroup', icon: Folder },
  { key: 'enterprise', label: 'nav.enterpriseGroup', icon: Files },
  { key: 'evaluation', label: 'nav.evaluationGroup', icon: Checked },
  { key: 'stats', label: 'nav.statsGroup', icon: Histogram },
  { key: 'campaign', label: 'nav.campaignGroup', icon: Flag },
  { key: 'org', label: 'nav.orgGroup', icon: OfficeBuilding },
  { key: 'system', label: 'nav.systemGroup', icon: Collection },
]

/** The groups the user may see, each with the items they may open. */
export function menuGroups(routes: readonly RouteRecordRaw[], t: (key: string) => string, can: (perm: string) => boolean): MenuGroup[] {
  const items = new Map<MenuGroupKey, MenuItem[]>()
  const walk = (list: readonly RouteRecordRaw[], base: string) => {
    for (const r of list) {
      const path = r.path.startsWith('/') ? r.path : `${base}${r.path}`
      const menu = r.meta?.menu
      if (menu && (!r.meta?.perm || can(r.meta.perm))) {
        const group = items.get(menu.group) ?? []
        group.push({ path, label: t(r.meta?.title ?? ''), icon: menu.icon, test: menu.test })
        items.set(menu.group, group)
      }
      if (r.children) walk(r.children, path.endsWith('/') ? path : `${path}/`)
    }
  }
  walk(routes, '/')
  return GROUPS.filter((g) => items.has(g.key)).map((g) => ({ ...g, label: t(g.label), items: items.get(g.key)! }))
}
