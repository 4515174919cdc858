package project

// NotMergedSQL is the condition, on projects aliased p, that leaves merged
// duplicates out: a duplicate folded into another project (merge.go) is
// counted through that project, never by itself. Every count of projects
// uses it — the figures, the campaign and network reports — and the
// duplicate guard, which matches against live projects only.
//
// Two readers differ on purpose: the chain map leaves out every terminated
// project, and a merge terminates the duplicate, so the condition would
// add nothing there; an enterprise's list of its projects shows merged
// duplicates too (as terminated), as it is the enterprise's record, not a
// count.
const NotMergedSQL = "p.merged_into_id IS NULL"
