// Package campaign keeps the promotion campaigns (fairs, themed trips,
// signing ceremonies, online events) with the projects they produced, and
// compares channels, campaigns, source regions and offices away by what
// their leads became (R6, R7, R8).
package campaign

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// UnitRef is a participating unit.
type UnitRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Campaign is a campaign as the API shows it.
type Campaign struct {
	ID                int64        `json:"id"`
	Name              string       `json:"name"`
	Kind              string       `json:"kind"`
	StartsOn          civil.Date   `json:"starts_on"`
	EndsOn            civil.Date   `json:"ends_on"`
	Place             string       `json:"place"`
	SourceRegion      string       `json:"source_region"`
	OrganiserUnitID   int64        `json:"organiser_unit_id"`
	OrganiserUnitName string       `json:"organiser_unit_name"`
	Units             []UnitRef    `json:"units"`
	Participants      string       `json:"participants"`
	TargetEnterprises string       `json:"target_enterprises"`
	Budget            money.Cents  `json:"budget"`
	Spend             *money.Cents `json:"spend"` // null while unknown
	Summary           string       `json:"summary"`
	Results           *Funnel      `json:"results,omitempty"`
	Version           int          `json:"version"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

// Input is the request to register or edit a campaign.
type Input struct {
	Name              string       `json:"name"`
	Kind              string       `json:"kind"`
	StartsOn          civil.Date   `json:"starts_on"`
	EndsOn            civil.Date   `json:"ends_on"`
	Place             string       `json:"place"`
	SourceRegion      string       `json:"source_region"`
	OrganiserUnitID   int64        `json:"organiser_unit_id"`
	UnitIDs           []int64      `json:"unit_ids"`
	Participants      string       `json:"participants"`
	TargetEnterprises string       `json:"target_enterprises"`
	Budget            money.Cents  `json:"budget"`
	Spend             *money.Cents `json:"spend"`
	Summary           string       `json:"summary"`
	Version           int          `json:"version"`
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// Validate checks what can be checked without the database; the kind, the
// region and the units are checked by the service.
func (in *Input) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	var v errs.Validation
	if in.Name == "" || tooLong(in.Name, 100) {
		v.Add("name", "活动名称必填，最多 100 个字", "required, at most 100 characters")
	}
	if in.Kind == "" {
		v.Add("kind", "请选择活动类型", "required")
	}
	if in.StartsOn.IsZero() {
		v.Add("starts_on", "开始日期必填", "required")
	}
	if in.EndsOn.IsZero() {
		in.EndsOn = in.StartsOn
	}
	if !in.StartsOn.IsZero() && in.EndsOn.Before(in.StartsOn) {
		v.Add("ends_on", "结束日期不能早于开始日期", "cannot be before the start")
	}
	if tooLong(in.Place, 100) {
		v.Add("place", "最多 100 个字", "at most 100 characters")
	}
	for name, s := range map[string]string{"participants": in.Participants, "target_enterprises": in.TargetEnterprises, "summary": in.Summary} {
		if tooLong(s, 2000) {
			v.Add(name, "最多 2000 个字", "at most 2000 characters")
		}
	}
	if in.Budget < 0 {
		v.Add("budget", "不能为负数", "cannot be negative")
	}
	if in.Spend != nil && *in.Spend < 0 {
		v.Add("spend", "不能为负数", "cannot be negative")
	}
	if len(in.UnitIDs) > 100 {
		v.Add("unit_ids", "最多 100 个参与单位", "at most 100 units")
	}
	return v.Err()
}

// Stage counts: how many of a campaign's (or a group's) projects reached a
// stage, and their contracted investment.
type Stage struct {
	Count  int         `json:"count"`
	Amount money.Cents `json:"amount"`
}

// Funnel is what a campaign's leads became: leads → negotiating → signed →
// landed (registered or later), counted by the stage reached, in the
// caller's data scope.
type Funnel struct {
	Leads       Stage `json:"leads"`
	Negotiating Stage `json:"negotiating"`
	Signed      Stage `json:"signed"`
	Landed      Stage `json:"landed"`
}
