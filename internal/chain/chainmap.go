package chain

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/region"
)

// Strength of a link (written in docs/api-enterprises.md): a link's weight is
// its local enterprises plus twice its projects; none is a gap, fewer than
// StrongFrom is weak, the rest strong.
const StrongFrom = 5

// MapNode is a node of the chain map with what lies on it. A segment's and a
// link's figures include the links below them.
type MapNode struct {
	Node
	Local    int    `json:"local_enterprises"`
	Target   int    `json:"target_enterprises"`
	Projects int    `json:"projects"`
	Strength string `json:"strength"` // gap, weak, strong
}

// Map is a chain as the map draws it.
type Map struct {
	Chain  Chain     `json:"chain"`
	Nodes  []MapNode `json:"nodes"`
	Gaps   int       `json:"gaps"`
	Rule   string    `json:"rule"`
	RuleEn string    `json:"rule_en"`
}

func strength(local, projects int) string {
	w := local + 2*projects
	switch {
	case w == 0:
		return "gap"
	case w < StrongFrom:
		return "weak"
	}
	return "strong"
}

// projectCounts counts the projects in the caller's scope on each node: those
// linked to it, and those linked to no node whose industry lies within one
// of its codes. Terminated projects are left out, and with them merged
// duplicates (a merge terminates the duplicate: see project.NotMergedSQL).
func (s *Service) projectCounts(ctx context.Context, a *org.Actor, c Chain) (map[int64]int, error) {
	cond, args := project.ScopeSQL(a)
	out := map[int64]int{}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT l.node_id, COUNT(*) FROM project_chain_links l JOIN projects p ON p.id = l.project_id
		JOIN chain_nodes n ON n.id = l.node_id WHERE n.chain_id = ? AND p.status <> 'terminated' AND `+cond+` GROUP BY l.node_id`,
		append([]any{c.ID}, args...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = n
	}
	rows.Close()
	byCode := map[string]int{}
	rows, err = s.DB.Reader().QueryContext(ctx, `SELECT p.industry_code, COUNT(*) FROM projects p WHERE p.industry_code <> '' AND p.status <> 'terminated'
		AND NOT EXISTS (SELECT 1 FROM project_chain_links l WHERE l.project_id = p.id) AND `+cond+` GROUP BY p.industry_code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, err
		}
		byCode[code] = n
	}
	for _, n := range c.Nodes {
		if n.Kind != "link" {
			continue
		}
		for code, k := range byCode {
			for _, lc := range n.IndustryCodes {
				if industry.Within(code, lc) {
					out[n.ID] += k
					break
				}
			}
		}
	}
	return out, rows.Err()
}

// Map counts, for every node of a chain, the local enterprises, the target
// enterprises and the projects on it, and marks the gaps.
func (s *Service) Map(ctx context.Context, a *org.Actor, id int64) (Map, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return Map{}, err
	}
	specs := make([]enterprise.LinkSpec, len(c.Nodes))
	for i, n := range c.Nodes {
		specs[i] = enterprise.LinkSpec{Codes: n.IndustryCodes, Keywords: n.Keywords}
	}
	counts, err := s.Enterprises.CountLinks(ctx, specs)
	if err != nil {
		return Map{}, err
	}
	projects, err := s.projectCounts(ctx, a, c)
	if err != nil {
		return Map{}, err
	}
	m := Map{Chain: c, Nodes: make([]MapNode, len(c.Nodes)),
		Rule:   "强度 = 本地企业数 + 2 × 项目数；0 为缺链（空白环节），1–4 为弱，5 及以上为强。上级环节含下级环节的数。",
		RuleEn: "strength = local enterprises + 2 × projects; 0 is a gap, 1–4 weak, 5 and more strong. A segment or link includes the links below it."}
	at := map[int64]int{}
	for i, n := range c.Nodes {
		m.Nodes[i] = MapNode{Node: n, Local: counts[i].Local, Target: counts[i].Target, Projects: projects[n.ID]}
		at[n.ID] = i
	}
	// Roll figures up: children come after parents, so walk backwards.
	for i := len(m.Nodes) - 1; i >= 0; i-- {
		n := m.Nodes[i]
		if n.ParentID != nil {
			if p, ok := at[*n.ParentID]; ok {
				m.Nodes[p].Local += n.Local
				m.Nodes[p].Target += n.Target
				m.Nodes[p].Projects += n.Projects
			}
		}
	}
	for i := range m.Nodes {
		m.Nodes[i].Strength = strength(m.Nodes[i].Local, m.Nodes[i].Projects)
		if m.Nodes[i].Kind == "link" && m.Nodes[i].Strength == "gap" {
			m.Gaps++
		}
	}
	return m, nil
}

