// The API, one file per capability (like the server's packages), each with
// its types and one function per route, named after the route; the response
// types that the OpenAPI document describes are read from schema.gen.ts.
export * from './auth'
export * from './org'
export * from './dictionary'
export * from './audit'
export * from './industry'
export * from './project'
export * from './stats'
export * from './evaluation'
export * from './enterprise'
export { ApiError, showError, type Query, type List, type Items } from './client'
