// The industry classification (GB/T 4754) search.
import { api, type Items } from './client'

export interface Industry {
  code: string
  name: string
  level: number | string
  parent: string
}

export const industryApi = {
  search: (q: string) => api.get<Items<Industry>>('industries', { q }, { quiet: true }),
}