// Weights of the recommendation score, shown beside every score.
type Weights struct {
	LinkFit    int `json:"link_fit"`
	Tags       int `json:"tags"`
	Size       int `json:"size"`
	Intentions int `json:"intentions"`
	Expansion  int `json:"expansion"`
	Region     int `json:"region"`
}

// DefaultWeights are the parts' maxima (they sum to 100).
var DefaultWeights = Weights{LinkFit: 40, Tags: 20, Size: 15, Intentions: 15, Expansion: 5, Region: 5}

// tagPoints are what each tag brings (the tags part is their sum, capped).
var tagPoints = map[string]int{"fortune_global_500": 20, "china_top_500": 15, "central_soe": 15, "private_top_500": 12,
	"industry_top_30": 12, "listed": 10, "unicorn": 10, "soe": 8, "specialised_innovative": 8, "high_tech": 6}

// preferred regions: the Pearl River Delta core, Shenzhen, Hong Kong and Macao
// score full; the rest of Guangdong half.
var preferred = []string{"440100", "440300", "440400", "440600", "441300", "441900", "442000", "440700", "810000", "820000"}

// Parts are one candidate's score, part by part.
type Parts struct {
	LinkFit    float64 `json:"link_fit"`
	Tags       float64 `json:"tags"`
	Size       float64 `json:"size"`
	Intentions float64 `json:"intentions"`
	Expansion  float64 `json:"expansion"`
	Region     float64 `json:"region"`
}

// Recommendation is a candidate enterprise with its score.
type Recommendation struct {
	Enterprise enterprise.Enterprise `json:"enterprise"`
	Score      float64               `json:"score"`
	Parts      Parts                 `json:"parts"`
	Why        []string              `json:"why"`    // the reasons, in Chinese
	WhyEn      []string              `json:"why_en"` // the same in English
}

// Recommendations is the list for one link.
type Recommendations struct {
	Node     MapNode          `json:"node"`
	Mode     string           `json:"mode"` // fill (补链, for a gap or weak link) or strengthen (强链)
	Items    []Recommendation `json:"items"`
	Total    int              `json:"total"` // candidates scored
	Weights  Weights          `json:"weights"`
	Method   string           `json:"method"`
	MethodEn string           `json:"method_en"`
}

type intentionAgg struct {
	n      int
	last   civil.Date
	amount int64
}

func (s *Service) intentions(ctx context.Context) (map[int64]intentionAgg, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT enterprise_id, COUNT(*), MAX(heard_on), SUM(amount) FROM enterprise_intentions GROUP BY enterprise_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]intentionAgg{}
	for rows.Next() {
		var id int64
		var a intentionAgg
		if err := rows.Scan(&id, &a.n, &a.last, &a.amount); err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, rows.Err()
}

