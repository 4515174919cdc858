package project

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// LandUse is a project's land-use figures (R12): the land supplied to it
// against its stated need, and investment and expected tax per 亩 supplied.
type LandUse struct {
	SuppliedMu      money.Cents `json:"supplied_mu"`
	NeedMu          money.Cents `json:"need_mu"`           // the project's land area (what its screening covered)
	OverNeed        bool        `json:"over_need"`         // more supplied than needed: a warning, shown
	InvestmentPerMu money.Cents `json:"investment_per_mu"` // contracted investment ÷ supplied 亩, 万元/亩 (0 before any supply)
	TaxPerMu        money.Cents `json:"tax_per_mu"`        // expected tax ÷ supplied 亩
	WarningZh       string      `json:"warning_zh,omitempty"`
	WarningEn       string      `json:"warning_en,omitempty"`
}

// landUse computes a project's land-use figures from its supplied parcels.
func landUse(ctx context.Context, q db.Querier, projectID int64) (*LandUse, error) {
	var l LandUse
	var invest, tax money.Cents
	err := q.QueryRowContext(ctx, `SELECT p.land_area_mu, p.contract_investment, p.expected_tax,
		COALESCE((SELECT CAST(SUM(area_mu) AS BIGINT) FROM parcels WHERE project_id = p.id AND status = 'supplied'), 0)
		FROM projects p WHERE p.id = ?`, projectID).Scan(&l.NeedMu, &invest, &tax, &l.SuppliedMu)
	if err != nil {
		return nil, errs.Wrap(err, "land use")
	}
	if l.SuppliedMu > 0 {
		// Cents of 万元 per cent of 亩, times 100 for cents of 万元/亩, rounded half-up.
		l.InvestmentPerMu = money.Cents((int64(invest)*100*2 + int64(l.SuppliedMu)) / (int64(l.SuppliedMu) * 2))
		l.TaxPerMu = money.Cents((int64(tax)*100*2 + int64(l.SuppliedMu)) / (int64(l.SuppliedMu) * 2))
	}
	if l.SuppliedMu > l.NeedMu {
		l.OverNeed = true
		l.WarningZh = "已供地 " + l.SuppliedMu.String() + " 亩，超过项目用地需求 " + l.NeedMu.String() + " 亩"
		l.WarningEn = "supplied " + l.SuppliedMu.String() + " mu, more than the project's stated need of " + l.NeedMu.String() + " mu"
	}
	return &l, nil
}

// checkParcelPlace: a parcel goes to a project landing where the parcel
// lies (its park within the landing locality, or the locality itself);
// elsewhere only with a recorded reason.
func checkParcelPlace(ctx context.Context, q db.Querier, l Parcel, p Project, reason string) error {
	if reason != "" {
		return nil
	}
	if p.LocalityUnitID != nil {
		if ok, err := db.Exists(ctx, q, `SELECT COUNT(*) FROM units park JOIN units loc ON loc.id = ?
		WHERE park.id = ? AND park.path LIKE loc.path || '%'`, *p.LocalityUnitID, l.ParkUnitID); err != nil || ok {
			return err
		}
	}
	return errs.E(errs.Invalid, "地块所在园区（"+l.ParkName+"）不在项目落户地（"+p.LocalityUnitName+"）内，须填写理由",
		"the parcel's park ("+l.ParkName+") lies outside the project's landing locality: give the reason").Field("reason", "请填写理由", "required")
}

// suppliedParcels names the parcels supplied to a project ("" when none).
func suppliedParcels(ctx context.Context, q db.Querier, projectID int64) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code FROM parcels WHERE project_id = ? AND status = 'supplied' ORDER BY code`, projectID)
	if err != nil {
		return "", errs.Wrap(err, "supplied parcels")
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", errs.Wrap(err, "supplied parcels")
		}
		codes = append(codes, c)
	}
	return strings.Join(codes, "、"), errs.Wrap(rows.Err(), "supplied parcels")
}
