// Types read from the generated OpenAPI types (schema.gen.ts, made by
// `npm run api:types` from docs/openapi.json, which the Go server builds
// from its route table and request types).
//
// Request bodies: the shapes the views fill (ProjectInput …) stay written by
// hand, with null where a form holds "none", and are checked here against the
// server's: a field the server does not take, or takes as another type,
// fails `vue-tsc`. Responses: Schema<'package.Type'> is a type the document
// describes; the capability files alias theirs to it where the two agree.
import type { components, paths } from './schema.gen'
import type { ApprovalInput, ProjectInput, TransitionInput, VerifyInput } from './project'
import type { EvaluationInputs } from './evaluation'
import type { ChainInput, EnterpriseInput, IntentionInput, LeadInput, NodeInput, VisitInput } from './enterprise'
import type {
  AdvisorInput, CampaignInput, FeedbackInput, IntelInput, PartnerInput, StaffInput, TrainingInput,
} from './campaign'

export type { paths } from './schema.gen'

type Method = 'get' | 'post' | 'put' | 'delete'

/** The JSON body a route takes, as the server declares it. */
export type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

/** The JSON a route answers 200 with, where the document describes it. */
export type Reply<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer R } } }
}
  ? R
  : unknown

/**
 * true for each field of a hand-kept request type that the server's body has,
 * of a type it takes (null standing for "leave out"); false otherwise.
 */
type Fits<Hand, Gen> = {
  [K in keyof Hand]-?: K extends keyof Gen ? (NonNullable<Hand[K]> extends NonNullable<Gen[K]> ? true : false) : false
}
type AllTrue<T extends Record<string, true>> = T

/** Each request type the UI sends, against the route it is sent to. */
export type RequestTypesFit = [
  AllTrue<Fits<ProjectInput, Body<'/api/v1/projects', 'post'>>>,
  AllTrue<Fits<ProjectInput, Body<'/api/v1/projects/{id}', 'put'>>>,
  AllTrue<Fits<TransitionInput, Body<'/api/v1/projects/{id}/transitions', 'post'>>>,
  AllTrue<Fits<VerifyInput, Body<'/api/v1/projects/{id}/verify', 'post'>>>,
  AllTrue<Fits<ApprovalInput, Body<'/api/v1/projects/{id}/approvals', 'post'>>>,
  AllTrue<Fits<ApprovalInput, Body<'/api/v1/approvals/{id}', 'put'>>>,
  AllTrue<Fits<EvaluationInputs, NonNullable<Body<'/api/v1/projects/{id}/evaluations', 'post'>['inputs']>>>,
  AllTrue<Fits<EvaluationInputs, NonNullable<Body<'/api/v1/evaluations/{id}', 'put'>['inputs']>>>,
  AllTrue<Fits<EnterpriseInput, Body<'/api/v1/enterprises', 'post'>>>,
  AllTrue<Fits<EnterpriseInput, Body<'/api/v1/enterprises/{id}', 'put'>>>,
  AllTrue<Fits<IntentionInput, Body<'/api/v1/enterprises/{id}/intentions', 'post'>>>,
  AllTrue<Fits<VisitInput, Body<'/api/v1/enterprises/{id}/visits', 'post'>>>,
  AllTrue<Fits<LeadInput, Body<'/api/v1/enterprises/{id}/lead', 'post'>>>,
  AllTrue<Fits<ChainInput, Body<'/api/v1/chains', 'post'>>>,
  AllTrue<Fits<NodeInput, Body<'/api/v1/chains/{id}/nodes', 'post'>>>,
  AllTrue<Fits<NodeInput, Body<'/api/v1/chain-nodes/{id}', 'put'>>>,
  AllTrue<Fits<CampaignInput, Body<'/api/v1/campaigns', 'post'>>>,
  AllTrue<Fits<FeedbackInput, Body<'/api/v1/feedback-reports', 'post'>>>,
  AllTrue<Fits<AdvisorInput, Body<'/api/v1/advisors', 'post'>>>,
  AllTrue<Fits<PartnerInput, Body<'/api/v1/partners', 'post'>>>,
  AllTrue<Fits<IntelInput, Body<'/api/v1/intelligence', 'post'>>>,
  AllTrue<Fits<StaffInput, Body<'/api/v1/staff', 'post'>>>,
  AllTrue<Fits<TrainingInput, Body<'/api/v1/trainings', 'post'>>>,
]

/** A response type the document describes (components.schemas, named package.Type). */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N]
