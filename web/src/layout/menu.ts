// The shapes of the left menu (AppMenu.vue).
import type { Component } from 'vue'

export interface MenuItem {
  path: string
  label: string
  perm?: string
  icon: Component
  test: string
}

export interface MenuGroup {
  key: string
  label: string
  icon: Component
  items: MenuItem[]
}