// score rates one candidate; every part is bounded by its weight.
func score(f enterprise.Fit, intent intentionAgg, today civil.Date, w Weights, tagNames map[string][2]string) (Parts, [][2]string) {
	var p Parts
	var why [][2]string
	fit := 0.0
	if f.ByCode != "" {
		fit = map[int]float64{1: 0.4, 2: 0.6, 3: 0.8, 4: 1}[len(f.ByCode)]
		why = append(why, [2]string{"行业代码属于 " + f.ByCode, "industry within " + f.ByCode})
	}
	if f.ByKeyword {
		fit = math.Min(1, fit+0.5)
		why = append(why, [2]string{"名称含环节关键词", "name contains a keyword of the link"})
	}
	p.LinkFit = fit * float64(w.LinkFit)
	tags := 0
	for _, t := range f.Tags {
		tags += tagPoints[t]
	}
	p.Tags = math.Min(1, float64(tags)/20) * float64(w.Tags)
	if tags > 0 {
		var zh, en []string
		for _, t := range f.Tags {
			zh, en = append(zh, tagNames[t][0]), append(en, tagNames[t][1])
		}
		why = append(why, [2]string{"企业标签：" + strings.Join(zh, "、"), "tags: " + strings.Join(en, ", ")})
	}
	// Size: registered capital, 0 at ≤ 100 万元, full at ≥ 100 亿元 (log scale).
	if c := float64(f.Capital) / 100; c > 100 {
		p.Size = math.Min(1, math.Log10(c/100)/4) * float64(w.Size)
	}
	if intent.n > 0 {
		recent := !intent.last.Before(today.AddMonths(-24))
		v := 0.4
		if recent {
			v = 0.8
		}
		if intent.amount > 0 {
			v += 0.2
		}
		p.Intentions = math.Min(1, v) * float64(w.Intentions)
		why = append(why, [2]string{"有投资意向记录", "investment intentions on record"})
	}
	if f.Expanded > 0 {
		y := today.Year()*10000 + today.Month()*100 + today.Day()
		if int(f.Expanded) >= y-20000 {
			p.Expansion = float64(w.Expansion)
			why = append(why, [2]string{"近两年有扩张", "expanded in the last two years"})
		}
	}
	for _, r := range preferred {
		if region.Within(f.Region, r) {
			p.Region = float64(w.Region)
			why = append(why, [2]string{"总部位于重点招商区域", "headquartered in a preferred region"})
			break
		}
	}
	if p.Region == 0 && strings.HasPrefix(f.Region, "44") {
		p.Region = float64(w.Region) / 2
	}
	round := func(v float64) float64 { return math.Round(v*10) / 10 }
	p = Parts{round(p.LinkFit), round(p.Tags), round(p.Size), round(p.Intentions), round(p.Expansion), round(p.Region)}
	return p, why
}

