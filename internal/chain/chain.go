// Package chain is the city's industry chains (R2): chain → segments
// (upstream / midstream / downstream) → links → sub-links, each link mapped
// to industry codes and keywords; the chain map that shows where local
// enterprises and projects are and where the gaps are; and the
// recommendation of target enterprises for a gap (补链) or a strong link (强链).
package chain

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Stages of a segment.
var Stages = []string{"upstream", "midstream", "downstream"}

// Chain is an industry chain.
type Chain struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Sort        int       `json:"sort"`
	Version     int       `json:"version"`
	Links       int       `json:"links"` // links and sub-links
	Nodes       []Node    `json:"nodes,omitempty"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Node is a segment ("segment") or a link ("link"; a link whose parent is a
// link is a sub-link).
type Node struct {
	ID            int64    `json:"id"`
	ChainID       int64    `json:"chain_id"`
	ParentID      *int64   `json:"parent_id"`
	Kind          string   `json:"kind"`
	Stage         string   `json:"stage"`
	Name          string   `json:"name"`
	IndustryCodes []string `json:"industry_codes"`
	Keywords      []string `json:"keywords"`
	Sort          int      `json:"sort"`
}

// ChainInput creates or renames a chain.
type ChainInput struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Sort        int    `json:"sort"`
	Version     int    `json:"version"`
}

// Validate checks a chain.
func (in *ChainInput) Validate() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	var v errs.Validation
	if in.Code == "" || len(in.Code) > 40 {
		v.Add("code", "请填写编码（最多 40 个字符）", "code is required (at most 40 characters)")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 50 {
		v.Add("name", "请填写名称（最多 50 个字）", "name is required (at most 50 characters)")
	}
	return v.Err()
}

// NodeInput adds or changes a segment or link.
type NodeInput struct {
	ParentID      *int64   `json:"parent_id"`
	Kind          string   `json:"kind"`
	Stage         string   `json:"stage"`
	Name          string   `json:"name"`
	IndustryCodes []string `json:"industry_codes"`
	Keywords      []string `json:"keywords"`
	Sort          int      `json:"sort"`
}

// Validate checks a node; the tree rules are the service's.
func (in *NodeInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	var v errs.Validation
	if in.Kind != "segment" && in.Kind != "link" {
		v.Add("kind", "应为 segment（环节段）或 link（环节）", "segment or link")
	}
	if in.Kind == "segment" && !contains(Stages, in.Stage) {
		v.Add("stage", "请选择上游、中游或下游", "upstream, midstream or downstream")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 50 {
		v.Add("name", "请填写名称（最多 50 个字）", "name is required (at most 50 characters)")
	}
	var codes []string
	for _, c := range in.IndustryCodes {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if _, ok := industry.Lookup(c); !ok {
			v.Add("industry_codes", "行业代码不存在："+c, "unknown industry code: "+c)
		}
		codes = append(codes, c)
	}
	in.IndustryCodes = codes
	var kws []string
	for _, k := range in.Keywords {
		if k = strings.TrimSpace(k); k != "" {
			if utf8.RuneCountInString(k) < 2 {
				v.Add("keywords", "关键词至少 2 个字："+k, "keywords need two characters at least: "+k)
			}
			kws = append(kws, k)
		}
	}
	in.Keywords = kws
	return v.Err()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func split(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// Service is what users do with chains.
type Service struct {
	DB          *db.DB
	Enterprises *enterprise.Service
	Now         func() time.Time
}

// New builds the service.
func New(d *db.DB, es *enterprise.Service) *Service {
	return &Service{DB: d, Enterprises: es, Now: time.Now}
}

// List returns the chains with their link counts.
func (s *Service) List(ctx context.Context) ([]Chain, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT c.id, c.code, c.name, c.description, c.sort, c.version, c.updated_at,
		(SELECT COUNT(*) FROM chain_nodes n WHERE n.chain_id = c.id AND n.kind = 'link')
		FROM chains c ORDER BY c.sort, c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Chain{}
	for rows.Next() {
		var c Chain
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Description, &c.Sort, &c.Version, &c.UpdatedAt, &c.Links); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Get returns a chain with its nodes (parents before children).
func (s *Service) Get(ctx context.Context, id int64) (Chain, error) {
	return get(ctx, s.DB.Reader(), id)
}

func get(ctx context.Context, q db.Querier, id int64) (Chain, error) {
	var c Chain
	err := q.QueryRowContext(ctx, `SELECT id, code, name, description, sort, version, updated_at FROM chains WHERE id = ?`, id).
		Scan(&c.ID, &c.Code, &c.Name, &c.Description, &c.Sort, &c.Version, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf("产业链", "chain")
	}
	if err != nil {
		return c, err
	}
	c.Nodes, err = nodes(ctx, q, id)
	for _, n := range c.Nodes {
		if n.Kind == "link" {
			c.Links++
		}
	}
	return c, err
}

func nodes(ctx context.Context, q db.Querier, chainID int64) ([]Node, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, chain_id, parent_id, kind, stage, name, industry_codes, keywords, sort
		FROM chain_nodes WHERE chain_id = ? ORDER BY sort, id`, chainID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []Node
	for rows.Next() {
		var n Node
		var codes, kws string
		if err := rows.Scan(&n.ID, &n.ChainID, &n.ParentID, &n.Kind, &n.Stage, &n.Name, &codes, &kws, &n.Sort); err != nil {
			return nil, err
		}
		n.IndustryCodes, n.Keywords = split(codes), split(kws)
		all = append(all, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Parents first: segments, then links, then sub-links, each in sort order.
	out := make([]Node, 0, len(all))
	placed := map[int64]bool{}
	for len(out) < len(all) {
		before := len(out)
		for _, n := range all {
			if !placed[n.ID] && (n.ParentID == nil || placed[*n.ParentID]) {
				out = append(out, n)
				placed[n.ID] = true
			}
		}
		if len(out) == before {
			break
		}
	}
	return out, nil
}

func getNode(ctx context.Context, q db.Querier, id int64) (Node, error) {
	var n Node
	var codes, kws string
	err := q.QueryRowContext(ctx, `SELECT id, chain_id, parent_id, kind, stage, name, industry_codes, keywords, sort FROM chain_nodes WHERE id = ?`, id).
		Scan(&n.ID, &n.ChainID, &n.ParentID, &n.Kind, &n.Stage, &n.Name, &codes, &kws, &n.Sort)
	if errors.Is(err, sql.ErrNoRows) {
		return n, errs.NotFoundf("产业链环节", "chain link")
	}
	n.IndustryCodes, n.Keywords = split(codes), split(kws)
	return n, err
}

// CreateChain adds a chain.
func (s *Service) CreateChain(ctx context.Context, a *org.Actor, in ChainInput) (Chain, error) {
	if err := in.Validate(); err != nil {
		return Chain{}, err
	}
	var out Chain
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := s.Now().UTC()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO chains (code, name, description, sort, created_at, updated_at) VALUES (?,?,?,?,?,?) RETURNING id`,
			in.Code, in.Name, in.Description, in.Sort, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "编码已被其他产业链使用", "code already used").Field("code", "编码重复", "already used")
		}
		if err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("chain.create", "chain", id, nil, out))
	})
	return out, err
}

// UpdateChain renames a chain.
func (s *Service) UpdateChain(ctx context.Context, a *org.Actor, id int64, in ChainInput) (Chain, error) {
	if err := in.Validate(); err != nil {
		return Chain{}, err
	}
	return audit.Update(ctx, s.DB, a, "chain.update", "chain", id, get, func(tx *db.Tx, _ Chain) (sql.Result, error) {
		res, err := tx.ExecContext(ctx, `UPDATE chains SET code = ?, name = ?, description = ?, sort = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, in.Code, in.Name, in.Description, in.Sort, s.Now().UTC(), id, in.Version)
		if db.IsUniqueViolation(err) {
			return nil, errs.E(errs.Conflict, "编码已被其他产业链使用", "code already used").Field("code", "编码重复", "already used")
		}
		return res, err
	})
}

