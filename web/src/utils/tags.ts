// The colours of Element Plus tags, by name.
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'
