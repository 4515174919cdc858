package network

import (
	"context"
	"sort"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/setting"
)

// RewardRule is how a referral reward is computed: a share (basis points)
// of the contracted investment of each referred project that reached the
// basis stage — "signed" (contracted) or "landed" (registered or later) —
// capped per project. The system computes it; it never pays it.
type RewardRule struct {
	Basis   string      `json:"basis"`
	ShareBP int64       `json:"share_bp"`
	Cap     money.Cents `json:"cap"`
	Version int         `json:"version"`
}

// DefaultRewardRule: one per mille of the landed investment, at most 50 万元 a project.
var DefaultRewardRule = RewardRule{Basis: "landed", ShareBP: 10, Cap: 50_00}

const rewardKey = "referral.reward"

func (s *Service) rewardRule(ctx context.Context, q db.Querier) (RewardRule, error) {
	cfg := DefaultRewardRule
	v, err := setting.Load(ctx, q, rewardKey, &cfg)
	cfg.Version = v
	return cfg, err
}

// RewardRule returns the rule in force.
func (s *Service) RewardRule(ctx context.Context) (RewardRule, error) {
	return s.rewardRule(ctx, s.DB.Reader())
}

// SetRewardRule changes it.
func (s *Service) SetRewardRule(ctx context.Context, a *org.Actor, in RewardRule) (RewardRule, error) {
	var v errs.Validation
	oneOf(&v, "basis", in.Basis, "signed", "landed")
	if in.ShareBP < 0 || in.ShareBP > 10_000 {
		v.Add("share_bp", "应为 0–10000 个基点", "must be 0–10000 basis points")
	}
	if in.Cap < 0 {
		v.Add("cap", "不能为负数", "cannot be negative")
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	read := in.Version
	in.Version = 0
	return setting.Update(ctx, s.DB, a.Who(), rewardKey, func(ctx context.Context, q db.Querier) (RewardRule, int, error) {
		cfg, err := s.rewardRule(ctx, q)
		return cfg, cfg.Version, err
	}, in, read, s.now())
}

// RewardLine is one referred project and the reward it earns.
type RewardLine struct {
	ProjectID          int64       `json:"project_id"`
	ProjectCode        string      `json:"project_code"`
	ProjectName        string      `json:"project_name"`
	Stage              string      `json:"stage"`
	ContractInvestment money.Cents `json:"contract_investment"`
	Reward             money.Cents `json:"reward"`
	Capped             bool        `json:"capped"`
}

// RewardRow is one advisor or partner with the projects that qualify.
type RewardRow struct {
	Kind   string       `json:"kind"` // advisor or partner
	ID     int64        `json:"id"`
	Name   string       `json:"name"`
	Lines  []RewardLine `json:"lines"`
	Amount money.Cents  `json:"amount"` // qualifying investment
	Reward money.Cents  `json:"reward"`
}

// RewardReport is the referral-reward report under the rule in force.
type RewardReport struct {
	Rule   RewardRule  `json:"rule"`
	Rows   []RewardRow `json:"rows"`
	Reward money.Cents `json:"reward"`
}

// Reward computes one project's reward under a rule (rounded down).
func (r RewardRule) Reward(amount money.Cents) (money.Cents, bool) {
	x := money.Cents(int64(amount) * r.ShareBP / 10_000)
	if r.Cap > 0 && x > r.Cap {
		return r.Cap, true
	}
	return x, false
}

// RewardReport lists, for each advisor and partner, the referred projects in
// the caller's scope that reached the rule's basis (reaching it between from
// and to, when given: by signing or registration date).
func (s *Service) RewardReport(ctx context.Context, a *org.Actor, from, to civil.Date) (RewardReport, error) {
	q := s.DB.Reader()
	rule, err := s.rewardRule(ctx, q)
	if err != nil {
		return RewardReport{}, err
	}
	out := RewardReport{Rule: rule, Rows: []RewardRow{}}
	dateCol, stages := "p.signed_on", `('signed', 'registered', 'construction', 'production')`
	if rule.Basis == "landed" {
		dateCol, stages = "p.registered_on", `('registered', 'construction', 'production')`
	}
	cond, args := project.ScopeSQL(a)
	var w db.Where
	w.Add(cond, args...)
	w.Add(project.NotMergedSQL + " AND p.stage IN " + stages)
	if !from.IsZero() {
		w.Add(dateCol+" >= ?", from)
	}
	if !to.IsZero() {
		w.Add(dateCol+" <= ?", to)
	}
	rows, err := q.QueryContext(ctx, `SELECT 'advisor', ad.id, ad.name, p.id, p.code, p.name, p.stage, p.contract_investment
		FROM projects p JOIN advisors ad ON ad.id = p.referrer_advisor_id`+w.SQL()+`
		UNION ALL SELECT 'partner', pa.id, pa.name, p.id, p.code, p.name, p.stage, p.contract_investment
		FROM projects p JOIN partners pa ON pa.id = p.referrer_partner_id`+w.SQL(), append(w.Args(), w.Args()...)...)
	if err != nil {
		return out, errs.Wrap(err, "reward report")
	}
	defer rows.Close()
	idx := map[string]int{}
	for rows.Next() {
		var r RewardRow
		var l RewardLine
		if err := rows.Scan(&r.Kind, &r.ID, &r.Name, &l.ProjectID, &l.ProjectCode, &l.ProjectName, &l.Stage, &l.ContractInvestment); err != nil {
			return out, errs.Wrap(err, "scan reward")
		}
		l.Reward, l.Capped = rule.Reward(l.ContractInvestment)
		key := r.Kind + itoa(int(r.ID))
		i, ok := idx[key]
		if !ok {
			out.Rows = append(out.Rows, r)
			i = len(out.Rows) - 1
			idx[key] = i
		}
		row := &out.Rows[i]
		row.Lines = append(row.Lines, l)
		row.Amount += l.ContractInvestment
		row.Reward += l.Reward
		out.Reward += l.Reward
	}
	sort.SliceStable(out.Rows, func(i, j int) bool { return out.Rows[i].Reward > out.Rows[j].Reward })
	return out, errs.Wrap(rows.Err(), "reward report")
}
