// The data dictionary (docs/api-foundation.md).
import { api, type Items, type List } from './client'
import type { Schema } from './schema'

export interface DictType {
  type: string
  name_zh: string
  name_en: string
}

export type DictItem = Schema<'dictionary.Item'>

export const dictApi = {
  types: () => api.get<Items<DictType>>('dictionary/types'),
  items: (type: string) => api.get<List<DictItem>>('dictionary', { type }),
  create: (body: { type: string; code: string; label_zh: string; label_en: string; sort: number; enabled: boolean }) =>
    api.post<DictItem>('dictionary', body, { quiet: true }),
  update: (id: number, body: { label_zh: string; label_en: string; sort: number; enabled: boolean; version: number }) =>
    api.put<DictItem>(`dictionary/${id}`, body, { quiet: true }),
}