// Recommend ranks the enterprises that fit a link: targets for a gap or a
// weak link (补链), and for a strong one the strengthen-chain candidates
// (强链) — targets too, the ones that add the most to what is already there.
func (s *Service) Recommend(ctx context.Context, a *org.Actor, nodeID int64, limit int) (Recommendations, error) {
	n, err := getNode(ctx, s.DB.Reader(), nodeID)
	if err != nil {
		return Recommendations{}, err
	}
	if n.Kind != "link" {
		return Recommendations{}, errs.E(errs.Unprocessable, "请选择具体环节", "choose a link, not a segment")
	}
	m, err := s.Map(ctx, a, n.ChainID)
	if err != nil {
		return Recommendations{}, err
	}
	var node MapNode
	for _, mn := range m.Nodes {
		if mn.ID == nodeID {
			node = mn
		}
	}
	out := Recommendations{Node: node, Mode: "fill", Weights: DefaultWeights, Items: []Recommendation{},
		Method:   "得分 = 环节匹配(40) + 企业标签(20) + 规模(15) + 投资意向(15) + 近期扩张(5) + 区域偏好(5)；各项得分及理由逐条列出。",
		MethodEn: "score = link fit (40) + tags (20) + size (15) + intentions (15) + recent expansion (5) + region (5); each part and its reasons are listed."}
	if node.Strength == "strong" {
		out.Mode = "strengthen"
	}
	fits, err := s.Enterprises.Fits(ctx, enterprise.LinkSpec{Codes: n.IndustryCodes, Keywords: n.Keywords}, false)
	if err != nil {
		return out, err
	}
	intents, err := s.intentions(ctx)
	if err != nil {
		return out, err
	}
	tagNames, err := enterprise.TagLabels(ctx, s.DB.Reader())
	if err != nil {
		return out, err
	}
	today := civil.Of(s.Now())
	type scored struct {
		f     enterprise.Fit
		parts Parts
		why   [][2]string
		total float64
	}
	all := make([]scored, len(fits))
	for i, f := range fits {
		p, why := score(f, intents[f.ID], today, DefaultWeights, tagNames)
		all[i] = scored{f, p, why, math.Round((p.LinkFit+p.Tags+p.Size+p.Intentions+p.Expansion+p.Region)*10) / 10}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].total != all[j].total {
			return all[i].total > all[j].total
		}
		return all[i].f.ID < all[j].f.ID
	})
	out.Total = len(all)
	if len(all) > limit {
		all = all[:limit]
	}
	for _, sc := range all {
		e, err := s.Enterprises.Get(ctx, sc.f.ID)
		if err != nil {
			return out, err
		}
		r := Recommendation{Enterprise: e, Score: sc.total, Parts: sc.parts, Why: []string{}, WhyEn: []string{}}
		for _, w := range sc.why {
			r.Why, r.WhyEn = append(r.Why, w[0]), append(r.WhyEn, w[1])
		}
		out.Items = append(out.Items, r)
	}
	return out, nil
}

// ProjectLinks are the links a project is placed on.
func (s *Service) ProjectLinks(ctx context.Context, a *org.Actor, projectID int64, ps *project.Service) ([]Node, error) {
	if _, err := ps.Get(ctx, a, projectID); err != nil {
		return nil, err
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT n.id, n.chain_id, n.parent_id, n.kind, n.stage, n.name, n.industry_codes, n.keywords, n.sort
		FROM project_chain_links l JOIN chain_nodes n ON n.id = l.node_id WHERE l.project_id = ? ORDER BY n.chain_id, n.sort, n.id`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Node{}
	for rows.Next() {
		var n Node
		var codes, kws string
		if err := rows.Scan(&n.ID, &n.ChainID, &n.ParentID, &n.Kind, &n.Stage, &n.Name, &codes, &kws, &n.Sort); err != nil {
			return nil, err
		}
		n.IndustryCodes, n.Keywords = split(codes), split(kws)
		out = append(out, n)
	}
	return out, rows.Err()
}

// LinksInput places a project on chain links.
type LinksInput struct {
	NodeIDs []int64 `json:"node_ids"`
}

// SetProjectLinks replaces the links a project is placed on.
func (s *Service) SetProjectLinks(ctx context.Context, a *org.Actor, projectID int64, in LinksInput, ps *project.Service) ([]Node, error) {
	if _, err := ps.Get(ctx, a, projectID); err != nil {
		return nil, err
	}
	before, err := s.ProjectLinks(ctx, a, projectID, ps)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		seen := map[int64]bool{}
		for _, id := range in.NodeIDs {
			n, err := getNode(ctx, tx, id)
			if err != nil || n.Kind != "link" {
				return errs.E(errs.Invalid, "只能关联到产业链环节", "only links can be chosen").Field("node_ids", "环节不存在", "no such link")
			}
			seen[id] = true
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM project_chain_links WHERE project_id = ?`, projectID); err != nil {
			return err
		}
		for id := range seen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO project_chain_links (project_id, node_id) VALUES (?, ?)`, projectID, id); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, a.Entry("project.chain_links", "project", projectID, before, in.NodeIDs))
	})
	if err != nil {
		return nil, err
	}
	return s.ProjectLinks(ctx, a, projectID, ps)
}
