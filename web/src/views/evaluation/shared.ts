// Pieces the screening pages share: the inputs in their groups with units,
// colours of statuses and verdicts, the category choices and labels of
// indicators in the UI language.
import type { EvaluationInputs, EvaluationStatus, Project, Unit, Verdict } from '@/api'
import { currentLocale, i18n, pick } from '@/i18n'
import type { TagType } from '@/utils/tags'

export const STATUS_TAG: Record<EvaluationStatus, TagType> = {
  draft: 'info',
  submitted: 'warning',
  reviewed: 'primary',
  approved: 'success',
  returned: 'danger',
}

export const VERDICT_TAG: Record<Verdict, TagType> = {
  pass: 'success',
  conditional: 'warning',
  fail: 'danger',
}

/** el-alert types of a verdict banner. */
export const VERDICT_ALERT: Record<Verdict, 'success' | 'warning' | 'error'> = {
  pass: 'success',
  conditional: 'warning',
  fail: 'error',
}

export const RESULT_TAG: Record<string, TagType> = { pass: 'success', fail: 'danger', missing: 'warning' }
export const CHECK_TAG: Record<string, TagType> = { pass: 'success', fail: 'danger', flag: 'warning', pending: 'info' }

export type NumField = Exclude<keyof EvaluationInputs, 'emissions_category' | 'eia_category' | 'park_unit_id' | 'residential_land' | 'non_industrial_facilities'>

export interface InputDef {
  field: NumField
  unit: string // key of evaluation.unit, or ''
  /** decimals the server keeps */
  precision: number
  optional?: boolean
}

export const INPUT_GROUPS: { key: string; fields: InputDef[] }[] = [
  {
    key: 'groupLand',
    fields: [
      { field: 'land_area_mu', unit: 'mu', precision: 2 },
      { field: 'floor_area_ratio', unit: '', precision: 2, optional: true },
      { field: 'building_coverage', unit: 'percent', precision: 2, optional: true },
      { field: 'admin_facility_share', unit: 'percent', precision: 2, optional: true },
    ],
  },
  {
    key: 'groupInvestment',
    fields: [
      { field: 'building_investment', unit: 'wan', precision: 2 },
      { field: 'equipment_investment', unit: 'wan', precision: 2 },
      { field: 'land_investment', unit: 'wan', precision: 2 },
      { field: 'fixed_asset_investment', unit: 'wan', precision: 2 },
      { field: 'total_investment', unit: 'wan', precision: 2 },
    ],
  },
  {
    key: 'groupOutput',
    fields: [
      { field: 'expected_output', unit: 'wanYear', precision: 2 },
      { field: 'expected_tax', unit: 'wanYear', precision: 2 },
      { field: 'jobs', unit: 'people', precision: 0 },
    ],
  },
  {
    key: 'groupEnergy',
    fields: [
      { field: 'energy_tce', unit: 'tce', precision: 2 },
      { field: 'water_tonnes', unit: 'tonnes', precision: 2 },
    ],
  },
]

/** Choices of the two categories; the value stored is the Chinese term. */
export const EMISSIONS_CATEGORIES = [
  { value: '重点管理', en: 'Key management' },
  { value: '简化管理', en: 'Simplified management' },
  { value: '登记管理', en: 'Registration only' },
]
export const EIA_CATEGORIES = [
  { value: '报告书', en: 'Report' },
  { value: '报告表', en: 'Report form' },
  { value: '登记表', en: 'Registration form' },
]

export function categoryLabel(list: { value: string; en: string }[], v: string): string {
  if (!v) return ''
  const hit = list.find((c) => c.value === v)
  return hit && currentLocale() === 'en' ? hit.en : v
}

export const unitLabel = (u: string) => (u ? i18n.global.t(`evaluation.unit.${u}`) : '')

export function blankInputs(): EvaluationInputs {
  return {
    land_area_mu: 0, fixed_asset_investment: 0, building_investment: 0, equipment_investment: 0, land_investment: 0,
    total_investment: 0, expected_output: 0, expected_tax: 0, jobs: 0, energy_tce: 0, water_tonnes: 0,
    emissions_category: '', eia_category: '', floor_area_ratio: 0, building_coverage: 0, admin_facility_share: 0,
    park_unit_id: null, residential_land: false, non_industrial_facilities: false,
  }
}

/** A new screening starts from what the project already says. */
export function inputsFromProject(p: Project, units: Unit[]): EvaluationInputs {
  const park = p.locality_unit_id != null && units.some((u) => u.id === p.locality_unit_id && (u.kind === 'park' || u.kind === 'locality'))
  return {
    ...blankInputs(),
    land_area_mu: p.land_area_mu || 0,
    fixed_asset_investment: p.fixed_asset_investment || 0,
    total_investment: p.contract_investment || 0,
    expected_output: p.expected_output || 0,
    expected_tax: p.expected_tax || 0,
    jobs: p.expected_jobs || 0,
    park_unit_id: park ? p.locality_unit_id : null,
  }
}

/** "1,234.50" for an amount, "1.2" for a ratio: n with the field's decimals and separators. */
export function formatInput(n: number | null | undefined, precision: number): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(n)
}

/** An indicator code's name from the results (zh/en pair) or the code. */
export const nameOf = (o: { name_zh?: string; name_en?: string }, fallback = '') => pick(o.name_zh, o.name_en) || fallback

/** The indicators a rule can name, with their units (as the server words them). */
export const INDICATORS: { code: string; unit: string }[] = [
  { code: 'investment_intensity', unit: '万元/亩' },
  { code: 'output_per_mu', unit: '万元/亩' },
  { code: 'tax_per_mu', unit: '万元/亩' },
  { code: 'energy_per_output', unit: '吨标准煤/万元' },
  { code: 'floor_area_ratio', unit: '' },
  { code: 'building_coverage', unit: '%' },
  { code: 'admin_facility_share', unit: '%' },
]

export const indicatorName = (code: string) =>
  i18n.global.te(`indicatorName.${code}`) ? i18n.global.t(`indicatorName.${code}`) : code
export const indicatorUnit = (code: string) => INDICATORS.find((i) => i.code === code)?.unit ?? ''