// checkParent enforces the tree: a segment sits at the top, a link under a
// segment or (a sub-link) under a link; never more than that.
func checkParent(ctx context.Context, q db.Querier, chainID int64, in NodeInput) error {
	if in.Kind == "segment" {
		if in.ParentID != nil {
			return errs.E(errs.Invalid, "环节段（上中下游）位于产业链顶层", "a segment has no parent").Field("parent_id", "环节段不能有上级", "must be empty")
		}
		return nil
	}
	if in.ParentID == nil {
		return errs.E(errs.Invalid, "环节须属于某个环节段或环节", "a link belongs to a segment or a link").Field("parent_id", "请选择上级", "required")
	}
	p, err := getNode(ctx, q, *in.ParentID)
	if err != nil || p.ChainID != chainID {
		return errs.E(errs.Invalid, "上级不在这条产业链中", "the parent is not in this chain").Field("parent_id", "上级不存在", "no such parent")
	}
	if p.Kind == "link" && p.ParentID != nil {
		if gp, err := getNode(ctx, q, *p.ParentID); err == nil && gp.Kind == "link" {
			return errs.E(errs.Invalid, "子环节下不能再分", "a sub-link has no links below it").Field("parent_id", "层级过深", "too deep")
		}
	}
	return nil
}

// AddNode adds a segment or link to a chain.
func (s *Service) AddNode(ctx context.Context, a *org.Actor, chainID int64, in NodeInput) (Node, error) {
	if err := in.Validate(); err != nil {
		return Node{}, err
	}
	var out Node
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := get(ctx, tx, chainID); err != nil {
			return err
		}
		if err := checkParent(ctx, tx, chainID, in); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO chain_nodes (chain_id, parent_id, kind, stage, name, industry_codes, keywords, sort)
			VALUES (?,?,?,?,?,?,?,?) RETURNING id`, chainID, in.ParentID, in.Kind, in.Stage, in.Name, strings.Join(in.IndustryCodes, ","),
			strings.Join(in.Keywords, ","), in.Sort).Scan(&id); err != nil {
			return err
		}
		if err := touchChain(ctx, tx, chainID, s.Now()); err != nil {
			return err
		}
		var err error
		if out, err = getNode(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("chain.node.create", "chain_node", id, nil, out))
	})
	return out, err
}

// UpdateNode changes a node's name, stage, codes, keywords and order.
func (s *Service) UpdateNode(ctx context.Context, a *org.Actor, id int64, in NodeInput) (Node, error) {
	var out Node
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getNode(ctx, tx, id)
		if err != nil {
			return err
		}
		in.Kind, in.ParentID = before.Kind, before.ParentID // the place in the tree does not change here
		if err := in.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chain_nodes SET stage = ?, name = ?, industry_codes = ?, keywords = ?, sort = ? WHERE id = ?`,
			in.Stage, in.Name, strings.Join(in.IndustryCodes, ","), strings.Join(in.Keywords, ","), in.Sort, id); err != nil {
			return err
		}
		if err := touchChain(ctx, tx, before.ChainID, s.Now()); err != nil {
			return err
		}
		if out, err = getNode(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("chain.node.update", "chain_node", id, before, out))
	})
	return out, err
}

// DeleteNode removes a node with nothing below it and no project linked.
func (s *Service) DeleteNode(ctx context.Context, a *org.Actor, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getNode(ctx, tx, id)
		if err != nil {
			return err
		}
		var children, projects int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM chain_nodes WHERE parent_id = ?), (SELECT COUNT(*) FROM project_chain_links WHERE node_id = ?)`,
			id, id).Scan(&children, &projects); err != nil {
			return err
		}
		if children > 0 || projects > 0 {
			return errs.E(errs.Unprocessable, "该环节下还有子环节或关联项目，不能删除", "the link still has links below it or projects linked to it")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM chain_nodes WHERE id = ?`, id); err != nil {
			return err
		}
		if err := touchChain(ctx, tx, before.ChainID, s.Now()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("chain.node.delete", "chain_node", id, before, nil))
	})
}

func touchChain(ctx context.Context, tx *db.Tx, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE chains SET version = version + 1, updated_at = ? WHERE id = ?`, now.UTC(), id)
	return err
}
